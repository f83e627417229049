// `demo`: loads the demo cloud into a running server, for a first look.
import { buildDemoCloud } from './demoCloud.js';
import { graphql } from './client.js';

export async function demoCommand(): Promise<number> {
  const cloud = await buildDemoCloud((query, variables) => graphql(query, variables ?? {}));
  console.log(`demo cloud loaded: ${Object.keys(cloud.hosts).length} hosts, ${Object.keys(cloud.nets).length} networks, ${Object.keys(cloud.vms).length} instances, ${Object.keys(cloud.routers).length} routers`);
  console.log('try: npm run cli -- path test test2');
  console.log('     npm run cli -- path test db --protocol tcp --port 22');
  console.log('     npm run cli -- show-host compute-1 --bridge br-tun');
  return 0;
}
