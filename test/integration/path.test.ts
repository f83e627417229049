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
  verdict dropReason reachedDestination explanation tunnelIds hosts { name } routers { name }
  hops { seq host { name } namespace device kind vlan tunnelId action } } }`;

type HopRow = [string | null, string, string, number | null, number | null];
interface PathOut {
  verdict: string;
  reachedDestination: boolean;
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

describe('the worked example (docs/neutron-model.md, "A worked example")', () => {
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

  it('to an address outside the cloud: out of qg with SNAT to the gateway IP, over br-ex, EXITED at the gateway', async () => {
    const p = await path({ instance: 'test' }, { ipAddress: '8.8.8.8' });
    expect([p.verdict, p.dropReason, p.reachedDestination]).toEqual(['EXITED', null, true]);
    expect(p.hops.at(-1)?.action).toBe('exit through gateway 172.24.4.1: 172.24.4.2 -> 8.8.8.8');
    expect(p.explanation).toContain(`left the modelled cloud through gateway 172.24.4.1 of network public (${c.nets.public}), as 172.24.4.2 -> 8.8.8.8; what happens after is outside the model`);
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

  it("to another project's VM named: addressed at its floating IP, out of r1's qg, into r2's qg, DNAT", async () => {
    const p = await path({ instance: 'test' }, { instance: 'db' }, { protocol: 'TCP', destinationPort: 22 });
    expect(p.verdict).toBe('DELIVERED');
    expect(p.hops[0].action).toBe(`send TCP 22 10.0.1.5 -> ${c.fips.db}`);
    expect(p.explanation).toContain(`db is addressed at its floating IP ${c.fips.db}: router r1 (${c.routers.r1}) has no route to its fixed IP 10.0.3.5 but its default route`);
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

  it("to another project's VM by its fixed IP: never retargeted; out by r1's default route with SNAT, EXITED, the hint names the floating IP", async () => {
    const p = await path({ instance: 'test' }, { ipAddress: '10.0.3.5' }, { protocol: 'TCP', destinationPort: 22 });
    expect([p.verdict, p.dropReason, p.reachedDestination]).toEqual(['EXITED', null, false]);
    expect(p.hops[0].action).toBe('send TCP 22 10.0.1.5 -> 10.0.3.5');
    expect(rows(p).slice(-8)).toEqual([
      ['network-1', dev['r1.net1'], 'ROUTER_INTERFACE', 1, null],
      ['network-1', `qrouter-${c.routers.r1}`, 'NAMESPACE', null, null],
      ['network-1', dev['r1.gw'], 'GATEWAY_INTERFACE', 3, null],
      ['network-1', 'br-int', 'OVS_BRIDGE', 3, null],
      ['network-1', 'int-br-ex', 'PATCH_PORT', 3, null],
      ['network-1', 'phy-br-ex', 'PATCH_PORT', 3, null],
      ['network-1', 'br-ex', 'OVS_BRIDGE', null, null],
      [null, '172.24.4.1', 'EXTERNAL_GATEWAY', null, null],
    ]);
    expect(p.hops.find((h) => h.kind === 'NAMESPACE')?.action).toBe('route default via 172.24.4.1');
    expect(p.hops.find((h) => h.kind === 'GATEWAY_INTERFACE')?.action).toBe('SNAT 10.0.1.5 -> 172.24.4.2');
    expect(p.hops.at(-1)?.action).toBe('exit through gateway 172.24.4.1: 172.24.4.2 -> 10.0.3.5');
    expect(p.routers.map((r) => r.name)).toEqual(['r1']);
    expect(p.explanation).toMatch(new RegExp(` 10\\.0\\.3\\.5 is a fixed IP of db; its floating IP ${c.fips.db.replace(/\./g, '\\.')} would reach it\\.$`));
  });

  it("to another project's VM without a floating IP: out by the default route, EXITED, nothing claims delivery", async () => {
    const p = await path({ instance: 'test' }, { instance: 'db2' });
    expect([p.verdict, p.dropReason]).toEqual(['EXITED', null]);
    expect(p.hops.at(-1)).toMatchObject({ kind: 'EXTERNAL_GATEWAY', device: '172.24.4.1', action: 'exit through gateway 172.24.4.1: 172.24.4.2 -> 10.0.3.6' });
    expect(p.hops.some((h) => h.device === 'db2')).toBe(false);
    expect(p.explanation).toMatch(/ 10\.0\.3\.6 is a fixed IP of db2, which has no floating IP\.$/);
  });

  it('an extra route whose next hop is a VM: r5 hands the packet to the appliance VM, EXITED there', async () => {
    const p = await path({ instance: 'client' }, { ipAddress: '192.168.50.1' });
    expect([p.verdict, p.dropReason]).toEqual(['EXITED', null]);
    const r5 = `qrouter-${c.routers.r5}`;
    expect(rows(p).slice(16)).toEqual([
      ['network-1', dev['r5.appliances'], 'ROUTER_INTERFACE', 6, null],
      ['network-1', r5, 'NAMESPACE', null, null],
      ['network-1', dev['r5.appliances'], 'ROUTER_INTERFACE', 6, null],
      ...tunnel(['network-1', N1, 6], ['compute-1', C1, 4], 0x3e),
      ...vmSide('compute-1', 'appliance', 4, true),
    ]);
    expect(p.hops.filter((h) => h.namespace === r5).map((h) => h.action)).toEqual([
      'in on 10.0.6.1 (10.0.6.0/24)', 'route 192.168.50.0/24 via 10.0.6.5', 'out to 10.0.6.0/24, no NAT',
    ]);
    expect(p.hops.at(-1)?.action).toBe('hand 10.0.6.6 -> 192.168.50.1 to appliance (next hop 10.0.6.5)');
    expect(p.explanation).toContain('; handed to appliance (10.0.6.5), the next hop towards 192.168.50.1, which routes it onwards; what that VM does with it is outside the model;');
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

  it('NO_FLOATING_IP from outside to a VM without one', async () => {
    const p = await path({ ipAddress: '198.51.100.7' }, { instance: 'db2' });
    expect([p.verdict, p.dropReason]).toEqual(['DROPPED', 'NO_FLOATING_IP']);
    expect(p.explanation).toContain('10.0.3.6 of db2 is a fixed IP, which is not reachable from outside the cloud');
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

describe('metadata (169.254.169.254)', () => {
  const METADATA = { ipAddress: '169.254.169.254' };
  const HTTP = { protocol: 'TCP', destinationPort: 80 };

  it("through the subnet's router: REDIRECT on the qr- port to the L3 agent's proxy on 9697 in qrouter", async () => {
    const p = await path({ instance: 'test' }, METADATA, HTTP);
    expect([p.verdict, p.dropReason]).toEqual(['DELIVERED', null]);
    const r1 = `qrouter-${c.routers.r1}`;
    expect(rows(p).slice(-2)).toEqual([
      ['network-1', dev['r1.net1'], 'ROUTER_INTERFACE', 1, null],
      ['network-1', 'haproxy', 'METADATA_PROXY', null, null],
    ]);
    expect(p.hops.slice(-2).map((h) => [h.namespace, h.action])).toEqual([
      [r1, 'REDIRECT 169.254.169.254:80 to local port 9697'],
      [r1, "the L3 agent's metadata proxy (haproxy) on port 9697 answers for router r1"],
    ]);
    expect(p.explanation).toContain(`answered by the metadata proxy in ${r1}`);
  });

  it("isolated: by DHCP's host route to the DHCP port, where the DHCP agent's proxy answers in qdhcp", async () => {
    const dhcp = await s.db.prisma.port.findFirstOrThrow({ where: { networkId: c.nets.isolated, deviceOwner: 'network:dhcp' }, include: { fixedIps: true } });
    const p = await path({ instance: 'recluse' }, METADATA, HTTP);
    expect([p.verdict, p.dropReason]).toEqual(['DELIVERED', null]);
    const ns = `qdhcp-${c.nets.isolated}`;
    const vlans = p.hops.filter((h) => h.kind === 'OVS_BRIDGE' && h.device === 'br-int').map((h) => h.vlan);
    expect(rows(p)).toEqual([
      ...vmSide('compute-2', 'recluse', vlans[0]!),
      ...tunnel(['compute-2', C2, vlans[0]!], ['network-1', N1, vlans[1]!], 0x3f),
      ['network-1', tapName(dhcp.id), 'DHCP_INTERFACE', vlans[1], null],
      ['network-1', 'haproxy', 'METADATA_PROXY', null, null],
    ]);
    expect(p.hops.slice(-2).map((h) => [h.namespace, h.action])).toEqual([
      [ns, `in on ${dhcp.fixedIps[0].ipAddress}; 169.254.169.254/32 is an address of ${ns}`],
      [ns, "the DHCP agent's metadata proxy (haproxy) listens on 169.254.169.254:80 and answers for network isolated"],
    ]);
  });

  it('isolated without enable_isolated_metadata: no route to the metadata address', async () => {
    await s.db.prisma.host.update({ where: { id: c.hosts['network-1'] }, data: { enableIsolatedMetadata: false } });
    try {
      const p = await path({ instance: 'recluse' }, METADATA, HTTP);
      expect([p.verdict, p.dropReason]).toEqual(['DROPPED', 'NO_ROUTER']);
    } finally {
      await s.db.prisma.host.update({ where: { id: c.hosts['network-1'] }, data: { enableIsolatedMetadata: true } });
    }
  });
});

describe('named IP protocols in security group rules', () => {
  const RULE = `mutation($i: CreateSecurityGroupRuleInput!) { createSecurityGroupRule(input: $i) { rule { id protocol portRangeMin } userErrors { field message code } } }`;

  it('accepts every name neutron-lib accepts, refuses others and ports on protocols without ports', async () => {
    const group = (await s.gql(`mutation { createSecurityGroup(input: { name: "protocols", projectId: "p1" }) { securityGroup { id } } }`)).createSecurityGroup.securityGroup.id;
    for (const protocol of ['sctp', 'VRRP', 'gre', 'esp', 'ah', 'igmp', 'ipip', 'ospf', 'pgm', 'udplite', 'dccp', 'ipv6-encap', '112']) {
      const out = (await s.gql(RULE, { i: { securityGroupId: group, direction: 'INGRESS', protocol } })).createSecurityGroupRule;
      expect([protocol, out.userErrors]).toEqual([protocol, []]);
      expect(out.rule.protocol).toBe(protocol.toLowerCase());
    }
    const bad = (await s.gql(RULE, { i: { securityGroupId: group, direction: 'INGRESS', protocol: 'smtp' } })).createSecurityGroupRule;
    expect(bad.userErrors[0]).toMatchObject({ field: ['input', 'protocol'], code: 'INVALID' });
    expect(bad.userErrors[0].message).toContain("protocol 'smtp' is not supported");
    const ports = (await s.gql(RULE, { i: { securityGroupId: group, direction: 'INGRESS', protocol: 'gre', portRangeMin: 1, portRangeMax: 2 } })).createSecurityGroupRule;
    expect(ports.userErrors[0]).toMatchObject({ field: ['input', 'portRangeMin'], code: 'INVALID' });
    const sctpPorts = (await s.gql(RULE, { i: { securityGroupId: group, direction: 'INGRESS', protocol: '132', portRangeMin: 5000, portRangeMax: 5001 } })).createSecurityGroupRule;
    expect(sctpPorts.userErrors).toEqual([]);
  });

  it('renders them as the iptables driver does and decides SCTP and GRE paths by them', async () => {
    const group = (await s.gql(`mutation { createSecurityGroup(input: { name: "tunnels", projectId: "p1" }) { securityGroup { id } } }`)).createSecurityGroup.securityGroup.id;
    for (const rule of [{ protocol: 'sctp', portRangeMin: 3868, portRangeMax: 3868 }, { protocol: 'ipip' }, { protocol: 'gre', remoteIpPrefix: '10.0.1.0/24' }]) {
      expect((await s.gql(RULE, { i: { securityGroupId: group, direction: 'INGRESS', ...rule } })).createSecurityGroupRule.userErrors).toEqual([]);
    }
    const vm = await s.gql(`mutation($i: BootInstanceInput!) { bootInstance(input: $i) { instance { ports { id } } userErrors { message } } }`,
      { i: { name: 'peer', projectId: 'p1', hostName: 'compute-2', networks: [{ networkId: c.nets.net1, fixedIp: '10.0.1.40' }], securityGroupIds: [group] } });
    const port = vm.bootInstance.instance.ports[0].id;
    const firewall = await s.gql(`query($id: ID!) { node(id: $id) { ... on Port { firewall { iptables } } } }`, { id: port });
    const chain = firewall.node.firewall.iptables as string;
    expect(chain).toContain('-p sctp -m sctp --dport 3868 -j RETURN');
    expect(chain).toContain('-p ipencap -j RETURN');
    expect(chain).toContain('-s 10.0.1.0/24 -p gre -j RETURN');
    expect((await path({ instance: 'test' }, { instance: 'peer' }, { protocol: 'SCTP', destinationPort: 3868 })).verdict).toBe('DELIVERED');
    expect((await path({ instance: 'test' }, { instance: 'peer' }, { protocol: 'SCTP', destinationPort: 3869 })).dropReason).toBe('SECURITY_GROUP_INGRESS');
    expect((await path({ instance: 'test' }, { instance: 'peer' }, { protocol: 'GRE' })).verdict).toBe('DELIVERED');
    expect((await path({ instance: 'test' }, { instance: 'peer' }, { protocol: 'IPIP' })).verdict).toBe('DELIVERED');
    expect((await path({ instance: 'test' }, { instance: 'peer' }, { protocol: 'VRRP' })).dropReason).toBe('SECURITY_GROUP_INGRESS');
    expect((await path({ instance: 'test2' }, { instance: 'peer' }, { protocol: 'TCP', destinationPort: 3868 })).dropReason).toBe('SECURITY_GROUP_INGRESS');
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
    expect(data.m.diagram).toMatch(/ {2}verdict\{\{"DELIVERED"\}\}\n {2}h21 --> verdict\n$/);
    expect(data.d.diagram).toMatch(/^digraph path \{/);
    expect(data.d.diagram).toContain('cluster_');
  });

  it("ends a dropped path's diagram with the verdict and the drop reason where it stops", async () => {
    const data = await s.gql(`{ path(from: { instance: "jailed" }, to: { instance: "test" }) { hops { seq } m: diagram d: diagram(format: DOT) } }`);
    const last = data.path.hops.length;
    expect(data.path.m).toContain(`  verdict{{"DROPPED: SECURITY_GROUP_EGRESS"}}\n  h${last} --> verdict\n`);
    expect(data.path.d).toContain(`  verdict [label="DROPPED: SECURITY_GROUP_EGRESS", shape=octagon];\n  h${last} -> verdict;\n}`);
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
