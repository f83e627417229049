// whatIf and impact: the changes are tried for real and always rolled back.
import { startTestServer, type TestServer } from '../support/testServer.js';
import { buildPathCloud, type PathCloud } from '../support/pathCloud.js';
import { tableChecksums } from '../support/fixtures.js';

let s: TestServer;
let c: PathCloud;

beforeAll(async () => {
  s = await startTestServer();
  c = await buildPathCloud(s);
});
afterAll(async () => s?.stop());

const WHAT_IF = `query($changes: [ChangeInput!]!, $check: WhatIfCheckInput) { whatIf(changes: $changes, check: $check) {
  applied
  changes { index mutation status userErrors { field message code } allocations { kind change description hostName networkName vlan segmentationId ipAddress } }
  allocations { kind change description hostName vlan }
  paths { from to change verdictChanged hopsChanged beforeError afterError before { verdict dropReason } after { verdict dropReason explanation } }
  summary { pairs broken fixed changed unchanged }
  userErrors { field message code } } }`;

async function whatIf(changes: object[], check?: object) {
  const body = await s.request(WHAT_IF, { changes, check });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.whatIf;
}

/** Runs `fn` and asserts that every table is exactly as it was. */
async function unchanged<T>(fn: () => Promise<T>): Promise<T> {
  const before = await tableChecksums(s);
  const result = await fn();
  expect(await tableChecksums(s)).toEqual(before);
  return result;
}

