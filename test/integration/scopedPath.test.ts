// path and whatIf for project tokens, over HTTP on the demo cloud (projects
// p1 and p2): a project's path starts at its own instance, shows devices
// but no other project's names, rules or hosts; its what-if runs its
// changes as its mutations would, compares only its own pairs and shows only
// address allocations. The admin's answers to the same questions are the
// control: they do name everything.
import { jest } from '@jest/globals';
import { createToken } from '../../src/auth/tokenStore.js';
import { projectHostId } from '../../src/domain/path/index.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/testServer.js';
import { buildPathCloud, type PathCloud } from '../support/pathCloud.js';
import { rowCounts } from '../support/fixtures.js';
import { codesOf } from '../support/auth.js';

jest.setTimeout(120_000);

let s: TestServer;
let c: PathCloud;
const token: Record<'p1' | 'p1ro' | 'p2', string> = { p1: '', p1ro: '', p2: '' };

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  c = await buildPathCloud(s);
  const make = async (projectId: string, readOnly: boolean) => (await createToken(s.db.prisma, { admin: false, projectId, readOnly, name: projectId })).secret;
  Object.assign(token, { p1: await make('p1', false), p1ro: await make('p1', true), p2: await make('p2', false) });
});
afterAll(async () => s?.stop());

type Who = keyof typeof token | 'admin';
const ask = (who: Who, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> =>
  s.request(query, variables, who === 'admin' ? {} : { authorization: `Bearer ${token[who]}` });

const PATH = `query($f: EndpointInput!, $t: EndpointInput!, $flow: FlowInput) { path(from: $f, to: $t, flow: $flow) {
  verdict explanation tunnelIds hosts { name } routers { name } diagram
  hops { host { name } namespace device vlan tunnelId action } } }`;

async function pathAs(who: Who, from: object, to: object, flow?: object) {
  const body = await ask(who, PATH, { f: from, t: to, flow });
  expect(body.errors).toBeUndefined();
  return body.data.path;
}

/** Everything a path answer says, as one text. */
const said = (path: object) => JSON.stringify(path);

describe('path for a project token', () => {
  it('traces its own instances with the devices, VLANs and tunnel ids an admin sees, but no hosts', async () => {
    const http = { protocol: 'TCP', destinationPort: 80 };
    const mine = await pathAs('p1', { instance: 'test' }, { instance: 'web' }, http);
    const admin = await pathAs('admin', { instance: 'test' }, { instance: 'web' }, http);
    expect(mine.verdict).toBe('DELIVERED');
    expect(mine.hops.map((h: { device: string; vlan: number; tunnelId: number }) => [h.device, h.vlan, h.tunnelId])).toEqual(
      admin.hops.map((h: { device: string; vlan: number; tunnelId: number }) => [h.device, h.vlan, h.tunnelId]),
    );
    expect(mine.tunnelIds).toEqual(admin.tunnelIds);
    // Its own router and groups by name, as the admin's answer; hosts by the ids it is shown.
    expect(mine.routers).toEqual([{ name: 'r1' }]);
    const hostIdOf = (name: string) => projectHostId('p1', c.hosts[name]);
    expect(mine.explanation).toBe(admin.explanation.replace(/compute-\d|network-1/g, hostIdOf));
    // Hosts: no Host objects and no host names anywhere, the diagram included.
    expect(admin.hosts.length).toBeGreaterThan(0);
    expect(mine.hosts).toEqual([]);
    expect(mine.hops.every((h: { host: unknown }) => h.host === null)).toBe(true);
    expect(said(admin)).toMatch(/compute-1/);
    expect(said(mine)).not.toMatch(/compute-|network-1/);
    expect(mine.diagram).toContain(projectHostId('p1', c.hosts['compute-1']));
  });

  it("reaches another project's VM through its floating IP, shown as one hop that names nothing of that project", async () => {
    const to = { ipAddress: c.fips.db };
    const mine = await pathAs('p1', { instance: 'test' }, to, { protocol: 'TCP', destinationPort: 22 });
    const admin = await pathAs('admin', { instance: 'test' }, to, { protocol: 'TCP', destinationPort: 22 });
    expect(mine.verdict).toBe('DELIVERED');
    // Its own way to the external network as the admin sees it; from r2's qg on, one hop.
    const devices = (p: { hops: { device: string }[] }) => p.hops.map((h) => h.device);
    const r2Gateway = admin.hops.findIndex((h: { namespace: string | null }) => h.namespace === `qrouter-${c.routers.r2}`);
    expect(devices(mine)).toEqual([...devices(admin).slice(0, r2Gateway), 'another project']);
    expect(mine.hops.at(-1)).toMatchObject({ host: null, namespace: null, vlan: null, tunnelId: null, action: 'delivered inside another project' });
    expect(mine.hops.at(-2).action).toBe("switch on local VLAN 3 to another project's device");
    // The admin's answer names p2's VM, router, rule, ports and tunnel; the project's none of them.
    expect(said(admin)).toMatch(/\bdb\b/);
    expect(said(admin)).toMatch(/\br2\b/);
    expect(said(admin)).toMatch(/tcp\/22|tcp 22/i);
    expect(admin.tunnelIds).toContain(0x3b);
    expect(said(mine)).not.toMatch(/\bdb\b|\br2\b|10\.0\.3\.5/);
    for (const id of [c.routers.r2, c.vms.db.port.slice(0, 11), c.nets.net3]) expect(said(mine)).not.toContain(id);
    expect(mine.tunnelIds).toEqual([0x39]);
    expect(mine.routers).toEqual([{ name: 'r1' }]);
    expect(mine.explanation).toMatch(/ingress allowed by the security groups of another project/);
  });

  it("says only that the packet was dropped inside another project", async () => {
    const mine = await pathAs('p1', { instance: 'test' }, { ipAddress: c.fips.db }, { protocol: 'TCP', destinationPort: 80 });
    expect(mine.verdict).toBe('DROPPED');
    expect(mine.explanation).toBe('The packet was dropped inside another project (SECURITY_GROUP_INGRESS).');
    expect(mine.hops.at(-1).action).toBe('dropped inside another project');
  });

  it("answers alike for another project's VM, router port and unused private address", async () => {
    const flow = { protocol: 'TCP', destinationPort: 22 };
    const used = await pathAs('p1', { instance: 'test' }, { ipAddress: '10.0.3.5' }, flow);
    const unused = await pathAs('p1', { instance: 'test' }, { ipAddress: '10.0.3.77' }, flow);
    const routerPort = await pathAs('p1', { instance: 'test' }, { ipAddress: '10.0.3.1' }, flow);
    expect(used.verdict).toBe('EXITED');
    expect(said(used).split('10.0.3.5').join('X')).toBe(said(unused).split('10.0.3.77').join('X'));
    expect(said(routerPort).split('10.0.3.1').join('X')).toBe(said(unused).split('10.0.3.77').join('X'));
  });

  it("refuses to start at another project's instance exactly as at a missing one", async () => {
    const refusal = async (who: Who, from: object) => {
      const body = await ask(who, PATH, { f: from, t: { instance: 'web' } });
      expect(codesOf(body)).toEqual(['BAD_USER_INPUT']);
      return body.errors![0].message;
    };
    expect(await refusal('p1', { instance: 'db' })).toBe((await refusal('p1', { instance: 'no-such-vm' })).replace('no-such-vm', 'db'));
    expect(await refusal('p1', { portId: c.vms.db.port })).toBe((await refusal('p1', { portId: c.vms.test.port.replace(/^./, (x) => (x === 'f' ? '0' : 'f')) })).replace(/port \S+/, `port ${c.vms.db.port}`));
    // By address: another project's fixed IP, its floating IP, and an address nobody holds read alike.
    for (const ip of ['10.0.3.5', c.fips.db, '203.0.113.9']) {
      expect(await refusal('p1', { ipAddress: ip })).toBe(`a path of project p1 starts at one of its own instances; ${ip} is none of them`);
    }
    // The admin may start anywhere.
    expect((await pathAs('admin', { instance: 'db' }, { instance: 'db2' })).verdict).toBe('DELIVERED');
    // p2 starts at its own.
    expect((await pathAs('p2', { instance: 'db' }, { instance: 'db2' })).verdict).toBe('DELIVERED');
  });

  it("cannot name another project's instance as destination", async () => {
    const body = await ask('p1', PATH, { f: { instance: 'test' }, t: { instance: 'db' } });
    expect(codesOf(body)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0].message).toBe('instance db does not exist');
  });
});

