// The dashboard in a real browser (headless Chromium) against a real server
// on a real database holding the demo cloud: sign in, topology, paths
// (delivered and dropped), a host's flows, a what-if, and live updates of
// the open topology and path when the model changes through the API (the
// page is marked, so that a reload would show). Each view's screenshot
// goes to test/browser/screenshots/ and must not be blank. Without
// /usr/bin/chromium these tests are skipped, and say so loudly.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { buildDemoCloud } from '../../src/commands/demoCloud.js';
import { createToken } from '../../src/auth/tokenStore.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { CHROMIUM, distinctColours, haveChromium, openBrowser, type Browser } from './browser.js';

const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
// Callbacks of page.evaluate run in the page: its globals (sessionStorage, document, topologyGraph) are reached through globalThis.
const inBrowser = haveChromium() ? describe : describe.skip;
if (!haveChromium()) {
  process.stderr.write(`\n${'!'.repeat(78)}\n!! WARNING: ${CHROMIUM} is missing: the dashboard's browser tests are SKIPPED, not passed.\n!! Install it with: apt-get update && apt-get install -y chromium\n${'!'.repeat(78)}\n\n`);
}

let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let projectToken: string;

/** Saves the page's screenshot and checks that it shows something. */
async function screenshot(name: string, fullPage = false) {
  const png = await page.screenshot({ fullPage });
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(path.join(SHOTS, `${name}.png`), png);
  expect(await distinctColours(page, png)).toBeGreaterThan(20);
}

const linkLabels = () => page.$$eval('[data-testid=path-diagram] .link text', (texts) => texts.map((t) => t.textContent ?? ''));

