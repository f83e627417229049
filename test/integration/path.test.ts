// path(from, to, flow) over HTTP: every case and every drop reason, with
// exact device sequences, local VLANs and tunnel ids.
import { startTestServer, type TestServer } from '../support/testServer.js';
import { buildPathCloud, type PathCloud } from '../support/pathCloud.js';
import { qbrName, qvbName, qvoName, tapName } from '../../src/domain/naming.js';

let s: TestServer;
let c: PathCloud;
/** Device names of router ports: r1.net1 -> qr-…, r1.gw -> qg-… */
const dev: Record<string, string> = {};

beforeAll(async () => {
  s = await startTestServer();
  c = await buildPathCloud(s);
  const routers = await s.gql(`{ routers(first: 20) { nodes { name interfaces { device subnet { id } } gateway { device } } } }`);
  const subnetKey = Object.fromEntries(Object.entries(c.subnets).map(([k, v]) => [v, k]));
  for (const r of routers.routers.nodes) {
    for (const i of r.interfaces) dev[`${r.name}.${subnetKey[i.subnet.id]}`] = i.device;
    if (r.gateway) dev[`${r.name}.gw`] = r.gateway.device;
  }
});
afterAll(async () => s?.stop());

const PATH = `query($f: EndpointInput!, $t: EndpointInput!, $flow: FlowInput) { path(from: $f, to: $t, flow: $flow) {
  verdict dropReason explanation tunnelIds hosts { name } routers { name }
  hops { seq host { name } namespace device kind vlan tunnelId action } } }`;

type HopRow = [string | null, string, string, number | null, number | null];
interface PathOut {
  verdict: string;
  dropReason: string | null;
  explanation: string;
  tunnelIds: number[];
  hosts: { name: string }[];
  routers: { name: string }[];
  hops: { seq: number; host: { name: string } | null; namespace: string | null; device: string; kind: string; vlan: number | null; tunnelId: number | null; action: string }[];
}

async function path(from: object, to: object, flow?: object): Promise<PathOut> {
  const body = await s.request(PATH, { f: from, t: to, flow });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data.path;
}

const rows = (p: PathOut): HopRow[] => p.hops.map((h) => [h.host?.name ?? null, h.device, h.kind, h.vlan, h.tunnelId]);

/** VM side of a port: VNIC, tap, qbr, qvb, qvo (reversed when arriving). */
function vmSide(host: string, vm: string, vlan: number, arriving = false): HopRow[] {
  const port = c.vms[vm].port;
  const out: HopRow[] = [
    [host, vm, 'VNIC', null, null],
    [host, tapName(port), 'TAP', null, null],
    [host, qbrName(port), 'LINUX_BRIDGE', null, null],
    [host, qvbName(port), 'VETH', null, null],
    [host, qvoName(port), 'VETH', vlan, null],
  ];
  return arriving ? out.reverse() : out;
}

/** br-int -> br-tun -> tunnel -> overlay -> tunnel -> br-tun -> br-int. */
function tunnel(from: [string, string, number], to: [string, string, number], vni: number): HopRow[] {
  const [hostA, ipHexA, vlanA] = from;
  const [hostB, ipHexB, vlanB] = to;
  return [
    [hostA, 'br-int', 'OVS_BRIDGE', vlanA, null],
    [hostA, 'patch-tun', 'PATCH_PORT', vlanA, null],
    [hostA, 'patch-int', 'PATCH_PORT', vlanA, null],
    [hostA, 'br-tun', 'OVS_BRIDGE', null, vni],
    [hostA, `vxlan-${ipHexB}`, 'TUNNEL_PORT', null, vni],
    [null, `vxlan 0x${vni.toString(16)}`, 'OVERLAY', null, vni],
    [hostB, `vxlan-${ipHexA}`, 'TUNNEL_PORT', null, vni],
    [hostB, 'br-tun', 'OVS_BRIDGE', null, vni],
    [hostB, 'patch-int', 'PATCH_PORT', vlanB, null],
    [hostB, 'patch-tun', 'PATCH_PORT', vlanB, null],
    [hostB, 'br-int', 'OVS_BRIDGE', vlanB, null],
  ];
}