describe('the three README examples', () => {
  it('what if compute-2 goes down', async () => {
    const report = await unchanged(() =>
      whatIf([{ setHostStatus: { hostName: 'compute-2', up: false } }], { paths: [
        { from: { instance: 'test' }, to: { instance: 'test2' } },
        { from: { instance: 'test' }, to: { instance: 'test3' } },
      ] }),
    );
    expect(report.paths.map((p: any) => [p.from, p.to, p.before.verdict, p.after.verdict, p.after.dropReason, p.change])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['test', 'test2', 'DELIVERED', 'DROPPED', 'HOST_DOWN', 'BROKEN'],
      ['test', 'test3', 'DELIVERED', 'DELIVERED', null, 'UNCHANGED'],
    ]);
    expect(report.summary).toEqual({ pairs: 2, broken: 1, fixed: 0, changed: 0, unchanged: 1 });
    const impact = await unchanged(() => s.gql(`{ impact(hostName: "compute-2") { host { name } instancesDown { name } routersWithoutAgent { name } brokenPaths { from to } summary { broken } userErrors { message } } }`));
    expect(impact.impact.instancesDown.map((i: { name: string }) => i.name)).toEqual(['cellar', 'db2', 'early', 'multi', 'recluse', 'test2', 'web']);
    expect(impact.impact.routersWithoutAgent).toEqual([]);
    expect(impact.impact.brokenPaths).toContainEqual({ from: 'test', to: 'test2' });
    expect(impact.impact.brokenPaths).not.toContainEqual({ from: 'test', to: 'test3' });
  });

  it('what if I remove the router interface of subnet net1-1', async () => {
    const report = await unchanged(() =>
      whatIf([{ removeRouterInterface: { routerId: c.routers.r1, subnetId: c.subnets['net1-1'] } }], {
        paths: [{ from: { instance: 'test' }, to: { instance: 'multi' } }, { from: { instance: 'test' }, to: { instance: 'test2' } }],
      }),
    );
    expect(report.paths.map((p: any) => [p.to, p.before.verdict, p.after.verdict, p.after.dropReason, p.change])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['multi', 'DELIVERED', 'EXITED', null, 'BROKEN'],
      ['test2', 'DELIVERED', 'DELIVERED', null, 'UNCHANGED'],
    ]);
    // net1 keeps its VLAN on network-1 (r1 still has net1's first subnet); the gateway address is freed.
    expect(report.changes[0].allocations).toEqual([expect.objectContaining({ kind: 'IP_ADDRESS', change: 'RELEASED', ipAddress: '10.0.11.1' })]);
  });

  it('refuses to remove an interface a floating IP still needs, as Neutron does', async () => {
    const report = await unchanged(() => whatIf([{ removeRouterInterface: { routerId: c.routers.r1, subnetId: c.subnets.net2 } }]));
    expect(report.changes[0]).toMatchObject({ status: 'FAILED', userErrors: [{ code: 'IN_USE', message: expect.stringContaining(c.fips.web) }] });
  });

  it('what if I add an ingress rule for tcp/22', async () => {
    const change = { createSecurityGroupRule: { securityGroupId: c.groups.web, direction: 'INGRESS', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' } };
    const report = await unchanged(() => whatIf([change], { paths: [{ from: { instance: 'test' }, to: { instance: 'web' }, flow: { protocol: 'TCP', destinationPort: 22 } }] }));
    expect(report.paths[0]).toMatchObject({ change: 'FIXED', before: { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' }, after: { verdict: 'DELIVERED' } });
    expect(report.paths[0].after.explanation).toContain('ingress tcp 22-22 from 0.0.0.0/0');
  });
});

describe('every change kind', () => {
  it('runs each through the real service code and rolls all of it back', async () => {
    const newNet = '11111111-1111-4111-8111-111111111111';
    const newSubnet = '22222222-2222-4222-8222-222222222222';
    const newPort = '33333333-3333-4333-8333-333333333333';
    const newVm = '44444444-4444-4444-8444-444444444444';
    const newFip = '55555555-5555-4555-8555-555555555555';
    const ruleId = '66666666-6666-4666-8666-666666666666';
    const changes = [
      { createNetwork: { id: newNet, name: 'tryout', projectId: 'p1' } },
      { createSubnet: { id: newSubnet, networkId: newNet, cidr: '10.77.0.0/24', enableDhcp: false } },
      { createPort: { id: newPort, networkId: newNet } },
      { bindPort: { portId: newPort, hostName: 'compute-1' } },
      { unbindPort: { portId: newPort } },
      { deletePort: { id: newPort } },
      { bootInstance: { id: newVm, name: 'tryout-vm', projectId: 'p1', hostName: 'compute-1', networks: [{ networkId: newNet }] } },
      { migrateInstance: { instanceId: newVm, hostName: 'compute-2' } },
      { addRouterInterface: { routerId: c.routers.r1, subnetId: newSubnet } },
      { createFloatingIp: { id: newFip, externalNetworkId: c.nets.public, projectId: 'p1' } },
      { associateFloatingIp: { floatingIpId: newFip, portId: c.vms.test.port } },
      { disassociateFloatingIp: { floatingIpId: newFip } },
      { createSecurityGroupRule: { id: ruleId, securityGroupId: c.groups.web, direction: 'INGRESS', protocol: 'udp', portRangeMin: 53, portRangeMax: 53 } },
      { deleteSecurityGroupRule: { id: ruleId } },
      { removeRouterInterface: { routerId: c.routers.r1, subnetId: newSubnet } },
      { deleteInstance: { id: newVm } },
      { clearRouterGateway: { routerId: c.routers.r3 } },
    ];
    const report = await unchanged(() => whatIf(changes));
    // r3 has no gateway: the last change fails and says so; all before it applied.
    expect(report.changes.slice(0, -1).map((o: { status: string }) => o.status)).toEqual(Array(changes.length - 1).fill('APPLIED'));
    expect(report.changes.at(-1)).toMatchObject({ status: 'FAILED', userErrors: [{ code: 'NOT_FOUND', field: ['changes', String(changes.length - 1), 'clearRouterGateway', 'routerId'] }] });
    expect(report.applied).toBe(false);
    expect(report.changes[0].allocations).toEqual([expect.objectContaining({ kind: 'SEGMENT', change: 'ALLOCATED', networkName: 'tryout', segmentationId: 1 })]);
    expect(report.changes[3].allocations).toEqual([expect.objectContaining({ kind: 'LOCAL_VLAN', change: 'ALLOCATED', hostName: 'compute-1', networkName: 'tryout' })]);
    expect(report.changes[7].allocations).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'LOCAL_VLAN', change: 'ALLOCATED', hostName: 'compute-2' }),
      expect.objectContaining({ kind: 'LOCAL_VLAN', change: 'RELEASED', hostName: 'compute-1' }),
    ]));
    // Everything created was removed again, except the network and its segment.
    expect(report.allocations.map((a: { kind: string; change: string }) => `${a.kind}:${a.change}`).sort()).toEqual(['IP_ADDRESS:ALLOCATED', 'SEGMENT:ALLOCATED']);

    const more = await unchanged(() => whatIf([
      { setRouterGateway: { routerId: c.routers.r3, externalNetworkId: c.nets.public } },
      { setHostStatus: { hostName: 'network-1', up: false } },
    ], { paths: [{ from: { instance: 'cellar' }, to: { ipAddress: '8.8.8.8' } }] }));
    expect(more.paths[0]).toMatchObject({ before: { dropReason: 'NO_GATEWAY' }, after: { dropReason: 'NO_L3_AGENT' } });
  });

  it('stops at a failing change, skips the rest, and still writes nothing', async () => {
    const report = await unchanged(() => whatIf([
      { bindPort: { portId: c.vms.test.port, hostName: 'network-1' } },
      { setHostStatus: { hostName: 'compute-1', up: false } },
    ]));
    expect(report.changes.map((o: { status: string }) => o.status)).toEqual(['FAILED', 'SKIPPED']);
    expect(report.changes[0].userErrors[0]).toMatchObject({ code: 'INVALID', message: "host 'network-1' has no COMPUTE role" });
  });

  it('compares every pair of a project, and refuses a bound it cannot keep', async () => {
    const report = await unchanged(() => whatIf([{ setHostStatus: { hostName: 'compute-2', up: false } }], { projectId: 'p2' }));
    expect(report.paths.map((p: { from: string; to: string; change: string }) => `${p.from}->${p.to}:${p.change}`)).toEqual(['db->db2:BROKEN', 'db2->db:BROKEN']);
    const body = await s.request(WHAT_IF, { changes: [], check: { paths: Array(2501).fill({ from: { instance: 'test' }, to: { instance: 'test2' } }) } });
    expect(body.data.whatIf.userErrors).toEqual([{ field: ['check'], code: 'INVALID', message: expect.stringContaining('at most 2500 paths') }]);
    const bad = await s.request(WHAT_IF, { changes: [], check: { projectId: 'a\u0000' } });
    expect(bad.data.whatIf.userErrors).toEqual([{ field: ['check', 'projectId'], code: 'INVALID', message: expect.stringContaining('is not a project id') }]);
  });

  it('reports what a booted instance would reach', async () => {
    const report = await unchanged(() => whatIf(
      [{ bootInstance: { name: 'newcomer', projectId: 'p1', hostName: 'compute-2', networks: [{ networkId: c.nets.net1 }] } }],
      { paths: [{ from: { instance: 'newcomer' }, to: { instance: 'test' } }] },
    ));
    expect(report.paths[0]).toMatchObject({ beforeError: 'instance newcomer does not exist', after: { verdict: 'DELIVERED' }, change: 'FIXED' });
  });
});

