// A demo cloud that shows every kind of path: three hosts (and compute-3,
// under the Open vSwitch firewall), two projects,
// routers with gateways, floating IPs, the seeds' VMs test and test2 (VNI
// 0x39), and one VM for each way a packet can be dropped. Built through the
// public GraphQL API, so it works against any running server.

/** Sends one GraphQL request and returns its data (throws on errors). */
export type Send = (query: string, variables?: Record<string, unknown>) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const USER_ERRORS = 'userErrors { field message code }';

export interface DemoCloud {
  hosts: Record<string, string>;
  nets: Record<string, string>;
  subnets: Record<string, string>;
  routers: Record<string, string>;
  vms: Record<string, { id: string; port: string }>;
  fips: Record<string, string>;
  groups: Record<string, string>;
}

/** Runs a mutation and insists that it succeeded. */
async function ok(send: Send, name: string, input: Record<string, unknown>, select = '') {
  const irregular: Record<string, string> = { addRouterInterface: 'RouterInterfaceInput', deleteSecurityGroupRule: 'DeleteInput' };
  const type = irregular[name] ?? `${name[0].toUpperCase()}${name.slice(1)}Input`;
  const data = await send(`mutation($i: ${type}!) { ${name}(input: $i) { ${select} ${USER_ERRORS} } }`, { i: input });
  if (data[name].userErrors.length) throw new Error(`${name}: ${JSON.stringify(data[name].userErrors)}`);
  return data[name];
}

/** The demo's hosts: name, tunnel IP, roles. */
export const DEMO_HOSTS = [
  ['compute-1', '10.0.0.11', ['COMPUTE']],
  ['compute-2', '10.0.0.12', ['COMPUTE']],
  ['network-1', '10.0.0.21', ['NETWORK']],
] as const;

