// Objects as the Neutron API (and nova, for servers) returns them, with the
// fields a real GET carries, so that the import reads what it reads in the
// field. Only the values the model uses vary; the rest are typical constants.
import { dhcpDeviceId } from '../src/services/dhcp.js';

type Json = Record<string, unknown>;

const CREATED = '2024-05-14T09:12:00Z';
const VIF_DETAILS = { bridge_name: 'br-int', connectivity: 'l2', datapath_type: 'system', ovs_hybrid_plug: true, port_filter: true };

const owned = (projectId: string) => ({ project_id: projectId, tenant_id: projectId });
const stamped = { created_at: CREATED, updated_at: CREATED, revision_number: 1, tags: [], description: '' };

function agent(id: string, host: string, agentType: string, binary: string, topic: string, configurations: Json): Json {
  return {
    id,
    host,
    agent_type: agentType,
    binary,
    topic,
    alive: true,
    admin_state_up: true,
    availability_zone: agentType === 'Open vSwitch agent' ? null : 'nova',
    configurations,
    created_at: '2024-05-14 08:00:00',
    started_at: '2024-05-14 08:00:00',
    heartbeat_timestamp: '2024-05-14 10:41:07',
    description: null,
    resources_synced: null,
  };
}

export function ovsAgent(id: string, host: string, tunnelIp: string, networkNode: boolean): Json {
  return agent(id, host, 'Open vSwitch agent', 'neutron-openvswitch-agent', 'N/A', {
    arp_responder_enabled: true,
    bridge_mappings: networkNode ? { physnet1: 'br-ex' } : {},
    datapath_type: 'system',
    devices: 0,
    enable_distributed_routing: false,
    l2_population: true,
    ovs_hybrid_plug: true,
    tunnel_types: ['vxlan'],
    tunneling_ip: tunnelIp,
  });
}

export function l3Agent(id: string, host: string, routerIds: string[]): Json {
  return {
    ...agent(id, host, 'L3 agent', 'neutron-l3-agent', 'l3_agent', { agent_mode: 'legacy', routers: routerIds.length, interface_driver: 'openvswitch' }),
    l3_agent_routers: routerIds,
  };
}

export function dhcpAgent(id: string, host: string, networkIds: string[]): Json {
  return {
    ...agent(id, host, 'DHCP agent', 'neutron-dhcp-agent', 'dhcp_agent', { dhcp_driver: 'neutron.agent.linux.dhcp.Dnsmasq', networks: networkIds.length }),
    dhcp_agent_networks: networkIds,
  };
}

export function metadataAgent(id: string, host: string): Json {
  return agent(id, host, 'Metadata agent', 'neutron-metadata-agent', 'N/A', { nova_metadata_host: 'controller', nova_metadata_port: 8775 });
}

export interface NetworkFields {
  id: string;
  name: string;
  projectId: string;
  subnetId: string;
  /** null for a flat network. */
  segmentationId: number | null;
  external: boolean;
}

export function network(n: NetworkFields): Json {
  return {
    id: n.id,
    name: n.name,
    ...owned(n.projectId),
    ...stamped,
    admin_state_up: true,
    status: 'ACTIVE',
    shared: false,
    'router:external': n.external,
    'provider:network_type': n.segmentationId === null ? 'flat' : 'vxlan',
    'provider:physical_network': n.segmentationId === null ? 'physnet1' : null,
    'provider:segmentation_id': n.segmentationId,
    mtu: n.segmentationId === null ? 1500 : 1450,
    port_security_enabled: true,
    availability_zones: ['nova'],
    subnets: [n.subnetId],
  };
}

export interface SubnetFields {
  id: string;
  name: string;
  networkId: string;
  projectId: string;
  cidr: string;
  gatewayIp: string;
  poolStart: string;
  poolEnd: string;
  enableDhcp: boolean;
}

export function subnet(s: SubnetFields): Json {
  return {
    id: s.id,
    name: s.name,
    network_id: s.networkId,
    ...owned(s.projectId),
    ...stamped,
    cidr: s.cidr,
    gateway_ip: s.gatewayIp,
    ip_version: 4,
    enable_dhcp: s.enableDhcp,
    allocation_pools: [{ start: s.poolStart, end: s.poolEnd }],
    dns_nameservers: [],
    host_routes: [],
    ipv6_address_mode: null,
    ipv6_ra_mode: null,
    subnetpool_id: null,
  };
}

export interface RuleFields {
  id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol?: string;
  port?: number;
  remoteIpPrefix?: string;
  remoteGroupId?: string;
}

