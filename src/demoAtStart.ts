// The demo cloud at a first start: a server started on an empty embedded
// database outside production loads it, so that the dashboard has a cloud to
// show at once. DEMO=off always starts empty; DEMO=on loads it into an empty
// model on any database, in production too.
import type { Config } from './config.js';
import { buildDemoCloud, describeDemoCloud, type Send } from './commands/demoCloud.js';

export function demoWanted(config: Pick<Config, 'demo' | 'database' | 'production'>): boolean {
  if (config.demo !== 'auto') return config.demo === 'on';
  return config.database.kind === 'pglite' && !config.production;
}

/** No host and no network: nothing a demo could collide with or be mistaken for. */
async function modelEmpty(send: Send): Promise<boolean> {
  const data = await send('{ hosts(first: 1) { totalCount } networks(first: 1) { totalCount } }');
  return data.hosts.totalCount === 0 && data.networks.totalCount === 0;
}

/** Loads the demo cloud when the model is empty (telling `loading` first); says what it loaded, or null when it left the model alone. */
export async function loadDemoIntoEmptyModel(send: Send, loading: () => void): Promise<string | null> {
  if (!(await modelEmpty(send))) return null;
  loading();
  return describeDemoCloud(await buildDemoCloud(send));
}