describe('sets', () => {
  const labels = (report: { paths: { from: string; to: string; change: string }[] }) => report.paths.map((p) => `${p.from}->${p.to}:${p.change}`);

  it("compares a project's pairs before and after deleting the rule that lets them in", async () => {
    const { securityGroups } = await s.gql(`{ securityGroups(filter: { projectId: "p2", name: "default" }) { nodes { rules { id direction ethertype remoteGroup { id } } } } }`);
    const fromGroup = securityGroups.nodes[0].rules.find((r: { direction: string; ethertype: string; remoteGroup: object | null }) => r.direction === 'INGRESS' && r.ethertype === 'IPV4' && r.remoteGroup);
    const report = await unchanged(() => whatIf([{ deleteSecurityGroupRule: { id: fromGroup.id } }], { sets: [
      { sources: { projectId: 'p2' }, destinations: { projectId: 'p2' } },
      { sources: { internet: true }, destinations: { instances: ['db'] }, flows: [{ protocol: 'TCP', destinationPort: 22 }] },
    ] }));
    expect(labels(report)).toEqual(['db->db2:BROKEN', 'db2->db:BROKEN', 'INTERNET (203.0.113.1)->db:UNCHANGED']);
    expect(report.paths[0].after).toMatchObject({ verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' });
    expect(report.summary).toEqual({ pairs: 3, broken: 2, fixed: 0, changed: 0, unchanged: 1 });
  });

  it('counts a member of either state: an instance the changes boot has its pairs FIXED', async () => {
    const report = await unchanged(() => whatIf(
      [{ bootInstance: { name: 'newcomer', projectId: 'p1', hostName: 'compute-2', networks: [{ networkId: c.nets.net1 }] } }],
      { sets: [{ sources: { instances: ['newcomer'] }, destinations: { instances: ['test', 'test3'] } }] },
    ));
    expect(labels(report)).toEqual(['newcomer->test:FIXED', 'newcomer->test3:FIXED']);
    expect(report.paths[0].beforeError).toMatch(/^instance [0-9a-f-]+ does not exist$/);
    const unknown = await whatIf([], { sets: [{ sources: { instances: ['nobody'] }, destinations: { projectId: 'p1' } }] });
    expect(unknown.userErrors).toEqual([{ field: ['check', 'sets', '0', 'sources'], code: 'INVALID', message: 'instance nobody does not exist or has no port' }]);
  });

  it('compares a port range as every port of it: fixed only when the rule covers the whole range', async () => {
    const rule = (max: number) => ({ createSecurityGroupRule: { securityGroupId: c.groups.web, direction: 'INGRESS', protocol: 'tcp', portRangeMin: 81, portRangeMax: max, remoteIpPrefix: '0.0.0.0/0' } });
    const sets = [{ sources: { instances: ['test'] }, destinations: { instances: ['web'] }, flows: [{ protocol: 'TCP', destinationPort: 80, destinationPortMax: 82 }] }];
    const whole = await unchanged(() => whatIf([rule(82)], { sets }));
    expect(whole.paths[0]).toMatchObject({ change: 'FIXED', before: { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' }, after: { verdict: 'DELIVERED' } });
    const half = await unchanged(() => whatIf([rule(81)], { sets }));
    // Still refused, at another port: the verdict and hops are those of a refused port either way.
    expect(half.paths[0]).toMatchObject({ change: 'UNCHANGED', after: { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' } });
    expect(half.paths[0].after.explanation).toContain('deny ingress TCP 82 from');
  });

  it('holds the sets to the pair bound', async () => {
    // net1 holds five VM ports: 20 ordered pairs, 126 flows.
    const flows = Array.from({ length: 126 }, (_, i) => ({ protocol: 'TCP', destinationPort: i + 1 }));
    const report = await whatIf([], { sets: [{ sources: { networkId: c.nets.net1 }, destinations: { networkId: c.nets.net1 }, flows }] });
    expect(report.userErrors).toEqual([{ field: ['check'], code: 'INVALID', message: expect.stringContaining('and 2520 pairs of check.sets') }]);
  });
});

describe('safety', () => {
  it('writes nothing when the client goes away mid-request', async () => {
    const before = await tableChecksums(s);
    const controller = new AbortController();
    const pending = fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: WHAT_IF, variables: { changes: [{ setHostStatus: { hostName: 'compute-1', up: false } }], check: { projectId: 'p1' } } }),
      signal: controller.signal,
    }).catch((error: Error) => error);
    setTimeout(() => controller.abort(), 5);
    expect(await pending).toMatchObject({ name: 'AbortError' });
    // Let the server finish the abandoned what-if, then compare.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await tableChecksums(s)).toEqual(before);
  });

  it('runs beside real mutations without corrupting them', async () => {
    const ports: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await s.gql(`mutation($i: CreatePortInput!) { createPort(input: $i) { port { id } } }`, { i: { networkId: c.nets.net2 } });
      ports.push(r.createPort.port.id);
    }
    const whatIfs = Array.from({ length: 4 }, () => whatIf([
      { bootInstance: { name: 'ghost', projectId: 'p1', hostName: 'compute-1', networks: [{ networkId: c.nets.net2 }, { networkId: c.nets.lonely }] } },
      { setHostStatus: { hostName: 'compute-2', up: false } },
    ], { projectId: 'p1' }));
    const binds = ports.map((portId) => s.gql(`mutation($i: BindPortInput!) { bindPort(input: $i) { port { localVlan } userErrors { message } } }`, { i: { portId, hostName: 'compute-1' } }));
    const [reports, bound] = await Promise.all([Promise.all(whatIfs), Promise.all(binds)]);
    expect(reports.every((r) => r.applied)).toBe(true);
    expect(bound.every((b) => b.bindPort.userErrors.length === 0)).toBe(true);
    // The real binds all landed on compute-1's VLAN for net2; no ghost remains.
    const vlans = new Set(bound.map((b) => b.bindPort.port.localVlan));
    expect(vlans.size).toBe(1);
    const ghosts = await s.gql(`{ instances(filter: { nameContains: "ghost" }) { totalCount } hosts(filter: { up: false }) { totalCount } }`);
    expect(ghosts).toEqual({ instances: { totalCount: 0 }, hosts: { totalCount: 0 } });
  });
});
