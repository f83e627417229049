// The routes DHCP gives a VM, over HTTP (docs/neutron-model.md, "Paths: the
// VM's routes"): a subnet's host route hands the packet to the VM that holds
// its next hop; the network's other subnets are on-link; without DHCP the VM
// knows only its default route.
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';

let s: TestServer;
const ids = {} as Record<'net' | 'subnet' | 'subnetB', string>;

const PATH = `query($from: EndpointInput!, $to: EndpointInput!) {
  path(from: $from, to: $to) { verdict dropReason routers { id } hops { device kind action } explanation } }`;
const path = async (to: Record<string, string>) => (await s.gql(PATH, { from: { instance: 'src' }, to })).path;
const setHostRoutes = async (subnetId: string, hostRoutes: { destination: string; nexthop: string }[], enableDhcp = true) => {
  const data = await s.gql(`mutation($i: UpdateSubnetInput!) { updateSubnet(input: $i) { subnet { id } ${USER_ERRORS} } }`, { i: { id: subnetId, hostRoutes, enableDhcp } });
  expect(data.updateSubnet.userErrors).toEqual([]);
};

beforeAll(async () => {
  s = await startTestServer();
  await registerHost(s, 'compute-1', '192.0.2.11');
  await registerHost(s, 'network-1', '192.0.2.21', ['NETWORK']);
  ids.net = (await createNetwork(s, { name: 'app' })).id;
  ids.subnet = (await createSubnet(s, { networkId: ids.net, cidr: '10.3.0.0/24' })).id;
  ids.subnetB = (await createSubnet(s, { networkId: ids.net, cidr: '10.4.0.0/24' })).id;
  await bootInstance(s, { name: 'src', hostName: 'compute-1', networks: [{ networkId: ids.net, fixedIp: '10.3.0.5' }] });
  await bootInstance(s, { name: 'fw', hostName: 'compute-1', networks: [{ networkId: ids.net, fixedIp: '10.3.0.50' }] });
  await bootInstance(s, { name: 'b', hostName: 'compute-1', networks: [{ networkId: ids.net, fixedIp: '10.4.0.7' }] });
});
afterAll(async () => s?.stop());

it("reaches the network's other subnet on-link, with no router on the network", async () => {
  const r = await path({ instance: 'b' });
  expect([r.verdict, r.routers]).toEqual(['DELIVERED', []]);
  expect(r.hops.at(-1)).toMatchObject({ device: 'b', kind: 'VNIC' });
});

it('hands the packet to the VM holding a host route\'s next hop; without the route there is no router to go to', async () => {
  const before = await path({ ipAddress: '10.9.1.1' });
  expect([before.verdict, before.dropReason]).toEqual(['DROPPED', 'NO_ROUTER']);
  await setHostRoutes(ids.subnet, [{ destination: '10.9.0.0/16', nexthop: '10.3.0.50' }]);
  const after = await path({ ipAddress: '10.9.1.1' });
  expect(after.verdict).toBe('EXITED');
  expect(after.hops.at(-1)).toMatchObject({ device: 'fw', kind: 'VNIC', action: 'hand 10.3.0.5 -> 10.9.1.1 to fw (next hop 10.3.0.50)' });
});

it('follows no host route, and reaches no other subnet on-link, on a subnet without DHCP', async () => {
  await setHostRoutes(ids.subnet, [{ destination: '10.9.0.0/16', nexthop: '10.3.0.50' }], false);
  expect((await path({ ipAddress: '10.9.1.1' })).dropReason).toBe('NO_ROUTER');
  expect((await path({ instance: 'b' })).dropReason).toBe('NO_ROUTER');
});
