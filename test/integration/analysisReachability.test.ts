// reachability(sources, destinations, flows) over HTTP on the demo cloud:
// each kind of set, counts, filtered pairs with their paths on demand, a
// project token's view, and a constant number of statements.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { buildPathCloud, type PathCloud } from '../support/pathCloud.js';

// Building the cloud takes a while on PGlite.
jest.setTimeout(240_000);

let s: TestServer;
let c: PathCloud;

beforeAll(async () => {
  s = await startTestServer();
  c = await buildPathCloud(s);
});
afterAll(async () => s?.stop());

const REACH = `query($src: EndpointSetInput!, $dst: EndpointSetInput!, $flows: [FlowInput!], $verdict: Verdict) {
  reachability(sources: $src, destinations: $dst, flows: $flows) {
    sourceCount destinationCount pairCount internetAddress counts { verdict dropReason count }
    pairs(first: 500, verdict: $verdict) { totalCount nodes { source destination protocol destinationPort sourcePort verdict dropReason reachedDestination error } }
  } }`;

interface Pair { source: string; destination: string; protocol: string; destinationPort: number | null; sourcePort: number | null; verdict: string | null; dropReason: string | null; reachedDestination: boolean; error: string | null }

async function reach(src: object, dst: object, flows?: object[], verdict?: string) {
  const body = await s.request(REACH, { src, dst, flows, verdict });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.reachability;
}

const verdicts = (pairs: Pair[]) => pairs.map((p) => [p.source, p.destination, p.destinationPort, p.verdict, p.dropReason]);