const C1 = '0a00000b';
const C2 = '0a00000c';
const N1 = '0a000015';

describe('the seeds worked examples (NEUTRON-MODEL.md §9)', () => {
  it('test and test3 on one host stay on br-int, VLAN 1', async () => {
    const p = await path({ instance: 'test' }, { instance: 'test3' });
    expect(p.verdict).toBe('DELIVERED');
    expect(rows(p)).toEqual([...vmSide('compute-1', 'test', 1), ['compute-1', 'br-int', 'OVS_BRIDGE', 1, null], ...vmSide('compute-1', 'test3', 1, true)]);
    expect(p.tunnelIds).toEqual([]);
    expect(p.hosts).toEqual([{ name: 'compute-1' }]);
    expect(p.hops[2].action).toMatch(/^security group egress: allowed by rule .* of security group default/);
  });

  it('test to test2 on another host: VLAN 1 -> tunnel 0x39 -> VLAN 2', async () => {
    const p = await path({ instance: 'test' }, { instance: 'test2' });
    expect(rows(p)).toEqual([
      ...vmSide('compute-1', 'test', 1),
      ...tunnel(['compute-1', C1, 1], ['compute-2', C2, 2], 0x39),
      ...vmSide('compute-2', 'test2', 2, true),
    ]);
    expect(p.hops.find((h) => h.device === 'br-tun' && h.host?.name === 'compute-1')?.action).toBe('strip VLAN 1, set tunnel 0x39');
    expect(p.hops.find((h) => h.device === 'br-tun' && h.host?.name === 'compute-2')?.action).toBe('tunnel 0x39 -> local VLAN 2');
    expect(p.tunnelIds).toEqual([0x39]);
    expect(p.hosts.map((h) => h.name)).toEqual(['compute-1', 'compute-2']);
  });

  it('different networks go through qrouter on the network node', async () => {
    const p = await path({ instance: 'test' }, { instance: 'web' }, { protocol: 'TCP', destinationPort: 80 });
    const ns = `qrouter-${c.routers.r1}`;
    expect(rows(p)).toEqual([
      ...vmSide('compute-1', 'test', 1),
      ...tunnel(['compute-1', C1, 1], ['network-1', N1, 1], 0x39),
      ['network-1', dev['r1.net1'], 'ROUTER_INTERFACE', 1, null],
      ['network-1', ns, 'NAMESPACE', null, null],
      ['network-1', dev['r1.net2'], 'ROUTER_INTERFACE', 2, null],
      ...tunnel(['network-1', N1, 2], ['compute-2', C2, 3], 0x3a),
      ...vmSide('compute-2', 'web', 3, true),
    ]);
    expect(p.hops.find((h) => h.kind === 'NAMESPACE')?.action).toBe(`route 10.0.2.0/24 via ${dev['r1.net2']}`);
    expect(p.hops.filter((h) => h.kind === 'ROUTER_INTERFACE').map((h) => h.namespace)).toEqual([ns, ns]);
    expect(p.tunnelIds).toEqual([0x39, 0x3a]);
    expect(p.routers).toEqual([{ name: 'r1' }]);
    expect(p.explanation).toContain('replies are allowed back');
  });
});

