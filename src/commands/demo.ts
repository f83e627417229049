// `demo`: loads the demo cloud into a running server, for a first look. Run
// again, it says the cloud is there and adds nothing; it never builds over
// another cloud that holds hosts of the same names.
import { buildDemoCloud, DEMO_HOSTS, describeDemoCloud, type Send } from './demoCloud.js';
import { CommandError, graphql } from './client.js';

/** The demo's hosts the server already has. */
async function demoHostsPresent(send: Send): Promise<string[]> {
  const query = `{ ${DEMO_HOSTS.map(([name], i) => `h${i}: host(name: "${name}") { name }`).join(' ')} }`;
  const data = await send(query);
  return DEMO_HOSTS.map((_, i) => data[`h${i}`]?.name as string | undefined).filter((name): name is string => name !== undefined);
}

export async function demoCommand(): Promise<number> {
  const send: Send = (query, variables) => graphql(query, variables ?? {});
  const present = await demoHostsPresent(send);
  if (present.length === DEMO_HOSTS.length) {
    console.log(`the demo cloud is already loaded (hosts ${present.join(', ')}): nothing added`);
    return 0;
  }
  if (present.length > 0) {
    throw new CommandError(`host(s) ${present.join(', ')} already exist: the demo cloud loads only into a model without its hosts; nothing added`);
  }
  const cloud = await buildDemoCloud(send);
  console.log(`demo cloud loaded: ${describeDemoCloud(cloud)}`);
  console.log('try: npm run cli -- path test test2');
  console.log('     npm run cli -- path test db --protocol tcp --port 22');
  console.log('     npm run cli -- show-host compute-1 --bridge br-tun');
  return 0;
}