describe('sets', () => {
  it('instances by name and id: every source to every destination', async () => {
    const r = await reach({ instances: ['test', c.vms.jailed.id] }, { instances: ['test2', 'test'] });
    expect([r.sourceCount, r.destinationCount, r.pairCount]).toEqual([2, 2, 3]);
    expect(verdicts(r.pairs.nodes)).toEqual([
      ['test', 'test2', null, 'DELIVERED', null],
      ['jailed', 'test2', null, 'DROPPED', 'SECURITY_GROUP_EGRESS'],
      ['jailed', 'test', null, 'DROPPED', 'SECURITY_GROUP_EGRESS'],
    ]);
    expect(r.counts).toEqual([
      { verdict: 'DELIVERED', dropReason: null, count: 1 },
      { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_EGRESS', count: 2 },
    ]);
    expect(r.internetAddress).toBeNull();
  });

  it('a network stands for each of its VM ports, with its address', async () => {
    const r = await reach({ networkId: c.nets.net1 }, { instances: ['web'] }, [{ protocol: 'TCP', destinationPort: 80 }]);
    expect(r.sourceCount).toBe(5);
    const sources = r.pairs.nodes.map((p: Pair) => p.source).sort();
    expect(sources).toEqual(['jailed (10.0.1.9)', 'multi (10.0.11.5)', 'test (10.0.1.5)', 'test2 (10.0.1.6)', 'test3 (10.0.1.7)']);
    expect(r.counts).toEqual([
      { verdict: 'DELIVERED', dropReason: null, count: 4 },
      { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_EGRESS', count: 1 },
    ]);
  });

  it('a subnet holds only the ports with an address on it', async () => {
    const r = await reach({ subnetId: c.subnets['net1-1'] }, { instances: ['test'] });
    expect(verdicts(r.pairs.nodes)).toEqual([['multi (10.0.11.5)', 'test', null, 'DELIVERED', null]]);
  });

  it('a CIDR holds the modelled addresses inside it', async () => {
    const r = await reach({ cidr: '10.0.1.0/29' }, { cidr: '10.0.1.0/29' }, [{ protocol: 'ICMP' }]);
    // 10.0.1.5 and 10.0.1.6 are inside /29 (.0-.7), and so is .7; .9 is not.
    expect(r.sourceCount).toBe(3);
    expect(r.pairCount).toBe(6);
    expect(r.counts).toEqual([{ verdict: 'DELIVERED', dropReason: null, count: 6 }]);
  });

  it('a project stands for its instances', async () => {
    const r = await reach({ projectId: 'p2' }, { projectId: 'p2' }, [{ protocol: 'TCP', destinationPort: 22 }]);
    expect(verdicts(r.pairs.nodes)).toEqual([['db', 'db2', 22, 'DELIVERED', null], ['db2', 'db', 22, 'DELIVERED', null]]);
  });

  it('the internet reaches instances through their floating IPs, as their rules allow', async () => {
    const flows = [{ protocol: 'TCP', destinationPort: 80 }, { protocol: 'TCP', destinationPort: 22 }];
    const r = await reach({ internet: true }, { instances: ['web', 'db', 'test'] }, flows);
    expect(r.internetAddress).toBe('203.0.113.1');
    expect(verdicts(r.pairs.nodes)).toEqual([
      ['INTERNET (203.0.113.1)', 'web', 80, 'DELIVERED', null],
      ['INTERNET (203.0.113.1)', 'db', 80, 'DROPPED', 'SECURITY_GROUP_INGRESS'],
      ['INTERNET (203.0.113.1)', 'test', 80, 'DROPPED', 'NO_FLOATING_IP'],
      ['INTERNET (203.0.113.1)', 'web', 22, 'DROPPED', 'SECURITY_GROUP_INGRESS'],
      ['INTERNET (203.0.113.1)', 'db', 22, 'DELIVERED', null],
      ['INTERNET (203.0.113.1)', 'test', 22, 'DROPPED', 'NO_FLOATING_IP'],
    ]);
  });

  it('instances reach the internet out of their router gateway', async () => {
    const r = await reach({ instances: ['test', 'hermit'] }, { internet: true }, [{ protocol: 'TCP', destinationPort: 443 }]);
    expect(r.pairs.nodes.map((p: Pair) => [p.source, p.verdict, p.dropReason, p.reachedDestination])).toEqual([
      ['test', 'EXITED', null, true],
      ['hermit', 'DROPPED', 'NO_ROUTER', false],
    ]);
  });
});

describe('pairs', () => {
  it('filters by verdict, pages with cursors, and traces a pair when its path is asked', async () => {
    const q = `query($after: String) { reachability(sources: { instances: ["test", "jailed", "hermit"] }, destinations: { instances: ["test2"] }) {
      pairs(first: 1, after: $after, verdict: DROPPED) { totalCount pageInfo { hasNextPage endCursor }
        nodes { source path { verdict dropReason hops { device kind } } } } } }`;
    const first = (await s.gql(q)).reachability.pairs;
    expect(first.totalCount).toBe(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.nodes[0].source).toBe('jailed');
    expect(first.nodes[0].path.dropReason).toBe('SECURITY_GROUP_EGRESS');
    expect(first.nodes[0].path.hops.at(-1).kind).toBe('LINUX_BRIDGE');
    const second = (await s.gql(q, { after: first.pageInfo.endCursor })).reachability.pairs;
    expect(second.nodes.map((n: { source: string }) => n.source)).toEqual(['hermit']);
    expect(second.nodes[0].path.dropReason).toBe('NO_ROUTER');
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses unknown instances, malformed CIDRs and an empty set kind', async () => {
    const bad = async (src: object) => (await s.request(REACH, { src, dst: { instances: ['test'] } })).errors?.[0];
    expect(await bad({ instances: ['nobody'] })).toMatchObject({ message: 'instance nobody does not exist or has no port', extensions: { code: 'BAD_USER_INPUT' } });
    expect((await bad({ cidr: '10.0.1.5/24' }))?.message).toBe("sources.cidr: '10.0.1.5/24' has host bits set; use '10.0.1.0/24'");
    expect((await bad({ internet: false }))?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('port ranges', () => {
  const RANGE = `query($src: EndpointSetInput!, $dst: EndpointSetInput!, $flows: [FlowInput!]) { reachability(sources: $src, destinations: $dst, flows: $flows) {
    pairs { nodes { source destination destinationPort destinationPortMax verdict dropReason reachedDestination refusedPort portsRefused path { explanation } } } } }`;
  const ranged = async (dst: string, min: number, max: number) =>
    (await s.gql(RANGE, { src: { instances: ['test'] }, dst: { instances: [dst] }, flows: [{ protocol: 'TCP', destinationPort: min, destinationPortMax: max }] })).reachability.pairs.nodes[0];

  it('a range half-allowed by a rule is refused at its first port outside the rule', async () => {
    // web admits tcp/80 only (its group), test reaches it from net1.
    const pair = await ranged('web', 80, 81);
    expect(pair).toMatchObject({ destinationPort: 80, destinationPortMax: 81, verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS', reachedDestination: false, refusedPort: 81, portsRefused: 1 });
    expect(pair.path.explanation).toContain('deny ingress TCP 81 from');
  });

  it('every port of the whole range, cut at the rules: allowed everywhere, or counted where refused', async () => {
    expect(await ranged('web', 1, 65535)).toMatchObject({ verdict: 'DROPPED', refusedPort: 1, portsRefused: 65534 });
    // test and test2 share the default group, which admits any protocol from its members.
    expect(await ranged('test2', 1, 65535)).toMatchObject({ verdict: 'DELIVERED', reachedDestination: true, refusedPort: null, portsRefused: 0 });
  });

  it('is taken by reachability and what-if sets only, as an ascending range of ports', async () => {
    const refused = await s.request(RANGE, { src: { instances: ['test'] }, dst: { instances: ['web'] }, flows: [{ protocol: 'TCP', destinationPort: 90, destinationPortMax: 80 }] });
    expect(refused.errors?.[0]).toMatchObject({ message: 'destinationPortMax is from destinationPort (90) to 65535', extensions: { code: 'BAD_USER_INPUT' } });
    const path = await s.request(`{ path(from: { instance: "test" }, to: { instance: "web" }, flow: { protocol: TCP, destinationPort: 80, destinationPortMax: 81 }) { verdict } }`);
    expect(path.errors?.[0]?.message).toContain('taken by reachability and what-if sets only');
  });
});

describe('exposure', () => {
  const EXPOSURE = `query($p: String) { exposure(projectId: $p) { projectId internetAddress portsChecked
    exposures { portId instance address fixedIp floatingIp routers securityGroup protocol portRangeMin portRangeMax ruleId reason explanation } } }`;

  it('a port with a floating IP is open on what its rules admit from anywhere; the same group on a port without one is not', async () => {
    const { exposure } = await s.gql(EXPOSURE, { p: 'p2' });
    expect(exposure.portsChecked).toBe(2);
    expect(exposure.exposures).toHaveLength(1);
    const [db] = exposure.exposures;
    expect(db).toMatchObject({
      portId: c.vms.db.port, instance: 'db', address: c.fips.db, fixedIp: '10.0.3.5', floatingIp: c.fips.db, routers: ['r2'],
      securityGroup: 'default', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22,
    });
    expect(db.reason).toMatch(/^rule [0-9a-f-]+ of security group default: ingress tcp 22-22 from 0\.0\.0\.0\/0$/);
    expect(db.explanation).toContain(`via floating IP ${c.fips.db}`);
  });

  it("names each project's own exposures; an admin names the project", async () => {
    const { exposure } = await s.gql(EXPOSURE, { p: 'p1' });
    expect(exposure.exposures.map((e: { instance: string; portRangeMin: number; routers: string[] }) => [e.instance, e.portRangeMin, e.routers])).toEqual([['web', 80, ['r1']]]);
    const refused = await s.request(EXPOSURE, {});
    expect(refused.errors?.[0]).toMatchObject({ message: 'an admin token belongs to no project: give projectId', extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('suggested rules', () => {
  const SUGGEST = `query($f: EndpointInput!, $t: EndpointInput!, $flow: FlowInput) { path(from: $f, to: $t, flow: $flow) {
    verdict dropReason suggestedRules { securityGroupId direction ethertype protocol portRangeMin portRangeMax remoteIpPrefix remoteGroupId } } }`;
  const WHAT_IF = `query($rule: CreateSecurityGroupRuleInput!, $f: EndpointInput!, $t: EndpointInput!, $flow: FlowInput) {
    whatIf(changes: [{ createSecurityGroupRule: $rule }], check: { paths: [{ from: $f, to: $t, flow: $flow }] }) {
      applied paths { change before { verdict dropReason } after { verdict dropReason } } } }`;

  async function suggestAndTry(f: object, t: object, flow: object, pick: number) {
    const { path } = await s.gql(SUGGEST, { f, t, flow });
    const { whatIf } = await s.gql(WHAT_IF, { rule: path.suggestedRules[pick], f, t, flow });
    return { path, whatIf };
  }

  it('egress: the one destination address, else its group, on the first group of the source port; a what-if with it lets the packet out', async () => {
    const { path, whatIf } = await suggestAndTry({ instance: 'jailed' }, { instance: 'test2' }, { protocol: 'TCP', destinationPort: 5432 }, 0);
    expect(path.dropReason).toBe('SECURITY_GROUP_EGRESS');
    const test2Groups = (await s.gql(`query($id: ID!) { node(id: $id) { ... on Port { securityGroups { id } } } }`, { id: c.vms.test2.port })).node.securityGroups;
    const locked = (await s.gql(`{ securityGroups(filter: { name: "locked" }) { nodes { id } } }`)).securityGroups.nodes[0].id;
    const base = { securityGroupId: locked, direction: 'EGRESS', ethertype: 'IPV4', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432 };
    expect(path.suggestedRules).toEqual([
      { ...base, remoteIpPrefix: '10.0.1.6/32', remoteGroupId: null },
      { ...base, remoteIpPrefix: null, remoteGroupId: test2Groups[0].id },
    ]);
    expect(whatIf.applied).toBe(true);
    // Out it goes; test2's default group, which admits only its own members, then judges it.
    expect(whatIf.paths).toEqual([{ change: 'CHANGED', before: { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_EGRESS' }, after: { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' } }]);
  });

  it('ingress: the source address as the destination port sees it; the remote group rule works as well', async () => {
    const { path, whatIf } = await suggestAndTry({ instance: 'test' }, { instance: 'web' }, { protocol: 'TCP', destinationPort: 22 }, 1);
    expect(path.dropReason).toBe('SECURITY_GROUP_INGRESS');
    expect(path.suggestedRules[0]).toMatchObject({ securityGroupId: c.groups.web, direction: 'INGRESS', protocol: 'tcp', portRangeMin: 22, remoteIpPrefix: '10.0.1.5/32' });
    expect(path.suggestedRules[1].remoteGroupId).not.toBeNull();
    expect(whatIf.paths).toEqual([{ change: 'FIXED', before: { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' }, after: { verdict: 'DELIVERED', dropReason: null } }]);
  });

  it('none for a path that is delivered, or dropped by something else', async () => {
    expect((await s.gql(SUGGEST, { f: { instance: 'test' }, t: { instance: 'test2' } })).path.suggestedRules).toEqual([]);
    expect((await s.gql(SUGGEST, { f: { instance: 'hermit' }, t: { instance: 'web' } })).path.suggestedRules).toEqual([]);
  });
});

describe('bidirectional', () => {
  const BIDI = `query($f: EndpointInput!, $t: EndpointInput!, $flow: FlowInput, $bidi: Boolean) { path(from: $f, to: $t, flow: $flow, bidirectional: $bidi) {
    verdict dropReason hops { device action } reply { verdict dropReason explanation hops { device kind action } } } }`;

  it('the reply of an allowed request is let back by conntrack, while a new connection the other way is dropped', async () => {
    const flow = { protocol: 'TCP', destinationPort: 80 };
    const { path } = await s.gql(BIDI, { f: { instance: 'test' }, t: { instance: 'web' }, flow, bidi: true });
    expect(path.verdict).toBe('DELIVERED');
    expect(path.reply.verdict).toBe('DELIVERED');
    expect(path.reply.hops[0].device).toBe('web');
    expect(path.reply.hops.at(-1).device).toBe('test');
    const filters = path.reply.hops.filter((h: { action: string }) => h.action.startsWith('security group'));
    expect(filters.map((h: { action: string }) => h.action)).toEqual([
      'security group egress: allowed, the reply of an allowed connection (conntrack ESTABLISHED)',
      'security group ingress: allowed, the reply of an allowed connection (conntrack ESTABLISHED)',
    ]);
    const reverse = (await s.gql(BIDI, { f: { instance: 'web' }, t: { instance: 'test' }, flow })).path;
    expect([reverse.verdict, reverse.dropReason, reverse.reply]).toEqual(['DROPPED', 'SECURITY_GROUP_INGRESS', null]);
  });

  it("reachability traces each delivered pair's reply too", async () => {
    const q = `{ reachability(sources: { instances: ["test", "jailed"] }, destinations: { instances: ["web"] }, flows: [{ protocol: TCP, destinationPort: 80 }], bidirectional: true) {
      pairs { nodes { source verdict replyVerdict path { reply { verdict hops { device } } } } } } }`;
    const nodes = (await s.gql(q)).reachability.pairs.nodes;
    expect(nodes.map((n: { source: string; verdict: string; replyVerdict: string | null }) => [n.source, n.verdict, n.replyVerdict])).toEqual([
      ['test', 'DELIVERED', 'DELIVERED'],
      ['jailed', 'DROPPED', null],
    ]);
    expect(nodes[0].path.reply.hops.at(-1).device).toBe('test');
    expect(nodes[1].path.reply).toBeNull();
  });

  it("a source port names the packet, decides no rule, and is the reply's destination port", async () => {
    const flow = { protocol: 'TCP', destinationPort: 80, sourcePort: 40000 };
    const { path } = await s.gql(BIDI, { f: { instance: 'test' }, t: { instance: 'web' }, flow, bidi: true });
    expect([path.verdict, path.reply.verdict]).toEqual(['DELIVERED', 'DELIVERED']);
    expect(path.hops[0].action).toContain('send TCP 80 (source port 40000) 10.0.1.5 -> ');
    expect(path.reply.hops[0].action).toContain('send TCP 40000 (source port 80) ');
    // web's group admits tcp/80 whatever the source port; its reverse is still judged by the rules.
    const reverse = (await s.gql(BIDI, { f: { instance: 'web' }, t: { instance: 'test' }, flow: { ...flow, destinationPort: 40000, sourcePort: 80 } })).path;
    expect([reverse.verdict, reverse.dropReason]).toEqual(['DROPPED', 'SECURITY_GROUP_INGRESS']);
    const pairs = (await reach({ instances: ['test'] }, { instances: ['web'] }, [flow])).pairs.nodes;
    expect(pairs).toEqual([expect.objectContaining({ destinationPort: 80, sourcePort: 40000, verdict: 'DELIVERED' })]);
    const icmp = await s.request(BIDI, { f: { instance: 'test' }, t: { instance: 'web' }, flow: { protocol: 'ICMP', sourcePort: 7 } });
    expect(icmp.errors?.[0]).toMatchObject({ message: 'sourcePort needs protocol TCP, UDP, SCTP, DCCP or UDPLITE', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('no reply for a dropped request, and none unless asked', async () => {
    const dropped = (await s.gql(BIDI, { f: { instance: 'jailed' }, t: { instance: 'test' }, bidi: true })).path;
    expect(dropped.reply).toBeNull();
    const unasked = (await s.gql(BIDI, { f: { instance: 'test' }, t: { instance: 'test2' } })).path;
    expect(unasked.reply).toBeNull();
  });
});

describe('statements', () => {
  it('reads one snapshot in the same number of statements however large the sets', async () => {
    const q = `{ reachability(sources: { projectId: "p1" }, destinations: { projectId: "p1" }, flows: [{ protocol: TCP, destinationPort: 80 }, { protocol: ICMP }]) { pairCount } }`;
    const before = await s.request(q);
    for (let i = 0; i < 6; i++) {
      await s.gql(`mutation($i: BootInstanceInput!) { bootInstance(input: $i) { userErrors { message } } }`, { i: { name: `filler-${i}`, projectId: 'p1', hostName: i % 2 ? 'compute-1' : 'compute-2', networks: [{ networkId: c.nets.net1 }] } });
    }
    const after = await s.request(q);
    expect(after.data.reachability.pairCount).toBeGreaterThan(before.data.reachability.pairCount);
    expect(after.extensions?.sqlStatements).toBe(before.extensions?.sqlStatements);
    expect(before.extensions?.sqlStatements).toBeLessThanOrEqual(6);
  });
});
