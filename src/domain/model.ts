// Plain objects the domain computes on. The store builds them from the
// database; tests build them by hand. No Prisma, no GraphQL here.

export type HostRole = 'COMPUTE' | 'NETWORK';
export type NetworkType = 'VXLAN' | 'GRE' | 'GENEVE' | 'VLAN' | 'FLAT';
export type PortStatus = 'DOWN' | 'BUILD' | 'ACTIVE';
export type Direction = 'INGRESS' | 'EGRESS';
export type Ethertype = 'IPV4' | 'IPV6';
/** The OVS agent's `[securitygroup] firewall_driver`: iptables_hybrid or openvswitch. */
export type FirewallDriver = 'IPTABLES_HYBRID' | 'OPENVSWITCH';

export const DEVICE_OWNER = {
  /** What nova sets on the ports of the instances it boots (compute:<availability zone>). */
  compute: 'compute:nova',
  routerInterface: 'network:router_interface',
  routerGateway: 'network:router_gateway',
  dhcp: 'network:dhcp',
  floatingIp: 'network:floatingip',
} as const;

export interface Host {
  id: string;
  name: string;
  /** IPv4 or IPv6 address of the host's tunnel endpoint (local_ip). */
  tunnelIp: string;
  roles: HostRole[];
  up: boolean;
  /** physnet -> OVS bridge, e.g. { physnet1: 'br-ex' }. */
  bridgeMappings: Record<string, string>;
  /** The OVS agent's [agent] l2_population. */
  l2Population: boolean;
  /** The OVS agent's [agent] arp_responder; the agent uses it only with l2Population. */
  arpResponder: boolean;
  /** The DHCP agent's enable_isolated_metadata. */
  enableIsolatedMetadata: boolean;
  /** OPENVSWITCH: VM taps sit on br-int and security groups are conntrack flows there (docs/neutron-model.md, "The Open vSwitch firewall driver"). */
  firewallDriver: FirewallDriver;
}

export interface Network {
  id: string;
  name: string;
  projectId: string;
  networkType: NetworkType;
  /** null for flat networks. */
  segmentationId: number | null;
  physicalNetwork: string | null;
  external: boolean;
  shared: boolean;
  mtu: number;
}

export interface Subnet {
  id: string;
  networkId: string;
  name: string;
  cidr: string;
  gatewayIp: string | null;
  ipVersion: 4 | 6;
  enableDhcp: boolean;
  /** Routes DHCP hands the subnet's VMs (IPv4). */
  hostRoutes: HostRoute[];
}

/** A subnet's host route: `destination` (a CIDR) via `nexthop`. */
export interface HostRoute {
  destination: string;
  nexthop: string;
}

export interface FixedIp {
  subnetId: string;
  ipAddress: string;
}

export interface AllowedAddressPair {
  /** An address or a CIDR. */
  ipAddress: string;
  macAddress: string | null;
}

export interface Port {
  id: string;
  name: string;
  networkId: string;
  projectId: string;
  macAddress: string;
  /** compute:<az>, network:router_interface, network:router_gateway, network:dhcp, network:floatingip, or ''. */
  deviceOwner: string;
  deviceId: string;
  status: PortStatus;
  /** binding:host_id; null while unbound. */
  hostId: string | null;
  fixedIps: FixedIp[];
  securityGroupIds: string[];
  portSecurityEnabled: boolean;
  /** admin_state_up: when false the OVS agent leaves the port on the dead VLAN and its status is DOWN. */
  adminStateUp: boolean;
  allowedAddressPairs: AllowedAddressPair[];
  /** Set for VM ports created for or attached to an instance. */
  instanceId: string | null;
  /** Set for router interface and gateway ports. */
  routerId: string | null;
}

export interface Instance {
  id: string;
  name: string;
  projectId: string;
  hostId: string | null;
}

export interface RouterRoute {
  destination: string;
  nexthop: string;
}

export interface Router {
  id: string;
  name: string;
  projectId: string;
  /** The L3 agent host; null until the router is scheduled. */
  hostId: string | null;
  /** External network of the gateway; null without a gateway. */
  gatewayNetworkId: string | null;
  enableSnat: boolean;
  routes: RouterRoute[];
}

export interface FloatingIp {
  id: string;
  projectId: string;
  floatingIpAddress: string;
  floatingNetworkId: string;
  /** The associated (internal) port, or null. */
  portId: string | null;
  fixedIpAddress: string | null;
  /** The router that does the NAT, set while associated. */
  routerId: string | null;
}

export interface SecurityGroupRule {
  id: string;
  securityGroupId: string;
  direction: Direction;
  ethertype: Ethertype;
  /** 'tcp', 'udp', 'icmp', 'icmpv6' or an IP protocol number as text; null = any. */
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
}

export interface SecurityGroup {
  id: string;
  name: string;
  projectId: string;
  rules: SecurityGroupRule[];
}

export interface LocalVlan {
  hostId: string;
  networkId: string;
  vlan: number;
}

/**
 * The part of the cloud one question needs. A snapshot may be partial: the
 * store loads only what is relevant (a host's plumbing, a path's endpoints).
 */
export interface Topology {
  hosts: Host[];
  networks: Network[];
  subnets: Subnet[];
  ports: Port[];
  instances: Instance[];
  routers: Router[];
  floatingIps: FloatingIp[];
  securityGroups: SecurityGroup[];
  localVlans: LocalVlan[];
  /**
   * Addresses (fixed IPs and allowed address pairs) of the member ports of
   * each security group that some rule names as remote group.
   */
  groupMembers: Record<string, string[]>;
  /**
   * The OVS agents' tunnel_types: the types of the cloud's tunnel networks.
   * Loaded only where a host without l2population needs them (its tunnels).
   */
  tunnelTypes: NetworkType[];
  /**
   * Per host without l2population: how many other tunnel endpoints of its IP
   * version there are, i.e. its tunnel ports of each type. Set by path
   * snapshots, which do not read those hosts themselves.
   */
  tunnelPeers: Record<string, number>;
}

export function emptyTopology(): Topology {
  return {
    hosts: [],
    networks: [],
    subnets: [],
    ports: [],
    instances: [],
    routers: [],
    floatingIps: [],
    securityGroups: [],
    localVlans: [],
    groupMembers: {},
    tunnelTypes: [],
    tunnelPeers: {},
  };
}

export function isVmPort(port: Pick<Port, 'deviceOwner'>): boolean {
  return port.deviceOwner.startsWith('compute:');
}

export function isTunnelType(type: NetworkType): boolean {
  return type === 'VXLAN' || type === 'GRE' || type === 'GENEVE';
}
