// brctl show, ip netns, and ip -o addr / ip route per namespace, over HTTP:
// the exact text for a small cloud, built from the ids, MACs and addresses
// the API gave it.
import { qvbMac } from '../../src/domain/plumbing/index.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

type PortInfo = { id: string; macAddress: string; deviceOwner: string; fixedIps: { ipAddress: string }[] };

const ok = async (name: string, type: string, input: Record<string, unknown>, select: string) => {
  const data = await s.gql(`mutation($i: ${type}!) { ${name}(input: $i) { ${select} ${USER_ERRORS} } }`, { i: input });
  expect(data[name].userErrors).toEqual([]);
  return data[name];
};
const portsOf = async (deviceId: string): Promise<PortInfo[]> =>
  (await s.gql(`query($d: String!) { ports(first: 50, filter: { deviceId: $d }) { nodes { id macAddress deviceOwner fixedIps { ipAddress } } } }`, { d: deviceId })).ports.nodes;
const short = (id: string) => id.slice(0, 11);
const eui64 = (mac: string) => {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const words = [((b[0] ^ 2) << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]];
  return `fe80::${words.map((w) => w.toString(16)).join(':')}`;
};
const lifetimes = '\\       valid_lft forever preferred_lft forever';
const lo = `1: lo    inet 127.0.0.1/8 scope host lo${lifetimes}\n1: lo    inet6 ::1/128 scope host noprefixroute ${lifetimes}\n`;