describe('routed cases', () => {
  it('two subnets of one network on one router: routed, same tunnel id', async () => {
    const p = await path({ instance: 'test' }, { instance: 'multi' });
    expect(p.verdict).toBe('DELIVERED');
    expect(p.hops.filter((h) => h.kind === 'ROUTER_INTERFACE').map((h) => [h.device, h.vlan])).toEqual([[dev['r1.net1'], 1], [dev['r1.net1-1'], 1]]);
    expect(p.tunnelIds).toEqual([0x39]);
  });

  it('to an address outside the cloud: out of qg with SNAT to the gateway IP, over br-ex', async () => {
    const p = await path({ instance: 'test' }, { ipAddress: '8.8.8.8' });
    expect(p.verdict).toBe('DELIVERED');
    expect(rows(p).slice(-7)).toEqual([
      ['network-1', `qrouter-${c.routers.r1}`, 'NAMESPACE', null, null],
      ['network-1', dev['r1.gw'], 'GATEWAY_INTERFACE', 3, null],
      ['network-1', 'br-int', 'OVS_BRIDGE', 3, null],
      ['network-1', 'int-br-ex', 'PATCH_PORT', 3, null],
      ['network-1', 'phy-br-ex', 'PATCH_PORT', 3, null],
      ['network-1', 'br-ex', 'OVS_BRIDGE', null, null],
      [null, '172.24.4.1', 'EXTERNAL_GATEWAY', null, null],
    ]);
    expect(p.hops.find((h) => h.kind === 'GATEWAY_INTERFACE')?.action).toBe('SNAT 10.0.1.5 -> 172.24.4.2');
    expect(p.hops.find((h) => h.kind === 'NAMESPACE')?.action).toBe('route default via 172.24.4.1');
  });

  it("to another project's VM through its floating IP: out of r1's qg, into r2's qg, DNAT", async () => {
    const p = await path({ instance: 'test' }, { instance: 'db' }, { protocol: 'TCP', destinationPort: 22 });
    expect(p.verdict).toBe('DELIVERED');
    const mid = p.hops.filter((h) => h.host?.name === 'network-1' && ['GATEWAY_INTERFACE', 'NAMESPACE', 'ROUTER_INTERFACE'].includes(h.kind));
    expect(mid.map((h) => [h.device, h.action])).toEqual([
      [dev['r1.net1'], 'in on 10.0.1.1 (10.0.1.0/24)'],
      [`qrouter-${c.routers.r1}`, 'route 172.24.4.0/24 via ' + dev['r1.gw']],
      [dev['r1.gw'], 'SNAT 10.0.1.5 -> 172.24.4.2'],
      [dev['r2.gw'], `DNAT ${c.fips.db} -> 10.0.3.5`],
      [`qrouter-${c.routers.r2}`, `route 10.0.3.0/24 via ${dev['r2.net3']}`],
      [dev['r2.net3'], 'out to 10.0.3.0/24, no NAT'],
    ]);
    expect(p.routers.map((r) => r.name)).toEqual(['r1', 'r2']);
    expect(p.tunnelIds).toEqual([0x39, 0x3b]);
    expect(p.hosts.map((h) => h.name)).toEqual(['compute-1', 'network-1', 'compute-1']);
  });

  it('to a floating IP of its own project: DNAT on the router, hairpin SNAT to the gateway IP', async () => {
    const p = await path({ instance: 'test' }, { ipAddress: c.fips.web }, { protocol: 'TCP', destinationPort: 80 });
    expect(p.verdict).toBe('DELIVERED');
    expect(p.hops.filter((h) => h.kind === 'ROUTER_INTERFACE').map((h) => h.action)).toEqual([`DNAT ${c.fips.web} -> 10.0.2.5`, 'SNAT 10.0.1.5 -> 172.24.4.2']);
    expect(p.hops.at(-1)).toMatchObject({ device: 'web', kind: 'VNIC' });
  });

  it('from outside to a floating IP: in through br-ex and qg', async () => {
    const p = await path({ ipAddress: '198.51.100.7' }, { ipAddress: c.fips.db }, { protocol: 'TCP', destinationPort: 22 });
    expect(p.verdict).toBe('DELIVERED');
    expect(rows(p).slice(0, 7)).toEqual([
      [null, '172.24.4.1', 'EXTERNAL_GATEWAY', null, null],
      ['network-1', 'br-ex', 'OVS_BRIDGE', null, null],
      ['network-1', 'phy-br-ex', 'PATCH_PORT', null, null],
      ['network-1', 'int-br-ex', 'PATCH_PORT', 3, null],
      ['network-1', 'br-int', 'OVS_BRIDGE', 3, null],
      ['network-1', dev['r2.gw'], 'GATEWAY_INTERFACE', 3, null],
      ['network-1', `qrouter-${c.routers.r2}`, 'NAMESPACE', null, null],
    ]);
  });
});

