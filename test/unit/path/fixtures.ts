// A small builder for hand-made clouds: hosts, networks, VMs, routers and
// floating IPs, with local VLANs allocated lowest-free as ports are bound.
import {
  DEVICE_OWNER, emptyTopology, type FloatingIp, type Host, type Instance, type Network, type NetworkType, type Port,
  type Router, type SecurityGroup, type SecurityGroupRule, type Subnet, type Topology,
} from '../../../src/domain/model.js';
import { TopologyIndex } from '../../../src/domain/topologyIndex.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export type RuleSpec = Partial<Omit<SecurityGroupRule, 'id' | 'securityGroupId'>> & Pick<SecurityGroupRule, 'direction'>;

export const EGRESS_ANY: RuleSpec = { direction: 'EGRESS' };
export const INGRESS_SSH: RuleSpec = { direction: 'INGRESS', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' };
export const INGRESS_ICMP: RuleSpec = { direction: 'INGRESS', protocol: 'icmp', remoteIpPrefix: '0.0.0.0/0' };

export class Cloud {
  readonly topology: Topology = emptyTopology();
  private counter = 0;

  /** UUID-shaped ids whose first 11 characters differ, as device names keep only those. */
  id(tag: string): string {
    const n = ++this.counter;
    return `${tag}${pad(n, 8 - tag.length)}-1f3e-4c2a-9b1e-${pad(n, 12)}`;
  }

  host(name: string, tunnelIp: string, overrides: Partial<Host> = {}): Host {
    const host: Host = { id: this.id('a'), name, tunnelIp, roles: ['COMPUTE', 'NETWORK'], up: true, bridgeMappings: { physnet1: 'br-ex' },
      l2Population: true, arpResponder: true, enableIsolatedMetadata: false, firewallDriver: 'IPTABLES_HYBRID', ...overrides };
    this.topology.hosts.push(host);
    return host;
  }

  network(name: string, networkType: NetworkType, segmentationId: number | null, overrides: Partial<Network> = {}): Network {
    const network: Network = {
      id: this.id('c'), name, projectId: 'p1', networkType, segmentationId,
      physicalNetwork: networkType === 'VLAN' || networkType === 'FLAT' ? 'physnet1' : null,
      external: false, shared: false, mtu: 1450, ...overrides,
    };
    this.topology.networks.push(network);
    return network;
  }

  subnet(network: Network, name: string, cidr: string, gatewayIp: string | null): Subnet {
    const subnet: Subnet = { id: this.id('5'), networkId: network.id, name, cidr, gatewayIp, ipVersion: cidr.includes(':') ? 6 : 4, enableDhcp: true, hostRoutes: [] };
    this.topology.subnets.push(subnet);
    return subnet;
  }

  securityGroup(name: string, rules: RuleSpec[]): SecurityGroup {
    const id = this.id('9');
    const group: SecurityGroup = {
      id, name, projectId: 'p1',
      rules: rules.map((r) => ({
        id: this.id('8'), securityGroupId: id, ethertype: 'IPV4', protocol: null, portRangeMin: null, portRangeMax: null,
        remoteIpPrefix: null, remoteGroupId: null, ...r,
      })),
    };
    this.topology.securityGroups.push(group);
    return group;
  }

  /** The OVS agent's lowest free local VLAN on the host, unless the network has one there. */
  localVlan(host: Host, network: Network, vlan?: number): number {
    const existing = this.topology.localVlans.find((v) => v.hostId === host.id && v.networkId === network.id);
    if (existing) return existing.vlan;
    const used = new Set(this.topology.localVlans.filter((v) => v.hostId === host.id).map((v) => v.vlan));
    let chosen = vlan ?? 1;
    while (vlan === undefined && used.has(chosen)) chosen++;
    this.topology.localVlans.push({ hostId: host.id, networkId: network.id, vlan: chosen });
    return chosen;
  }

  private port(subnet: Subnet, ip: string, host: Host | null, overrides: Partial<Port>): Port {
    const port: Port = {
      id: this.id('e'), name: '', networkId: subnet.networkId, projectId: 'p1', macAddress: 'fa:16:3e:00:00:01',
      deviceOwner: 'compute:nova', deviceId: '', status: host ? 'ACTIVE' : 'DOWN', hostId: host?.id ?? null,
      fixedIps: [{ subnetId: subnet.id, ipAddress: ip }], securityGroupIds: [], portSecurityEnabled: true, adminStateUp: true,
      allowedAddressPairs: [], instanceId: null, routerId: null, ...overrides,
    };
    if (host) this.localVlan(host, this.topology.networks.find((n) => n.id === subnet.networkId)!);
    this.topology.ports.push(port);
    return port;
  }

  vm(name: string, host: Host | null, subnet: Subnet, ip: string, groups: SecurityGroup[], overrides: Partial<Port> = {}): { instance: Instance; port: Port } {
    const instance: Instance = { id: this.id('f'), name, projectId: 'p1', hostId: host?.id ?? null };
    this.topology.instances.push(instance);
    const port = this.port(subnet, ip, host, { deviceId: instance.id, instanceId: instance.id, securityGroupIds: groups.map((g) => g.id), ...overrides });
    return { instance, port };
  }

  /** Another port of an existing instance. */
  vmPort(instance: Instance, host: Host, subnet: Subnet, ip: string, groups: SecurityGroup[]): Port {
    return this.port(subnet, ip, host, { deviceId: instance.id, instanceId: instance.id, securityGroupIds: groups.map((g) => g.id) });
  }

  router(name: string, host: Host | null, overrides: Partial<Router> = {}): Router {
    const router: Router = { id: this.id('d'), name, projectId: 'p1', hostId: host?.id ?? null, gatewayNetworkId: null, enableSnat: true, routes: [], ...overrides };
    this.topology.routers.push(router);
    return router;
  }

  private routerHost(router: Router): Host | null {
    return this.topology.hosts.find((h) => h.id === router.hostId) ?? null;
  }

  /** A qr- port holding the subnet's gateway IP (or `ip`). */
  addInterface(router: Router, subnet: Subnet, ip = subnet.gatewayIp!): Port {
    return this.port(subnet, ip, this.routerHost(router), {
      deviceOwner: DEVICE_OWNER.routerInterface, deviceId: router.id, routerId: router.id, portSecurityEnabled: false, status: 'ACTIVE',
    });
  }

  setGateway(router: Router, externalSubnet: Subnet, ip: string, enableSnat = true): Port {
    router.gatewayNetworkId = externalSubnet.networkId;
    router.enableSnat = enableSnat;
    return this.port(externalSubnet, ip, this.routerHost(router), {
      deviceOwner: DEVICE_OWNER.routerGateway, deviceId: router.id, routerId: router.id, portSecurityEnabled: false, status: 'ACTIVE',
    });
  }

  /** The network's DHCP port, bound to the DHCP agent's host. */
  dhcpPort(subnet: Subnet, host: Host, ip: string): Port {
    return this.port(subnet, ip, host, { deviceOwner: DEVICE_OWNER.dhcp, deviceId: `dhcp-${subnet.networkId}`, portSecurityEnabled: false });
  }

  floatingIp(address: string, external: Network, port: Port | null, router: Router | null): FloatingIp {
    const fip: FloatingIp = {
      id: this.id('b'), projectId: 'p1', floatingIpAddress: address, floatingNetworkId: external.id,
      portId: port?.id ?? null, fixedIpAddress: port?.fixedIps[0].ipAddress ?? null, routerId: router?.id ?? null,
    };
    this.topology.floatingIps.push(fip);
    return fip;
  }

  /** The snapshot, with the addresses of every group some rule names as remote group. */
  index(): TopologyIndex {
    const remote = new Set(this.topology.securityGroups.flatMap((g) => g.rules.map((r) => r.remoteGroupId)).filter((id): id is string => id !== null));
    this.topology.groupMembers = {};
    for (const groupId of remote) {
      this.topology.groupMembers[groupId] = this.topology.ports
        .filter((p) => p.securityGroupIds.includes(groupId))
        .flatMap((p) => p.fixedIps.map((f) => f.ipAddress));
    }
    return new TopologyIndex(this.topology);
  }
}

/**
 * The cloud of docs/neutron-model.md, "A worked example", and the Networking Guide walks:
 * compute-1 10.0.0.11, compute-2 10.0.0.12, network-1 10.0.0.21 (L3 agent);
 * net1 VXLAN 0x39 10.0.1.0/24, net2 VXLAN 0x3a 10.0.2.0/24, public flat on
 * physnet1 172.24.4.0/24; router1 on network-1 joins net1 and net2 and has
 * its gateway at 172.24.4.10.
 */
export function workedExample() {
  const cloud = new Cloud();
  const compute1 = cloud.host('compute-1', '10.0.0.11');
  const compute2 = cloud.host('compute-2', '10.0.0.12');
  const network1 = cloud.host('network-1', '10.0.0.21');
  const net1 = cloud.network('net1', 'VXLAN', 0x39);
  const net2 = cloud.network('net2', 'VXLAN', 0x3a);
  const publicNet = cloud.network('public', 'FLAT', null, { external: true });
  const subnet1 = cloud.subnet(net1, 'subnet1', '10.0.1.0/24', '10.0.1.1');
  const subnet2 = cloud.subnet(net2, 'subnet2', '10.0.2.0/24', '10.0.2.1');
  const publicSubnet = cloud.subnet(publicNet, 'public-subnet', '172.24.4.0/24', '172.24.4.1');
  const web = cloud.securityGroup('web', [EGRESS_ANY, INGRESS_SSH, INGRESS_ICMP]);
  const router1 = cloud.router('router1', network1);
  const qr1 = cloud.addInterface(router1, subnet1);
  const qr2 = cloud.addInterface(router1, subnet2);
  const qg1 = cloud.setGateway(router1, publicSubnet, '172.24.4.10');
  return { cloud, compute1, compute2, network1, net1, net2, publicNet, subnet1, subnet2, publicSubnet, web, router1, qr1, qr2, qg1 };
}