describe('host and namespace renderings', () => {
  it('prints brctl show, ip netns, ip -o addr and ip route as the hosts would', async () => {
    await registerHost(s, 'compute-1', '10.0.0.11');
    await registerHost(s, 'network-1', '10.0.0.21', ['NETWORK']);
    const pub = await createNetwork(s, { name: 'public', networkType: 'FLAT', physicalNetwork: 'physnet1', external: true, projectId: 'admin' });
    await createSubnet(s, { networkId: pub.id, cidr: '172.24.4.0/24', enableDhcp: false });
    const net1 = await createNetwork(s, { name: 'net1', networkType: 'VXLAN', segmentationId: 101 });
    await createSubnet(s, { networkId: net1.id, cidr: '10.0.1.0/24', enableDhcp: true });
    const net2 = await createNetwork(s, { name: 'net2', networkType: 'VXLAN', segmentationId: 102 });
    const sub2 = await createSubnet(s, { networkId: net2.id, cidr: '10.0.2.0/24', enableDhcp: false });
    const a = await bootInstance(s, { name: 'a', hostName: 'compute-1', networks: [{ networkId: net1.id, fixedIp: '10.0.1.5' }] });
    const b = await bootInstance(s, { name: 'b', hostName: 'compute-1', networks: [{ networkId: net2.id, fixedIp: '10.0.2.5' }] });
    const sub1 = (await s.gql(`query($n: ID!) { node(id: $n) { ... on Network { subnets { id } } } }`, { n: net1.id })).node.subnets[0];
    const router = (await ok('createRouter', 'CreateRouterInput', { name: 'r1', projectId: 'p1', routes: [{ destination: '192.168.50.0/24', nexthop: '10.0.2.9' }] }, 'router { id }')).router;
    await ok('addRouterInterface', 'RouterInterfaceInput', { routerId: router.id, subnetId: sub1.id }, '__typename');
    await ok('addRouterInterface', 'RouterInterfaceInput', { routerId: router.id, subnetId: sub2.id }, '__typename');
    await ok('setRouterGateway', 'SetRouterGatewayInput', { routerId: router.id, externalNetworkId: pub.id }, 'router { id }');
    const fip = (await ok('createFloatingIp', 'CreateFloatingIpInput', { externalNetworkId: pub.id, portId: a.ports[0].id, projectId: 'admin' }, 'floatingIp { floatingIpAddress }')).floatingIp.floatingIpAddress;

    const vmPorts = [...(await portsOf(a.id)), ...(await portsOf(b.id))];
    const routerPorts = await portsOf(router.id);
    const dhcpPort = (await s.gql(`query($n: ID!) { ports(first: 5, filter: { networkId: $n }) { nodes { id macAddress deviceOwner fixedIps { ipAddress } } } }`, { n: net1.id }))
      .ports.nodes.find((p: PortInfo) => p.deviceOwner === 'network:dhcp') as PortInfo;

    const { compute, network } = await s.gql(`{
      compute: host(name: "compute-1") { brctlShow ipNetns }
      network: host(name: "network-1") { brctlShow ipNetns namespaces { name ipAddr ipRoute } } }`);

    // brctl show: a qbr per VM port with its qvb and tap; the bridge id is its lowest port MAC.
    const bridges = vmPorts
      .map((p) => {
        const macs = [qvbMac(p.id), `fe${p.macAddress.slice(2)}`].sort();
        return `qbr${short(p.id)}\t\t8000.${macs[0].replaceAll(':', '')}\tno\t\tqvb${short(p.id)}\n\t\t\t\t\t\t\ttap${short(p.id)}\n`;
      })
      .sort();
    expect(compute.brctlShow).toBe(`bridge name\tbridge id\t\tSTP enabled\tinterfaces\n${bridges.join('')}`);
    expect(compute.ipNetns).toBe('');
    expect(network.brctlShow).toBe('bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');

    expect(network.ipNetns).toBe(`qdhcp-${net1.id} (id: 0)\nqrouter-${router.id} (id: 1)\n`);

    const [qdhcp, qrouter] = network.namespaces;
    const dhcpIp = dhcpPort.fixedIps[0].ipAddress;
    const tap = `tap${short(dhcpPort.id)}`;
    expect(qdhcp.ipAddr).toBe(
      lo +
        `2: ${tap}    inet ${dhcpIp}/24 brd 10.0.1.255 scope global ${tap}${lifetimes}\n` +
        `2: ${tap}    inet6 ${eui64(dhcpPort.macAddress)}/64 scope link ${lifetimes}\n`,
    );
    expect(qdhcp.ipRoute).toBe(`default via 10.0.1.1 dev ${tap} proto static \n10.0.1.0/24 dev ${tap} proto kernel scope link src ${dhcpIp} \n`);

    const gw = routerPorts.find((p) => p.deviceOwner === 'network:router_gateway')!;
    const gwIp = gw.fixedIps[0].ipAddress;
    const qr = (ip: string) => routerPorts.find((p) => p.fixedIps[0].ipAddress === ip)!;
    const devices = [
      { name: `qg-${short(gw.id)}`, mac: gw.macAddress, v4: [`${gwIp}/24 brd 172.24.4.255`, `${fip}/32 brd ${fip}`] },
      { name: `qr-${short(qr('10.0.1.1').id)}`, mac: qr('10.0.1.1').macAddress, v4: ['10.0.1.1/24 brd 10.0.1.255'] },
      { name: `qr-${short(qr('10.0.2.1').id)}`, mac: qr('10.0.2.1').macAddress, v4: ['10.0.2.1/24 brd 10.0.2.255'] },
    ].sort((x, y) => (x.name < y.name ? -1 : 1));
    const addr = devices
      .map((d, i) =>
        [
          ...d.v4.map((v4) => `${i + 2}: ${d.name}    inet ${v4} scope global ${d.name}${lifetimes}\n`),
          `${i + 2}: ${d.name}    inet6 ${eui64(d.mac)}/64 scope link ${lifetimes}\n`,
        ].join(''),
      )
      .join('');
    expect(qrouter.ipAddr).toBe(lo + addr);
    const qg = `qg-${short(gw.id)}`;
    const qr1 = `qr-${short(qr('10.0.1.1').id)}`;
    const qr2 = `qr-${short(qr('10.0.2.1').id)}`;
    expect(qrouter.ipRoute).toBe(
      `default via 172.24.4.1 dev ${qg} proto static \n` +
        `10.0.1.0/24 dev ${qr1} proto kernel scope link src 10.0.1.1 \n` +
        `10.0.2.0/24 dev ${qr2} proto kernel scope link src 10.0.2.1 \n` +
        `172.24.4.0/24 dev ${qg} proto kernel scope link src ${gwIp} \n` +
        `192.168.50.0/24 via 10.0.2.9 dev ${qr2} proto static \n`,
    );
  });
});