inBrowser('the dashboard in Chromium', () => {
  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/build-web.mjs'], { encoding: 'utf8', timeout: 300_000 });
    if (build.status !== 0) throw new Error(`building the dashboard failed: ${build.stderr}`);
    server = await startTestServer({ AUTH: 'on' });
    await buildDemoCloud(server.gql);
    projectToken = (await createToken(server.db.prisma, { admin: false, projectId: 'p2', name: 'p2 dashboard' })).secret;
    base = server.url.replace(/graphql$/, '');
    browser = await openBrowser();
    page = browser.page;
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for a token, refuses a wrong one, and signs in with the admin token', async () => {
    await page.goto(base);
    await page.fill('input[name=token]', 'not-a-token');
    await page.click('button[type=submit]');
    await page.waitForSelector('.signin [role=alert]');
    await page.fill('input[name=token]', server.adminToken!);
    await page.click('button[type=submit]');
    await page.waitForSelector('header .who');
    expect(await page.textContent('header .who')).toBe('admin');
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(1);
  });

  it("draws the demo project's topology, and a click shows an instance's plumbing", async () => {
    await page.goto(`${base}?view=topology&scope=project&value=p1`);
    await page.waitForSelector('[data-testid=topology-graph][data-nodes]');
    const labels: string[] = await page.evaluate(() => (globalThis as any).topologyGraph.nodes().map((n: any) => n.data('label'))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(labels).toEqual(expect.arrayContaining(['test', 'test2', 'jailed', 'r1\nnetwork-1', 'public\nFLAT', 'net1\nVXLAN 57', '10.0.1.0/24', '10.0.1.5', '172.24.4.3']));
    expect(labels).not.toContain('db');
    const box = (await page.locator('[data-testid=topology-graph]').boundingBox())!;
    const at = await page.evaluate(() => (globalThis as any).topologyGraph.nodes().filter((n: any) => n.data('label') === 'test').renderedPosition()); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForSelector('.details h3');
    const details = await page.textContent('.details');
    expect(details).toContain('Instance test');
    expect(details).toMatch(/tap[0-9a-f]{8}-[0-9a-f]{2} → qbr[0-9a-f]{8}-[0-9a-f]{2} → qvb[0-9a-f]{8}-[0-9a-f]{2} → qvo[0-9a-f]{8}-[0-9a-f]{2}/);
    expect(details).toContain('local VLAN1');
    await screenshot('topology');
  });

  it('traces test → test2 and draws VLAN 1, tunnel 0x39 and VLAN 2 on the links, with a shareable address', async () => {
    await page.goto(`${base}?view=path`);
    await page.fill('input[name=from]', 'test');
    await page.fill('input[name=to]', 'test2');
    await page.click('button:text("Trace")');
    await page.waitForSelector('svg[data-verdict=DELIVERED]');
    const tags = [...new Set(await linkLabels())];
    expect(tags).toEqual(['VLAN 1', 'tunnel 0x39', 'VLAN 2']);
    expect(await page.textContent('[data-testid=verdict]')).toContain('DELIVERED');
    const lanes = await page.$$eval('[data-testid=path-diagram] .lane', (t) => t.map((e) => e.querySelector('text')!.textContent));
    expect(lanes).toEqual(['compute-1', 'outside the hosts', 'compute-2']);
    const shared = page.url();
    expect(new URL(shared).searchParams.get('from')).toBe('test');
    await screenshot('path', true);
    await page.click('button:text("Mermaid")');
    expect(await page.textContent('[data-testid=diagram-text]')).toMatch(/^flowchart LR/);
    await page.click('button:text("DOT")');
    expect(await page.textContent('[data-testid=diagram-text]')).toMatch(/^digraph/);

    const other = await browser.context.newPage();
    await other.goto(shared);
    // A new tab has its own sessionStorage: it signs in, then shows the path the address holds.
    await other.fill('input[name=token]', server.adminToken!);
    await other.click('button[type=submit]');
    await other.waitForSelector('svg[data-verdict=DELIVERED]');
    expect(await other.textContent('[data-testid=path-diagram]')).toContain('tunnel 0x39');
    await other.close();
  });

  it('traces jailed → test and says where and why it is dropped', async () => {
    await page.goto(`${base}?view=path&from=jailed&to=test`);
    await page.waitForSelector('svg[data-verdict=DROPPED]');
    const verdict = await page.textContent('[data-testid=path-diagram] .verdict');
    expect(verdict).toContain('DROPPED: SECURITY_GROUP_EGRESS');
    expect(await page.textContent('[data-testid=verdict]')).toContain('no egress rule of security groups locked');
    const lastHop = await page.$$eval('[data-testid=path-diagram] .hop', (hops) => hops[hops.length - 1].textContent);
    expect(lastHop).toMatch(/^qbr/);
    expect(await page.$$eval('[data-testid=path-diagram] .hop.denied', (h) => h.length)).toBe(1);
    await screenshot('path-dropped');
  });

  it("shows a host's br-tun flows, filtered by table", async () => {
    await page.goto(`${base}?view=host&host=compute-1&bridge=br-tun&table=22`);
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid=flows]')?.textContent?.includes('table=22'));
    const flows = (await page.textContent('[data-testid=flows]'))!.trim().split('\n');
    expect(flows.every((f) => f.includes('table=22,'))).toBe(true);
    expect(flows.some((f) => f.includes('dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[]'))).toBe(true);
    expect(await page.textContent('[data-testid=ovs-vsctl-show]')).toContain('Bridge br-tun');
    await screenshot('host');
  });

  it('runs a what-if of compute-2 down, shows test → test2 broken, and opens it in the path explorer', async () => {
    await page.goto(`${base}?view=whatif`);
    await page.selectOption('[aria-label=change]', 'hostDown');
    await page.waitForSelector('[aria-label="target host"] option', { state: 'attached' });
    await page.selectOption('[aria-label="target host"]', 'compute-2');
    await page.click('button:text("Add change")');
    await page.selectOption('[aria-label="check project"]', 'p1');
    await page.click('button:text("Run what-if")');
    await page.waitForSelector('[data-testid=whatif-paths]');
    const row = page.locator('[data-testid=whatif-paths] tr.BROKEN', { hasText: 'test2' }).filter({ has: page.locator('td:nth-child(2)', { hasText: /^test$/ }) });
    expect(await row.textContent()).toContain('DROPPED: HOST_DOWN');
    await screenshot('whatif');
    await row.locator('a').click();
    await page.waitForSelector('svg[data-verdict]');
    expect(new URL(page.url()).searchParams.get('to')).toBe('test2');
  });

  /** Marks the page; `stillSamePage` is true until the page is loaded again. */
  const markPage = () => page.evaluate(() => ((globalThis as any).notReloaded = true)); // eslint-disable-line @typescript-eslint/no-explicit-any
  const stillSamePage = () => page.evaluate(() => (globalThis as any).notReloaded === true); // eslint-disable-line @typescript-eslint/no-explicit-any

  it('draws an instance booted through the API on the open topology, without a reload', async () => {
    await page.goto(`${base}?view=topology&scope=project&value=p1`);
    await page.waitForSelector('[data-testid=topology-graph][data-nodes]');
    await page.waitForSelector('[data-testid=live][data-status=live]');
    await markPage();
    const nets = await server.gql('{ networks(first: 50, filter: { projectId: "p1" }) { nodes { id name } } }');
    const net1 = nets.networks.nodes.find((n: { name: string }) => n.name === 'net1').id;
    const booted = await server.gql(`mutation($i: BootInstanceInput!) { bootInstance(input: $i) { userErrors { message } } }`, { i: { name: 'newcomer', projectId: 'p1', hostName: 'compute-2', networks: [{ networkId: net1, fixedIp: '10.0.1.77' }] } });
    expect(booted.bootInstance.userErrors).toEqual([]);
    await page.waitForFunction(() => (globalThis as any).topologyGraph.nodes().some((n: any) => n.data('label') === 'newcomer')); // eslint-disable-line @typescript-eslint/no-explicit-any
    const labels: string[] = await page.evaluate(() => (globalThis as any).topologyGraph.nodes().map((n: any) => n.data('label'))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(labels).toEqual(expect.arrayContaining(['newcomer', '10.0.1.77', 'test', 'test2']));
    expect(await stillSamePage()).toBe(true);
    await screenshot('topology-live');
  });

  it('shows the new verdict of the traced path when a change drops it, without a reload', async () => {
    await page.goto(`${base}?view=path&from=test&to=test2`);
    await page.waitForSelector('svg[data-verdict=DELIVERED]');
    await page.waitForSelector('[data-testid=live][data-status=live]');
    await markPage();
    // test2 lets test in by its groups' ingress rules: delete them all.
    const found = await server.gql('{ instances(first: 5, filter: { projectId: "p1", nameContains: "test2" }) { nodes { name ports { securityGroups { rules { id direction } } } } } }');
    const test2 = found.instances.nodes.find((i: { name: string }) => i.name === 'test2');
    const ingress: string[] = test2.ports.flatMap((p: any) => p.securityGroups.flatMap((g: any) => g.rules.filter((r: any) => r.direction === 'INGRESS').map((r: any) => r.id))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(ingress.length).toBeGreaterThan(0);
    for (const id of ingress) await server.gql(`mutation { deleteSecurityGroupRule(input: { id: "${id}" }) { userErrors { message } } }`);
    await page.waitForSelector('svg[data-verdict=DROPPED]');
    expect(await page.textContent('[data-testid=verdict]')).toContain('DROPPED: SECURITY_GROUP_INGRESS');
    expect(await stillSamePage()).toBe(true);
    await screenshot('path-live', true);
  });

  it('shows a project token its own project only, without the admin views', async () => {
    await page.click('button:text("Sign out")');
    await page.fill('input[name=token]', projectToken);
    await page.click('button[type=submit]');
    await page.waitForSelector('header .who');
    await page.goto(base);
    await page.waitForSelector('[data-testid=topology-graph][data-nodes]');
    expect(await page.textContent('header .who')).toBe('project p2');
    expect(await page.locator('header nav a', { hasText: 'Hosts' }).count()).toBe(0);
    const labels: string[] = await page.evaluate(() => (globalThis as any).topologyGraph.nodes('.instance').map((n: any) => n.data('label'))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(labels.sort()).toEqual(['db', 'db2']);
  });

  it('served every view without a page or console error', () => {
    expect(browser.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