describe('drop reasons', () => {
  it('SECURITY_GROUP_EGRESS at the source qbr', async () => {
    const p = await path({ instance: 'jailed' }, { instance: 'test' });
    expect([p.verdict, p.dropReason]).toEqual(['DROPPED', 'SECURITY_GROUP_EGRESS']);
    expect(rows(p).at(-1)).toEqual(['compute-1', qbrName(c.vms.jailed.port), 'LINUX_BRIDGE', null, null]);
    expect(p.explanation).toContain('locked');
  });

  it('SECURITY_GROUP_INGRESS at the destination qbr, judged on the translated source', async () => {
    const p = await path({ instance: 'test' }, { instance: 'db' }, { protocol: 'ICMP' });
    expect([p.verdict, p.dropReason]).toEqual(['DROPPED', 'SECURITY_GROUP_INGRESS']);
    expect(rows(p).at(-1)).toEqual(['compute-1', qbrName(c.vms.db.port), 'LINUX_BRIDGE', null, null]);
    expect(p.explanation).toContain('from 172.24.4.2');
  });

  it('NO_ROUTER when no router serves the subnet', async () => {
    const p = await path({ instance: 'hermit' }, { instance: 'test' });
    expect([p.dropReason, p.hops.length]).toEqual(['NO_ROUTER', 1]);
  });

  it('NO_GATEWAY when the router has no external gateway', async () => {
    const p = await path({ instance: 'cellar' }, { ipAddress: '8.8.8.8' });
    expect(p.dropReason).toBe('NO_GATEWAY');
    expect(p.hops.at(-1)).toMatchObject({ kind: 'NAMESPACE', device: `qrouter-${c.routers.r3}` });
    expect(p.explanation).toContain('r3');
  });

  it('NO_FLOATING_IP for another project\'s VM without one', async () => {
    const p = await path({ instance: 'test' }, { instance: 'db2' });
    expect(p.dropReason).toBe('NO_FLOATING_IP');
    expect(p.explanation).toContain('db2');
  });

  it('NO_ROUTE when the router routes on to a VM (the model routes only through Neutron routers)', async () => {
    const p = await path({ instance: 'client' }, { ipAddress: '192.168.50.1' });
    expect(p.dropReason).toBe('NO_ROUTE');
    expect(p.hops.slice(-3).map((h) => [h.kind, h.action])).toEqual([
      ['NAMESPACE', 'route 192.168.50.0/24 via 10.0.6.5'],
      ['ROUTER_INTERFACE', 'out to 10.0.6.0/24, no NAT'],
      ['OVS_BRIDGE', 'dropped: 10.0.6.5 is not a router'],
    ]);
  });

  it('PORT_UNBOUND for a port with no host', async () => {
    const port = await s.gql(`mutation($i: CreatePortInput!) { createPort(input: $i) { port { id } } }`, { i: { networkId: c.nets.net1, deviceOwner: 'compute:nova' } });
    const p = await path({ instance: 'test' }, { portId: port.createPort.port.id });
    expect(p.dropReason).toBe('PORT_UNBOUND');
  });

  it('PORT_DOWN for a bound port its agent reports down', async () => {
    // The status a Neutron agent would report (and an import would carry).
    await s.db.prisma.port.update({ where: { id: c.vms.test3.port }, data: { status: 'DOWN' } });
    try {
      const p = await path({ instance: 'test' }, { instance: 'test3' });
      expect(p.dropReason).toBe('PORT_DOWN');
    } finally {
      await s.db.prisma.port.update({ where: { id: c.vms.test3.port }, data: { status: 'ACTIVE' } });
    }
  });

  it('HOST_DOWN at the first hop on a host that is down', async () => {
    await s.gql(`mutation { setHostStatus(input: { hostName: "compute-2", up: false }) { host { up } } }`);
    try {
      const p = await path({ instance: 'test' }, { instance: 'test2' });
      expect(p.dropReason).toBe('HOST_DOWN');
      expect(rows(p).at(-1)).toEqual(['compute-2', `vxlan-${C1}`, 'TUNNEL_PORT', null, 0x39]);
    } finally {
      await s.gql(`mutation { setHostStatus(input: { hostName: "compute-2", up: true }) { host { up } } }`);
    }
  });

  it('NO_L3_AGENT when the router\'s host is down', async () => {
    await s.gql(`mutation { setHostStatus(input: { hostName: "network-1", up: false }) { host { up } } }`);
    try {
      const p = await path({ instance: 'test' }, { instance: 'web' }, { protocol: 'TCP', destinationPort: 80 });
      expect(p.dropReason).toBe('NO_L3_AGENT');
      expect(p.explanation).toContain('network-1');
    } finally {
      await s.gql(`mutation { setHostStatus(input: { hostName: "network-1", up: true }) { host { up } } }`);
    }
  });
});

