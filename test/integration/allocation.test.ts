// Local VLANs and segmentation ids as the OVS agent and ML2 allocate them.
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createPort, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ VXLAN_VNI_RANGES: '100:101', NETWORK_VLAN_RANGES: 'physnet1:200:201,physnet2', FLAT_NETWORKS: 'physnet1,physnet3' });
});
afterAll(async () => s?.stop());

const vlanOf = async (host: string, networkId: string) =>
  (await s.gql(`query($h: String!, $n: ID!) { host(name: $h) { localVlan(networkId: $n) } }`, { h: host, n: networkId })).host.localVlan;

const bind = (portId: string, hostName: string) =>
  s.gql(`mutation($i: BindPortInput!) { bindPort(input: $i) { port { id status localVlan host { name } } ${USER_ERRORS} } }`, { i: { portId, hostName } });
const unbind = (portId: string) =>
  s.gql(`mutation($i: UnbindPortInput!) { unbindPort(input: $i) { port { status localVlan host { name } } ${USER_ERRORS} } }`, { i: { portId } });

async function networkWithSubnet(name: string, cidr: string, extra: Record<string, unknown> = {}) {
  const network = await createNetwork(s, { name, networkType: 'VXLAN', segmentationId: null, ...extra });
  await createSubnet(s, { networkId: network.id, cidr, enableDhcp: false });
  return network;
}

