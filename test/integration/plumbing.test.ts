// Host plumbing through GraphQL: the seeds' two-host example, namespaces,
// the firewall of a port, and the statements a host's plumbing costs.
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';

let s: TestServer;
let net1: { id: string };
let test: { id: string; ports: { id: string }[] };

beforeAll(async () => {
  s = await startTestServer();
  // The seeds' hosts run l2population with the ARP responder.
  const l2pop = { l2Population: true, arpResponder: true };
  await registerHost(s, 'compute-1', '10.0.0.11', ['COMPUTE'], l2pop);
  await registerHost(s, 'compute-2', '10.0.0.12', ['COMPUTE'], l2pop);
  await registerHost(s, 'network-1', '10.0.0.21', ['NETWORK'], l2pop);
  // Host 2 wires another network first, so that net1 gets VLAN 2 there.
  const other = await createNetwork(s, { name: 'other', segmentationId: 100 });
  await createSubnet(s, { networkId: other.id, cidr: '10.9.0.0/24', enableDhcp: false });
  await bootInstance(s, { name: 'early', hostName: 'compute-2', networks: [{ networkId: other.id }] });
  net1 = await createNetwork(s, { name: 'net1', segmentationId: 0x39 });
  await createSubnet(s, { networkId: net1.id, cidr: '10.0.1.0/24', enableDhcp: false });
  test = await bootInstance(s, { name: 'test', hostName: 'compute-1', networks: [{ networkId: net1.id, fixedIp: '10.0.1.5' }] });
  await bootInstance(s, { name: 'test2', hostName: 'compute-2', networks: [{ networkId: net1.id, fixedIp: '10.0.1.6' }] });
});
afterAll(async () => s?.stop());

const hostQuery = `query($h: String!) { host(name: $h) {
  bridges { name ports { name type tag peer remoteIp localIp ofport } }
  tun: dumpFlows(bridge: "br-tun")
  t22: flows(bridge: "br-tun", table: 22) { cookie table priority match actions }
  ovsVsctlShow } }`;