describe('input, diagrams and statements', () => {
  it('refuses endpoints that are not exactly one thing, or unknown', async () => {
    const both = await s.request(PATH, { f: { instance: 'test', portId: c.vms.test.port }, t: { instance: 'test2' } });
    expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await s.request(PATH, { f: { instance: 'nobody' }, t: { instance: 'test2' } });
    expect(unknown.errors?.[0]).toMatchObject({ message: 'instance nobody does not exist', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('draws the hops grouped by host in Mermaid and DOT', async () => {
    const q = `{ m: path(from: { instance: "test" }, to: { instance: "test2" }) { diagram }
      d: path(from: { instance: "test" }, to: { instance: "test2" }) { diagram(format: DOT) } }`;
    const data = await s.gql(q);
    expect(data.m.diagram).toMatch(/^flowchart LR/);
    expect(data.m.diagram).toContain('subgraph');
    expect(data.m.diagram).toContain('compute-2');
    expect(data.d.diagram).toMatch(/^digraph path \{/);
    expect(data.d.diagram).toContain('cluster_');
  });

  it('loads a path in the same number of statements however many VMs the cloud has', async () => {
    const q = `{ path(from: { instance: "test" }, to: { instance: "web" }, flow: { protocol: TCP, destinationPort: 80 }) { verdict } }`;
    const before = (await s.request(q)).extensions?.sqlStatements;
    for (let i = 0; i < 15; i++) {
      await s.gql(`mutation($i: BootInstanceInput!) { bootInstance(input: $i) { userErrors { message } } }`, { i: { name: `filler-${i}`, projectId: 'p1', hostName: i % 2 ? 'compute-1' : 'compute-2', networks: [{ networkId: c.nets.net1 }, { networkId: c.nets.net2 }] } });
    }
    const after = (await s.request(q)).extensions?.sqlStatements;
    expect(after).toBe(before);
  });

  it("answers with the hosts and routers of the snapshot it traced on, in one statement", async () => {
    const q = `{ path(from: { instance: "test" }, to: { ipAddress: "${c.fips.db}" }, flow: { protocol: TCP, destinationPort: 22 }) {
      hosts { id name up } routers { id name createdAt host { name } } hops { host { name tunnelIp } } } }`;
    const body = await s.request(q);
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.sqlStatements).toBe(1);
    const { path } = body.data;
    expect(path.hosts.map((h: { name: string }) => h.name)).toEqual(['compute-1', 'network-1', 'compute-1']);
    expect(path.hosts[0]).toEqual({ id: c.hosts['compute-1'], name: 'compute-1', up: true });
    // The same rows as the API reads.
    const routers = await s.gql(`{ routers(first: 20) { nodes { id name createdAt host { name } } } }`);
    const byId = new Map(routers.routers.nodes.map((r: { id: string }) => [r.id, r]));
    expect(path.routers.map((r: { name: string }) => r.name)).toEqual(['r1', 'r2']);
    for (const r of path.routers) expect(r).toEqual(byId.get(r.id));
    expect(path.hops.find((h: { host: unknown }) => h.host).host).toEqual({ name: 'compute-1', tunnelIp: '10.0.0.11' });
  });
});