export function securityGroup(id: string, name: string, projectId: string, rules: RuleFields[]): Json {
  return {
    id,
    name,
    ...owned(projectId),
    ...stamped,
    description: name === 'default' ? 'Default security group' : name,
    security_group_rules: rules.map((r) => ({
      id: r.id,
      security_group_id: id,
      ...owned(projectId),
      ...stamped,
      direction: r.direction,
      ethertype: r.ethertype,
      protocol: r.protocol ?? null,
      port_range_min: r.port ?? null,
      port_range_max: r.port ?? null,
      remote_ip_prefix: r.remoteIpPrefix ?? null,
      remote_group_id: r.remoteGroupId ?? null,
      remote_address_group_id: null,
    })),
  };
}

export interface PortFields {
  id: string;
  networkId: string;
  projectId: string;
  macAddress: string;
  deviceOwner: string;
  deviceId: string;
  fixedIps: { subnet_id: string; ip_address: string }[];
  /** Empty for an unbound port. */
  hostName: string;
  securityGroups: string[];
  portSecurity: boolean;
  name?: string;
}

export function port(p: PortFields): Json {
  const bound = p.hostName !== '';
  return {
    id: p.id,
    name: p.name ?? '',
    network_id: p.networkId,
    ...owned(p.projectId),
    ...stamped,
    admin_state_up: true,
    status: bound ? 'ACTIVE' : p.deviceOwner === 'network:floatingip' ? 'N/A' : 'DOWN',
    mac_address: p.macAddress,
    device_owner: p.deviceOwner,
    device_id: p.deviceId,
    fixed_ips: p.fixedIps,
    security_groups: p.securityGroups,
    port_security_enabled: p.portSecurity,
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    'binding:host_id': p.hostName,
    'binding:vif_type': bound ? 'ovs' : 'unbound',
    'binding:vnic_type': 'normal',
    'binding:vif_details': bound ? VIF_DETAILS : {},
    'binding:profile': {},
    ip_allocation: 'immediate',
  };
}

/** The DHCP agent's port of a network on `hostName`. */
export function dhcpPort(id: string, macAddress: string, networkId: string, projectId: string, subnetId: string, ip: string, hostName: string): Json {
  return port({
    id,
    networkId,
    projectId,
    macAddress,
    deviceOwner: 'network:dhcp',
    deviceId: dhcpDeviceId(networkId, hostName),
    fixedIps: [{ subnet_id: subnetId, ip_address: ip }],
    hostName,
    securityGroups: [],
    portSecurity: false,
  });
}

export function router(id: string, name: string, projectId: string, externalNetworkId: string, externalSubnetId: string, gatewayIp: string): Json {
  return {
    id,
    name,
    ...owned(projectId),
    ...stamped,
    admin_state_up: true,
    status: 'ACTIVE',
    distributed: false,
    ha: false,
    routes: [],
    availability_zones: ['nova'],
    external_gateway_info: {
      network_id: externalNetworkId,
      enable_snat: true,
      external_fixed_ips: [{ subnet_id: externalSubnetId, ip_address: gatewayIp }],
    },
  };
}

export interface FloatingIpFields {
  id: string;
  projectId: string;
  address: string;
  networkId: string;
  portId: string;
  fixedIp: string;
  routerId: string;
}

export function floatingIp(f: FloatingIpFields): Json {
  return {
    id: f.id,
    ...owned(f.projectId),
    ...stamped,
    status: 'ACTIVE',
    floating_ip_address: f.address,
    floating_network_id: f.networkId,
    port_id: f.portId,
    fixed_ip_address: f.fixedIp,
    router_id: f.routerId,
    port_forwardings: [],
    dns_domain: '',
    dns_name: '',
  };
}

export interface ServerFields {
  id: string;
  name: string;
  projectId: string;
  hostName: string;
  /** Network name -> [fixed address, MAC]. */
  addresses: [string, string, string][];
}

export function server(s: ServerFields): Json {
  const addresses: Record<string, Json[]> = {};
  for (const [networkName, addr, mac] of s.addresses) {
    (addresses[networkName] ??= []).push({ addr, version: 4, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': mac });
  }
  return {
    id: s.id,
    name: s.name,
    tenant_id: s.projectId,
    user_id: s.projectId,
    status: 'ACTIVE',
    created: CREATED,
    updated: CREATED,
    'OS-EXT-SRV-ATTR:host': s.hostName,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': `${s.hostName}.example.net`,
    'OS-EXT-STS:vm_state': 'active',
    'OS-EXT-STS:power_state': 1,
    'OS-EXT-AZ:availability_zone': 'nova',
    flavor: { original_name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
    image: { id: '907b74cf-c3d1-41c0-81be-8e31beabf688' },
    metadata: {},
    security_groups: [{ name: 'default' }],
    addresses,
  };
}