export async function buildDemoCloud(send: Send): Promise<DemoCloud> {
  const s = send;
  const cloud: DemoCloud = { hosts: {}, nets: {}, subnets: {}, routers: {}, vms: {}, fips: {}, groups: {} };
  // The install guide's self-service setup: l2population with the ARP responder, and
  // DHCP agents (on the network node) that serve isolated metadata.
  for (const [name, ip, roles] of DEMO_HOSTS) {
    const input = { name, tunnelIp: ip, roles: [...roles], l2Population: true, arpResponder: true, enableIsolatedMetadata: (roles as readonly string[]).includes('NETWORK') };
    cloud.hosts[name] = (await ok(s, 'registerHost', input, 'host { id }')).host.id;
  }
  const net = async (key: string, projectId: string, extra: Record<string, unknown>, cidrs: string[], enableDhcp = false) => {
    cloud.nets[key] = (await ok(s, 'createNetwork', { name: key, projectId, ...extra }, 'network { id }')).network.id;
    for (const [i, cidr] of cidrs.entries()) {
      const subnet = await ok(s, 'createSubnet', { networkId: cloud.nets[key], cidr, enableDhcp, name: `${key}-${i}` }, 'subnet { id }');
      cloud.subnets[`${key}${i ? `-${i}` : ''}`] = subnet.subnet.id;
    }
  };
  const vm = async (name: string, projectId: string, host: string, network: string, fixedIp: string, securityGroupIds?: string[]) => {
    const input = { name, projectId, hostName: host, networks: [{ networkId: cloud.nets[network], fixedIp }], securityGroupIds };
    const { instance } = await ok(s, 'bootInstance', input, 'instance { id ports { id } }');
    cloud.vms[name] = { id: instance.id, port: instance.ports[0].id };
  };
  const router = async (key: string, projectId: string, subnets: string[], gateway: boolean) => {
    cloud.routers[key] = (await ok(s, 'createRouter', { name: key, projectId }, 'router { id }')).router.id;
    for (const sub of subnets) await ok(s, 'addRouterInterface', { routerId: cloud.routers[key], subnetId: cloud.subnets[sub] });
    if (gateway) await ok(s, 'setRouterGateway', { routerId: cloud.routers[key], externalNetworkId: cloud.nets.public });
  };
  const fip = async (vmName: string) => {
    const created = await ok(s, 'createFloatingIp', { externalNetworkId: cloud.nets.public, portId: cloud.vms[vmName].port, projectId: 'admin' }, 'floatingIp { floatingIpAddress }');
    cloud.fips[vmName] = created.floatingIp.floatingIpAddress;
  };

  await net('public', 'admin', { networkType: 'FLAT', physicalNetwork: 'physnet1', external: true }, ['172.24.4.0/24']);
  // compute-2 wires "other" first, so net1 gets VLAN 2 there and VLAN 1 on compute-1.
  await net('other', 'p1', { segmentationId: 100 }, ['10.9.0.0/24']);
  await vm('early', 'p1', 'compute-2', 'other', '10.9.0.5');
  await net('net1', 'p1', { segmentationId: 0x39 }, ['10.0.1.0/24', '10.0.11.0/24']);
  await net('net2', 'p1', { segmentationId: 0x3a }, ['10.0.2.0/24']);
  await vm('test', 'p1', 'compute-1', 'net1', '10.0.1.5');
  await vm('test2', 'p1', 'compute-2', 'net1', '10.0.1.6');
  await vm('test3', 'p1', 'compute-1', 'net1', '10.0.1.7');
  await vm('multi', 'p1', 'compute-2', 'net1', '10.0.11.5');
  const webGroup = (await ok(s, 'createSecurityGroup', { name: 'web', projectId: 'p1' }, 'securityGroup { id }')).securityGroup.id;
  await ok(s, 'createSecurityGroupRule', { securityGroupId: webGroup, direction: 'INGRESS', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80, remoteIpPrefix: '0.0.0.0/0' });
  cloud.groups = { web: webGroup };
  await vm('web', 'p1', 'compute-2', 'net2', '10.0.2.5', [webGroup]);
  await router('r1', 'p1', ['net1', 'net1-1', 'net2'], true);
  await fip('web');

  await net('net3', 'p2', { segmentationId: 0x3b }, ['10.0.3.0/24']);
  await vm('db', 'p2', 'compute-1', 'net3', '10.0.3.5');
  await vm('db2', 'p2', 'compute-2', 'net3', '10.0.3.6');
  await router('r2', 'p2', ['net3'], true);
  await fip('db');
  const p2Default = (await s(`{ securityGroups(filter: { projectId: "p2", name: "default" }) { nodes { id } } }`)).securityGroups.nodes[0].id;
  await ok(s, 'createSecurityGroupRule', { securityGroupId: p2Default, direction: 'INGRESS', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' });

  // A network no router serves, and one whose router has no gateway.
  await net('lonely', 'p1', { segmentationId: 0x3c }, ['10.0.4.0/24']);
  await vm('hermit', 'p1', 'compute-1', 'lonely', '10.0.4.5');
  await net('inner', 'p1', { segmentationId: 0x3d }, ['10.0.5.0/24']);
  await vm('cellar', 'p1', 'compute-2', 'inner', '10.0.5.5');
  await router('r3', 'p1', ['inner'], false);

  // A router whose extra route points at a VM: nothing routes beyond it.
  await net('appliances', 'p1', { segmentationId: 0x3e }, ['10.0.6.0/24']);
  await vm('appliance', 'p1', 'compute-1', 'appliances', '10.0.6.5');
  await vm('client', 'p1', 'compute-1', 'appliances', '10.0.6.6');
  cloud.routers.r5 = (await ok(s, 'createRouter', { name: 'r5', projectId: 'p1', routes: [{ destination: '192.168.50.0/24', nexthop: '10.0.6.5' }] }, 'router { id }')).router.id;
  await ok(s, 'addRouterInterface', { routerId: cloud.routers.r5, subnetId: cloud.subnets.appliances });

  // A group that allows nothing out.
  const locked = (await ok(s, 'createSecurityGroup', { name: 'locked', projectId: 'p1' }, 'securityGroup { id rules { id } }')).securityGroup;
  for (const rule of locked.rules) await ok(s, 'deleteSecurityGroupRule', { id: rule.id });
  await vm('jailed', 'p1', 'compute-1', 'net1', '10.0.1.9', [locked.id]);

  // A DHCP network no router serves: its DHCP agent answers the metadata address.
  await net('isolated', 'p1', { segmentationId: 0x3f }, ['10.0.7.0/24'], true);
  await vm('recluse', 'p1', 'compute-2', 'isolated', '10.0.7.5');

  // A compute node under the Open vSwitch firewall (the install guide's firewall_driver = openvswitch):
  // its VM's tap sits on br-int and its security groups are conntrack flows there. Built last, on net2,
  // so that nothing above changes its VLANs or tunnels.
  const ovsFirewall = { name: 'compute-3', tunnelIp: '10.0.0.13', roles: ['COMPUTE'], l2Population: true, arpResponder: true, firewallDriver: 'OPENVSWITCH' };
  cloud.hosts['compute-3'] = (await ok(s, 'registerHost', ovsFirewall, 'host { id }')).host.id;
  await vm('direct', 'p1', 'compute-3', 'net2', '10.0.2.7');
  return cloud;
}

/** What the demo cloud holds, in one line. */
export const describeDemoCloud = (cloud: DemoCloud): string =>
  `${Object.keys(cloud.hosts).length} hosts, ${Object.keys(cloud.nets).length} networks, ${Object.keys(cloud.vms).length} instances, ${Object.keys(cloud.routers).length} routers`;