describe('local VLANs (the seeds example)', () => {
  it('allocates per host as the agent pops them, and reclaims with the last port', async () => {
    await registerHost(s, 'seed-1', '10.10.0.1');
    await registerHost(s, 'seed-2', '10.10.0.2');
    const net1 = await createNetwork(s, { name: 'seed-net1', segmentationId: 57, networkType: 'VXLAN' });
    await createSubnet(s, { networkId: net1.id, cidr: '10.60.0.0/24', enableDhcp: false });
    const net2 = await networkWithSubnet('seed-net2', '10.61.0.0/24', { segmentationId: 58 });
    const a = await createPort(s, { networkId: net1.id });
    const b = await createPort(s, { networkId: net1.id });
    const c = await createPort(s, { networkId: net2.id });

    const bound = await bind(a.id, 'seed-1');
    expect(bound.bindPort).toEqual({ port: { id: a.id, status: 'ACTIVE', localVlan: 1, host: { name: 'seed-1' } }, userErrors: [] });
    await bind(b.id, 'seed-2');
    expect(await vlanOf('seed-2', net1.id)).toBe(1);
    await bind(c.id, 'seed-1');
    expect(await vlanOf('seed-1', net2.id)).toBe(2);

    // Host 2 taking a second network changes nothing on host 1.
    const d = await createPort(s, { networkId: net2.id });
    await bind(d.id, 'seed-2');
    expect(await vlanOf('seed-2', net2.id)).toBe(2);
    expect(await vlanOf('seed-1', net1.id)).toBe(1);

    // The last port of net1 leaves host 1: VLAN 1 is free again, but the agent's set.pop()
    // goes on after the last VLAN it gave, so the next network gets 3.
    expect((await unbind(a.id)).unbindPort.port).toEqual({ status: 'DOWN', localVlan: null, host: null });
    expect(await vlanOf('seed-1', net1.id)).toBeNull();
    const net3 = await networkWithSubnet('seed-net3', '10.62.0.0/24', { segmentationId: 59 });
    const e = await createPort(s, { networkId: net3.id });
    await bind(e.id, 'seed-1');
    expect(await vlanOf('seed-1', net3.id)).toBe(3);

    const lists = await s.gql(`query($n: ID!) { host(name: "seed-1") { localVlans { vlan network { name } } } network: node(id: $n) { ... on Network { localVlans { host { name } vlan } } } }`, { n: net2.id });
    expect(lists.host.localVlans).toEqual([{ vlan: 2, network: { name: 'seed-net2' } }, { vlan: 3, network: { name: 'seed-net3' } }]);
    expect(lists.network.localVlans).toEqual(expect.arrayContaining([{ host: { name: 'seed-1' }, vlan: 2 }, { host: { name: 'seed-2' }, vlan: 2 }]));
  });

  it('refuses hosts without the COMPUTE role or that are down, changing nothing', async () => {
    await registerHost(s, 'net-only', '10.10.0.9', ['NETWORK']);
    await registerHost(s, 'sleepy', '10.10.0.10');
    await s.gql(`mutation { setHostStatus(input: { hostName: "sleepy", up: false }) { host { up } } }`);
    const net = await networkWithSubnet('role-net', '10.63.0.0/24', { segmentationId: 60 });
    const port = await createPort(s, { networkId: net.id });
    const before = await rowCounts(s);
    expect((await bind(port.id, 'net-only')).bindPort.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'hostName'], message: "host 'net-only' has no COMPUTE role" }]);
    expect((await bind(port.id, 'sleepy')).bindPort.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'hostName'], message: "host 'sleepy' is down" }]);
    expect((await bind(port.id, 'nowhere')).bindPort.userErrors[0].code).toBe('NOT_FOUND');
    expect(await rowCounts(s)).toEqual(before);
  });

  it('reports EXHAUSTED when all 4094 VLANs of a host are taken, and binds nothing', async () => {
    const host = await registerHost(s, 'full', '10.10.0.11');
    // Fast path: 4094 networks wired on the host, written directly.
    await s.db.prisma.$executeRawUnsafe(`
      INSERT INTO "Network" (id, name, "projectId", "networkType", mtu)
      SELECT md5('fill' || g)::uuid, 'fill-' || g, 'filler', 'VXLAN', 1450 FROM generate_series(1, 4094) g`);
    await s.db.prisma.$executeRawUnsafe(`
      INSERT INTO "LocalVlan" ("hostId", "networkId", vlan)
      SELECT '${host.id}'::uuid, md5('fill' || g)::uuid, g FROM generate_series(1, 4094) g`);
    const net = await networkWithSubnet('one-too-many', '10.64.0.0/24', { segmentationId: 61 });
    const port = await createPort(s, { networkId: net.id });
    const before = await rowCounts(s);
    const result = await bind(port.id, 'full');
    expect(result.bindPort.port).toBeNull();
    expect(result.bindPort.userErrors).toEqual([{ code: 'EXHAUSTED', field: ['input', 'hostName'], message: expect.stringContaining("host 'full' has no free local VLAN") }]);
    expect(await rowCounts(s)).toEqual(before);
  });

  it('moves VLANs with a migrated instance and reclaims them on the old host', async () => {
    await registerHost(s, 'mig-1', '10.10.0.21');
    await registerHost(s, 'mig-2', '10.10.0.22');
    const net = await networkWithSubnet('mig-net', '10.65.0.0/24', { segmentationId: 62 });
    const vm = await bootInstance(s, { name: 'mover', hostName: 'mig-1', networks: [{ networkId: net.id }] });
    expect(await vlanOf('mig-1', net.id)).toBe(1);
    const moved = await s.gql(`mutation($i: MigrateInstanceInput!) { migrateInstance(input: $i) { instance { host { name } ports { host { name } localVlan status } } ${USER_ERRORS} } }`, { i: { instanceId: vm.id, hostName: 'mig-2' } });
    expect(moved.migrateInstance.instance).toEqual({ host: { name: 'mig-2' }, ports: [{ host: { name: 'mig-2' }, localVlan: 1, status: 'ACTIVE' }] });
    expect(await vlanOf('mig-1', net.id)).toBeNull();
    const gone = await s.gql(`mutation($i: DeleteInput!) { deleteInstance(input: $i) { deletedId ${USER_ERRORS} } }`, { i: { id: vm.id } });
    expect(gone.deleteInstance.deletedId).toBe(vm.id);
    expect(await vlanOf('mig-2', net.id)).toBeNull();
    expect((await s.gql(`query($n: ID!) { ports(filter: { networkId: $n, deviceOwner: "compute:nova" }) { totalCount } }`, { n: net.id })).ports.totalCount).toBe(0);
  });
});