const WHAT_IF = `query($changes: [ChangeInput!]!, $check: WhatIfCheckInput) { whatIf(changes: $changes, check: $check) {
  applied changes { status userErrors { code field } }
  allocations { kind hostId hostName vlan description }
  paths { from to change after { explanation hops { device } } afterError }
  summary { pairs broken } userErrors { code field } } }`;

describe('whatIf for a project token', () => {
  const boot = { bootInstance: { name: 'probe', projectId: 'p1', hostName: 'compute-2', networks: [{ networkId: '' }] } };
  beforeAll(() => {
    boot.bootInstance.networks[0].networkId = c.nets.lonely;
  });

  it('shows its address allocations but not the hosts, VLANs and placements an admin sees', async () => {
    const before = await rowCounts(s);
    const admin = await ask('admin', WHAT_IF, { changes: [boot] });
    const mine = await ask('p1', WHAT_IF, { changes: [boot] });
    expect(admin.errors).toBeUndefined();
    expect(mine.errors).toBeUndefined();
    expect(admin.data.whatIf.applied).toBe(true);
    expect(mine.data.whatIf.applied).toBe(true);
    const kinds = (r: GraphQLResponse) => r.data.whatIf.allocations.map((a: { kind: string }) => a.kind).sort();
    expect(kinds(admin)).toEqual(['IP_ADDRESS', 'LOCAL_VLAN']);
    expect(kinds(mine)).toEqual(['IP_ADDRESS']);
    expect(said(mine.data)).not.toMatch(/compute-2/);
    expect(await rowCounts(s)).toEqual(before);
  });

  it("compares its own project's pairs, as it may see them", async () => {
    const changes = [{ removeRouterInterface: { routerId: c.routers.r1, subnetId: c.subnets['net1-1'] } }];
    const body = await ask('p1', WHAT_IF, { changes, check: { projectId: 'p1' } });
    expect(body.errors).toBeUndefined();
    const report = body.data.whatIf;
    expect(report.changes).toEqual([{ status: 'APPLIED', userErrors: [] }]);
    const broken = report.paths.filter((p: { change: string }) => p.change === 'BROKEN').map((p: { from: string; to: string }) => `${p.from}->${p.to}`);
    expect(broken).toContain('test->multi');
    const names = new Set(report.paths.flatMap((p: { from: string; to: string }) => [p.from, p.to]));
    expect(names.has('db')).toBe(false);
    expect(names.has('test')).toBe(true);
    expect(said(report)).not.toMatch(/compute-|network-1/);
  });

  it("refuses to compare another project's pairs", async () => {
    const body = await ask('p1', WHAT_IF, { changes: [], check: { projectId: 'p2' } });
    expect(body.data.whatIf.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['check', 'projectId'] }]);
    expect(body.data.whatIf.paths).toEqual([]);
  });

  it("fails a change naming another project's object as its mutation would, writing nothing", async () => {
    const before = await rowCounts(s);
    const body = await ask('p1', WHAT_IF, { changes: [{ deleteInstance: { id: c.vms.db.id } }, boot] });
    expect(body.errors).toBeUndefined();
    expect(body.data.whatIf.applied).toBe(false);
    expect(body.data.whatIf.changes).toEqual([
      { status: 'FAILED', userErrors: [{ code: 'NOT_FOUND', field: ['changes', '0', 'deleteInstance', 'id'] }] },
      { status: 'SKIPPED', userErrors: [] },
    ]);
    expect(await rowCounts(s)).toEqual(before);
  });

  it('refuses admin-only changes, and any change from a read-only token, before it starts', async () => {
    const bind = { bindPort: { portId: c.vms.test.port, hostName: 'compute-2' } };
    expect(codesOf(await ask('p1', WHAT_IF, { changes: [bind] }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await ask('p1ro', WHAT_IF, { changes: [boot] }))).toEqual(['FORBIDDEN']);
    // Without changes a read-only token compares paths as they are.
    const body = await ask('p1ro', WHAT_IF, { changes: [], check: { paths: [{ from: { instance: 'test' }, to: { instance: 'web' } }] } });
    expect(body.errors).toBeUndefined();
    expect(body.data.whatIf.summary).toEqual({ pairs: 1, broken: 0 });
  });

  it('compares sets of its own only, starting at its own instances', async () => {
    const sets = async (set: object) => (await ask('p2', WHAT_IF, { changes: [], check: { sets: [set] } })).data.whatIf;
    // A CIDR over both projects' addresses holds only p2's ports.
    const own = await sets({ sources: { projectId: 'p2' }, destinations: { cidr: '10.0.0.0/8' } });
    expect(own.paths.map((p: { from: string; to: string }) => `${p.from}->${p.to}`)).toEqual(['db->db2 (10.0.3.6)', 'db2->db (10.0.3.5)']);
    expect((await sets({ sources: { projectId: 'p2' }, destinations: { projectId: 'p1' } })).userErrors).toEqual([{ code: 'FORBIDDEN', field: ['check', 'sets', '0', 'destinations'] }]);
    expect((await sets({ sources: { internet: true }, destinations: { projectId: 'p2' } })).userErrors).toEqual([{ code: 'INVALID', field: ['check', 'sets', '0', 'sources'] }]);
    // Another project's instance reads as missing.
    expect((await sets({ sources: { instances: ['test'] }, destinations: { projectId: 'p2' } })).userErrors).toEqual([{ code: 'INVALID', field: ['check', 'sets', '0', 'sources'] }]);
  });

  it("gives a pair that starts at another project's instance as that pair's error", async () => {
    const body = await ask('p2', WHAT_IF, { changes: [], check: { paths: [{ from: { instance: 'test' }, to: { ipAddress: c.fips.web } }] } });
    expect(body.errors).toBeUndefined();
    expect(body.data.whatIf.paths[0].afterError).toBe('instance test does not exist');
  });
});
