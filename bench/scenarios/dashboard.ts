// The dashboard's weight and speed in headless Chromium, on a server of its
// own (a fresh database holding the demo cloud and one project of about 200
// topology nodes): the JavaScript the page loads (gzip), the time from
// "Trace" to a drawn path, and the time from opening the address of the
// 200-node project's topology to its drawn graph. Skipped, with a warning, without
// /usr/bin/chromium.
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { openDatabase } from '../../src/store/db.js';
import { buildDemoCloud, type Send } from '../../src/commands/demoCloud.js';
import { CHROMIUM, haveChromium, openBrowser } from '../../test/browser/browser.js';
import { createBenchDatabase } from '../database.js';
import { latencyOf, type Latency } from '../measure.js';

export interface DashboardFigures {
  /** Script files the page loaded while signing in, drawing a topology and tracing paths. */
  scripts: number;
  jsBytes: number;
  jsGzipBytes: number;
  /** From the click on Trace to the drawn diagram, the page already loaded. */
  pathDrawn: Latency;
  /** The same path questions sent straight to the API: the server's share of pathDrawn. */
  pathQuery: Latency;
  /** From opening the 200-node project's topology address to its laid-out graph: page load, data and layout. */
  topologyDrawn: Latency;
  topologyNodes: number;
}

/** Instances of the big project: with their ports, its networks, subnets, router and the external network, about 200 nodes. */
const BIG_PROJECT_INSTANCES = 90;
const BIG_PROJECT_NETWORKS = 4;

async function buildBigProject(send: Send, externalNetworkId: string): Promise<void> {
  const ok = async (query: string, variables: Record<string, unknown>, field: string) => {
    const data = await send(query, variables);
    if (data[field].userErrors.length) throw new Error(`${field}: ${JSON.stringify(data[field].userErrors)}`);
    return data[field];
  };
  const router = await ok('mutation($i: CreateRouterInput!) { createRouter(input: $i) { router { id } userErrors { message } } }', { i: { name: 'big-r', projectId: 'big' } }, 'createRouter');
  await ok('mutation($i: SetRouterGatewayInput!) { setRouterGateway(input: $i) { router { id } userErrors { message } } }', { i: { routerId: router.router.id, externalNetworkId } }, 'setRouterGateway');
  const networks: string[] = [];
  for (let n = 0; n < BIG_PROJECT_NETWORKS; n++) {
    const net = await ok('mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id } userErrors { message } } }', { i: { name: `big-net${n}`, projectId: 'big' } }, 'createNetwork');
    const subnet = await ok('mutation($i: CreateSubnetInput!) { createSubnet(input: $i) { subnet { id } userErrors { message } } }', { i: { networkId: net.network.id, cidr: `10.${100 + n}.0.0/24`, enableDhcp: false } }, 'createSubnet');
    await ok('mutation($i: RouterInterfaceInput!) { addRouterInterface(input: $i) { router { id } userErrors { message } } }', { i: { routerId: router.router.id, subnetId: subnet.subnet.id } }, 'addRouterInterface');
    networks.push(net.network.id);
  }
  for (let i = 0; i < BIG_PROJECT_INSTANCES; i++) {
    await ok('mutation($i: BootInstanceInput!) { bootInstance(input: $i) { instance { id } userErrors { message } } }', { i: { name: `big-vm${i}`, projectId: 'big', networks: [{ networkId: networks[i % networks.length] }] } }, 'bootInstance');
  }
}

/** What the path explorer asks for one trace. */
const PATH_QUERY = `query($from: EndpointInput!, $to: EndpointInput!) { path(from: $from, to: $to, flow: { protocol: ANY }) {
  verdict dropReason reachedDestination explanation hops { seq host { name } namespace device kind vlan tunnelId action }
  mermaid: diagram(format: MERMAID) dot: diagram(format: DOT) } }`;

async function timeTo(page: Page, act: () => Promise<unknown>, drawn: string): Promise<number> {
  const start = performance.now();
  await act();
  await page.waitForSelector(drawn, { timeout: 60_000 });
  return performance.now() - start;
}

export async function measureDashboard(serverUrl: string, runs: number, log: (message: string) => void): Promise<DashboardFigures | null> {
  if (!haveChromium()) {
    log(`WARNING: ${CHROMIUM} is missing: the dashboard's figures are SKIPPED (apt-get install -y chromium)`);
    return null;
  }
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the dashboard failed: ${build.stderr}`);
  const database = await createBenchDatabase(serverUrl);
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', AUTH: 'off', COST_BUDGET_PER_MINUTE: '0' });
  const db = await openDatabase(config.database);
  const server = await startServer(config, db, pino({ level: 'silent' }));
  const browser = await openBrowser();
  try {
    const send: Send = async (query, variables) => {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
      if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };
    const demo = await buildDemoCloud(send);
    log(`dashboard: demo cloud and a ${BIG_PROJECT_INSTANCES}-instance project built; measuring in Chromium`);
    await buildBigProject(send, demo.nets.public);
    const { page } = browser;
    const base = server.url.replace(/graphql$/, '');
    const scripts = new Map<string, Buffer>();
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script' && response.ok()) scripts.set(response.url(), await response.body());
    });

    const pathMs: number[] = [];
    const queryMs: number[] = [];
    await page.goto(`${base}?view=path`);
    await page.waitForSelector('input[name=from]');
    for (let i = 0; i < runs; i++) {
      const [from, to, verdict] = i % 2 === 0 ? ['test', 'test2', 'DELIVERED'] : ['jailed', 'test', 'DROPPED'];
      await page.fill('input[name=from]', from);
      await page.fill('input[name=to]', to);
      pathMs.push(await timeTo(page, () => page.click('button:text("Trace")'), `svg[data-verdict=${verdict}] .verdict`));
      const start = performance.now();
      await send(PATH_QUERY, { from: { instance: from }, to: { instance: to } });
      queryMs.push(performance.now() - start);
    }

    const topologyMs: number[] = [];
    let nodes = 0;
    for (let i = 0; i < runs; i++) {
      topologyMs.push(await timeTo(page, () => page.goto(`${base}?view=topology&scope=project&value=big`), '[data-testid=topology-graph][data-nodes]'));
      nodes = Number(await page.getAttribute('[data-testid=topology-graph]', 'data-nodes'));
    }
    const bodies = [...scripts.values()];
    return {
      scripts: bodies.length,
      jsBytes: bodies.reduce((sum, b) => sum + b.length, 0),
      jsGzipBytes: bodies.reduce((sum, b) => sum + gzipSync(b).length, 0),
      pathDrawn: latencyOf(pathMs),
      pathQuery: latencyOf(queryMs),
      topologyDrawn: latencyOf(topologyMs),
      topologyNodes: nodes,
    };
  } finally {
    await browser.close();
    await server.stop();
    await db.close();
    await database.drop();
  }
}