describe('segmentation ids', () => {
  const create = (i: Record<string, unknown>) =>
    s.gql(`mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id segmentationId physicalNetwork mtu } ${USER_ERRORS} } }`, { i: { projectId: 'p1', name: 'n', ...i } });

  it('takes the lowest free VNI of a 2-id pool, then reports EXHAUSTED; delete gives it back', async () => {
    const first = (await create({})).createNetwork.network;
    const second = (await create({})).createNetwork.network;
    expect([first.segmentationId, second.segmentationId]).toEqual([100, 101]);
    expect(first.mtu).toBe(1450);
    const before = await rowCounts(s);
    const third = (await create({})).createNetwork;
    expect(third).toEqual({ network: null, userErrors: [{ code: 'EXHAUSTED', field: ['input', 'networkType'], message: expect.stringContaining('no free VXLAN segmentation id') }] });
    expect(await rowCounts(s)).toEqual(before);
    const pools = (await s.gql('{ segmentPools { networkType physicalNetwork ranges { min max } allocated free } }')).segmentPools;
    expect(pools).toContainEqual({ networkType: 'VXLAN', physicalNetwork: null, ranges: [{ min: 100, max: 101 }], allocated: 2, free: 0 });
    expect((await s.gql(`mutation($i: DeleteInput!) { deleteNetwork(input: $i) { deletedId } }`, { i: { id: first.id } })).deleteNetwork.deletedId).toBe(first.id);
    expect((await create({})).createNetwork.network.segmentationId).toBe(100);
  });

  it('lets a provider network name an id outside the ranges, and refuses one in use', async () => {
    expect((await create({ segmentationId: 5000 })).createNetwork.network.segmentationId).toBe(5000);
    expect((await create({ segmentationId: 5000 })).createNetwork.userErrors).toEqual([
      { code: 'CONFLICT', field: ['input', 'segmentationId'], message: 'VXLAN segmentation id 5000 is in use' },
    ]);
    expect((await create({ networkType: 'GRE', segmentationId: 5000 })).createNetwork.network).toMatchObject({ segmentationId: 5000, mtu: 1458 });
  });

  it('applies the physnet rules of vlan, flat and tunnel types', async () => {
    expect((await create({ physicalNetwork: 'physnet1' })).createNetwork.userErrors[0]).toMatchObject({ code: 'INVALID', field: ['input', 'physicalNetwork'] });
    expect((await create({ networkType: 'VLAN' })).createNetwork.userErrors[0]).toMatchObject({ code: 'INVALID', field: ['input', 'physicalNetwork'] });
    expect((await create({ networkType: 'VLAN', physicalNetwork: 'physnet1' })).createNetwork.network).toMatchObject({ segmentationId: 200, mtu: 1500 });
    // Same VLAN id on another physnet is another segment.
    expect((await create({ networkType: 'VLAN', physicalNetwork: 'physnet2', segmentationId: 200 })).createNetwork.network.segmentationId).toBe(200);
    expect((await create({ networkType: 'VLAN', physicalNetwork: 'physnet1', segmentationId: 200 })).createNetwork.userErrors[0].code).toBe('CONFLICT');
    expect((await create({ networkType: 'VLAN', physicalNetwork: 'physnet2' })).createNetwork.userErrors[0].code).toBe('EXHAUSTED');
    expect((await create({ networkType: 'FLAT', physicalNetwork: 'physnet3' })).createNetwork.network).toMatchObject({ segmentationId: null, physicalNetwork: 'physnet3' });
    expect((await create({ networkType: 'FLAT', physicalNetwork: 'physnet3' })).createNetwork.userErrors).toEqual([
      { code: 'CONFLICT', field: ['input', 'physicalNetwork'], message: "physical network 'physnet3' already holds a flat network" },
    ]);
    expect((await create({ networkType: 'FLAT', physicalNetwork: 'physnet9' })).createNetwork.userErrors[0].code).toBe('INVALID');
  });
});