describe('the seeds two-host example', () => {
  it('host 1 floods VLAN 1 onto tunnel 0x39 towards host 2', async () => {
    const { host } = await s.gql(hostQuery, { h: 'compute-1' });
    expect(host.tun).toContain(' table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"\n');
    expect(host.t22).toContainEqual({ cookie: expect.stringMatching(/^0x/), table: 22, priority: 1, match: 'dl_vlan=1', actions: 'strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"' });
    const brTun = host.bridges.find((b: { name: string }) => b.name === 'br-tun');
    expect(brTun.ports).toContainEqual({ name: 'vxlan-0a00000c', type: 'vxlan', tag: null, peer: null, remoteIp: '10.0.0.12', localIp: '10.0.0.11', ofport: 2 });
    const brInt = host.bridges.find((b: { name: string }) => b.name === 'br-int');
    expect(brInt.ports).toContainEqual(expect.objectContaining({ name: `qvo${test.ports[0].id.slice(0, 11)}`, tag: 1 }));
    expect(host.ovsVsctlShow).toContain('remote_ip="10.0.0.12"');
    // No tunnel towards the network node: it shares no network with compute-1.
    expect(host.tun).not.toContain('vxlan-0a000015');
  });

  it('host 2 maps tunnel 0x39 to its own VLAN 2', async () => {
    const { host } = await s.gql(hostQuery, { h: 'compute-2' });
    expect(host.tun).toContain(' table=4, priority=1,tun_id=0x39 actions=mod_vlan_vid:2,resubmit(,10)\n');
    expect(host.tun).toContain('output:"vxlan-0a00000b"');
  });

  it('refuses a bridge the host does not have', async () => {
    const body = await s.request(`{ host(name: "compute-1") { dumpFlows(bridge: "br-nope") } }`);
    expect(body.errors?.[0]).toMatchObject({ message: "host 'compute-1' has no bridge 'br-nope'; it has br-int, br-tun, br-ex", extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('namespaces and firewall', () => {
  it('builds qrouter with qr/qg addresses, routes and NAT, and qdhcp', async () => {
    const ext = await createNetwork(s, { name: 'public', networkType: 'FLAT', physicalNetwork: 'physnet1', external: true });
    await createSubnet(s, { networkId: ext.id, cidr: '172.24.4.0/24', enableDhcp: false });
    const net = await createNetwork(s, { name: 'routed', segmentationId: 300 });
    const sub = await createSubnet(s, { networkId: net.id, cidr: '10.30.0.0/24' });
    const router = (await s.gql(`mutation { createRouter(input: { name: "r1", projectId: "p1" }) { router { id } } }`)).createRouter.router;
    await s.gql(`mutation($i: RouterInterfaceInput!) { addRouterInterface(input: $i) { ${USER_ERRORS} } }`, { i: { routerId: router.id, subnetId: sub.id } });
    const gw = await s.gql(`mutation($i: SetRouterGatewayInput!) { setRouterGateway(input: $i) { router { gateway { ipAddress device enableSnat } } ${USER_ERRORS} } }`, { i: { routerId: router.id, externalNetworkId: ext.id } });
    expect(gw.setRouterGateway.router.gateway).toMatchObject({ ipAddress: '172.24.4.2', enableSnat: true });
    const vm = await bootInstance(s, { name: 'web', hostName: 'compute-1', networks: [{ networkId: net.id }] });
    const fip = await s.gql(`mutation($i: CreateFloatingIpInput!) { createFloatingIp(input: $i) { floatingIp { floatingIpAddress fixedIpAddress router { id } } ${USER_ERRORS} } }`,
      { i: { externalNetworkId: ext.id, portId: vm.ports[0].id } });
    expect(fip.createFloatingIp.floatingIp).toEqual({ floatingIpAddress: '172.24.4.3', fixedIpAddress: '10.30.0.3', router: { id: router.id } });

    const { host } = await s.gql(`{ host(name: "network-1") { namespaces { name kind interfaces { name addresses } routes { destination gateway device } natRules router { id } network { id } } } }`);
    const qrouter = host.namespaces.find((n: { kind: string }) => n.kind === 'QROUTER');
    const qg = gw.setRouterGateway.router.gateway.device;
    expect(qrouter.name).toBe(`qrouter-${router.id}`);
    expect(qrouter.interfaces).toEqual(expect.arrayContaining([
      { name: qg, addresses: ['172.24.4.2/24', '172.24.4.3/32'] },
      { name: expect.stringMatching(/^qr-/), addresses: ['10.30.0.1/24'] },
    ]));
    expect(qrouter.routes).toContainEqual({ destination: '0.0.0.0/0', gateway: '172.24.4.1', device: qg });
    expect(qrouter.routes).toContainEqual({ destination: '10.30.0.0/24', gateway: null, device: expect.stringMatching(/^qr-/) });
    const nat = qrouter.natRules.join('\n');
    expect(nat).toContain('-d 172.24.4.3/32 -j DNAT --to-destination 10.30.0.3');
    expect(nat.indexOf('-s 10.30.0.3/32 -j SNAT --to-source 172.24.4.3')).toBeLessThan(nat.indexOf(`-o ${qg} -j SNAT --to-source 172.24.4.2`));
    const qdhcp = host.namespaces.find((n: { kind: string; network: { id: string } | null }) => n.kind === 'QDHCP' && n.network?.id === net.id);
    expect(qdhcp.interfaces).toEqual([{ name: expect.stringMatching(/^tap/), addresses: ['10.30.0.2/24'] }]);
    const routes = await s.gql(`query($r: ID!) { node(id: $r) { ... on Router { namespace routes { destination gateway device } } } }`, { r: router.id });
    expect(routes.node.routes).toEqual(qrouter.routes);
  });

  it('renders the VM port chains of the hybrid iptables driver', async () => {
    const portId = test.ports[0].id;
    const data = await s.gql(`query($p: ID!) { node(id: $p) { ... on Port { firewall { filtered chains { name rules } iptables ipsets { name members securityGroup { name } } } } } }`, { p: portId });
    const fw = data.node.firewall;
    expect(fw.filtered).toBe(true);
    expect(fw.iptables).toContain(`-N neutron-openvswi-i${portId.slice(0, 10)}`);
    expect(fw.iptables).toContain(`-A neutron-openvswi-s${portId.slice(0, 10)} -s 10.0.1.5/32 -m mac --mac-source`);
    // The default group's ingress from its own members is an ipset of every member's address.
    expect(fw.ipsets).toContainEqual(expect.objectContaining({ members: ['10.0.1.5', '10.0.1.6', '10.9.0.2', '10.30.0.3'], securityGroup: { name: 'default' } }));
  });
});

describe('SQL statements of a host', () => {
  const Q = `query($h: String!) { host(name: $h) { bridges { name ports { name tag } } dumpFlows(bridge: "br-int") namespaces { name } ovsVsctlShow } }`;

  it('does not grow with the ports on the host', async () => {
    await registerHost(s, 'count-1', '10.0.0.31');
    await registerHost(s, 'count-2', '10.0.0.32');
    const net = await createNetwork(s, { name: 'count', segmentationId: 400 });
    await createSubnet(s, { networkId: net.id, cidr: '10.40.0.0/24', enableDhcp: false });
    await bootInstance(s, { name: 'c0', hostName: 'count-1', networks: [{ networkId: net.id }] });
    await bootInstance(s, { name: 'peer', hostName: 'count-2', networks: [{ networkId: net.id }] });
    const few = await s.request(Q, { h: 'count-1' });
    for (let i = 1; i < 20; i++) await bootInstance(s, { name: `c${i}`, hostName: 'count-1', networks: [{ networkId: net.id }] });
    const many = await s.request(Q, { h: 'count-1' });
    expect(many.data.host.bridges[0].ports.length).toBeGreaterThan(few.data.host.bridges[0].ports.length + 18);
    expect(many.extensions?.sqlStatements).toBe(few.extensions?.sqlStatements);
  });
});