describe('router and DHCP scheduling', () => {
  it('places routers on the NETWORK host with the fewest, ties by name, and wires their ports', async () => {
    await registerHost(s, 'network-b', '10.20.0.2', ['NETWORK']);
    await registerHost(s, 'network-a', '10.20.0.1', ['NETWORK']);
    // net-only (registered above) is also a NETWORK host: names sort network-a, network-b, net-only? localeCompare puts "net-only" first.
    const net = await createNetwork(s, { name: 'r-net', segmentationId: 70 });
    const sub = await createSubnet(s, { networkId: net.id, cidr: '10.70.0.0/24' });
    const hostsOfRouters: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await s.gql(`mutation { createRouter(input: { name: "r${i}", projectId: "p1" }) { router { id namespace host { name } } } }`);
      expect(r.createRouter.router).toMatchObject({ namespace: null, host: null });
      const net2 = await createNetwork(s, { name: `r-net-${i}`, segmentationId: 80 + i });
      const sub2 = await createSubnet(s, { networkId: net2.id, cidr: `10.8${i}.0.0/24`, enableDhcp: false });
      const added = await s.gql(`mutation($i: RouterInterfaceInput!) { addRouterInterface(input: $i) { router { id namespace host { name } interfaces { ipAddress device subnet { id } } } port { deviceOwner status localVlan fixedIps { ipAddress } devices { name namespace } } ${USER_ERRORS} } }`,
        { i: { routerId: r.createRouter.router.id, subnetId: sub2.id } });
      expect(added.addRouterInterface.userErrors).toEqual([]);
      const { router, port } = added.addRouterInterface;
      expect(router.namespace).toBe(`qrouter-${router.id}`);
      expect(port).toMatchObject({ deviceOwner: 'network:router_interface', status: 'ACTIVE', fixedIps: [{ ipAddress: `10.8${i}.0.1` }], devices: { namespace: `qrouter-${router.id}` } });
      expect(port.devices.name).toMatch(/^qr-[0-9a-f-]{11}$/);
      expect(router.interfaces).toEqual([{ ipAddress: `10.8${i}.0.1`, device: port.devices.name, subnet: { id: sub2.id } }]);
      hostsOfRouters.push(router.host.name);
    }
    expect(hostsOfRouters).toEqual(['net-only', 'network-a', 'network-b']);
    // DHCP of r-net went to the NETWORK host with the fewest DHCP networks.
    const dhcp = await s.gql(`query($n: ID!) { node(id: $n) { ... on Network { dhcpHosts { name } ports(filter: { deviceOwner: "network:dhcp" }) { nodes { fixedIps { ipAddress } devices { name namespace } status } } } } }`, { n: net.id });
    expect(dhcp.node.dhcpHosts).toEqual([{ name: 'net-only' }]);
    expect(dhcp.node.ports.nodes[0]).toMatchObject({ fixedIps: [{ ipAddress: '10.70.0.2' }], devices: { namespace: `qdhcp-${net.id}` }, status: 'ACTIVE' });
    expect(sub.gatewayIp).toBe('10.70.0.1');
  });

  it('removing the last interface takes the namespace away and reclaims the VLAN', async () => {
    const net = await createNetwork(s, { name: 'rm-net', segmentationId: 90 });
    const sub = await createSubnet(s, { networkId: net.id, cidr: '10.90.0.0/24', enableDhcp: false });
    const r = (await s.gql(`mutation { createRouter(input: { name: "rm", projectId: "p1" }) { router { id } } }`)).createRouter.router;
    const added = await s.gql(`mutation($i: RouterInterfaceInput!) { addRouterInterface(input: $i) { router { host { name } } } }`, { i: { routerId: r.id, subnetId: sub.id } });
    const host = added.addRouterInterface.router.host.name;
    expect(await vlanOf(host, net.id)).not.toBeNull();
    const removed = await s.gql(`mutation($i: RouterInterfaceInput!) { removeRouterInterface(input: $i) { router { namespace interfaces { device } } ${USER_ERRORS} } }`, { i: { routerId: r.id, subnetId: sub.id } });
    expect(removed.removeRouterInterface).toEqual({ router: { namespace: null, interfaces: [] }, userErrors: [] });
    expect(await vlanOf(host, net.id)).toBeNull();
  });
});
