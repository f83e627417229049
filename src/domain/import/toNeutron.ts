// The cloud -> a document in the Neutron API v2 (and nova) JSON shapes, the
// ones an import reads: every field the model keeps, plus the constant
// fields (status, admin_state_up, binding details) a client expects.
import { DEVICE_OWNER, isTunnelType } from '../model.js';
import { usesHybridPlug } from '../plumbing/plug.js';
import { uuid5 } from '../uuid5.js';
import { AGENT_TYPES } from './agents.js';
import type { NeutronDocument } from './document.js';
import { neutronEthertype, neutronNetworkType } from './enums.js';
import { groupBy } from './group.js';
import type { Cloud, FixedIpRow, HostRow, PortRow } from './model.js';
import { BINDING_HOST } from './ports.js';
import { SERVER_HOST } from './servers.js';

type Json = Record<string, unknown>;

const byId = <R extends { id: string }>(rows: Iterable<R>) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

/** Neutron prints UTC to the second with a Z. */
const neutronTime = (iso: string | null) => (iso ? iso.replace(/\.\d+Z$/, 'Z') : null);

const project = (projectId: string) => ({ tenant_id: projectId, project_id: projectId });

const fixedIps = (ips: FixedIpRow[]) =>
  [...ips].sort((a, b) => a.subnetId.localeCompare(b.subnetId) || a.ipAddress.localeCompare(b.ipAddress)).map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress }));

/** The binding the OVS mechanism driver reports: ovs_hybrid_plug is the host's agent's, true only with the hybrid iptables firewall. */
const ovsVifDetails = (host: HostRow) => ({
  port_filter: true, ovs_hybrid_plug: usesHybridPlug(host.firewallDriver), datapath_type: 'system', bridge_name: 'br-int', connectivity: 'l2',
});

function port(p: PortRow, hosts: Map<string, HostRow>): Json {
  const host = p.hostId ? hosts.get(p.hostId) : undefined;
  return {
    id: p.id,
    name: p.name,
    network_id: p.networkId,
    ...project(p.projectId),
    mac_address: p.macAddress,
    admin_state_up: p.adminStateUp,
    status: p.status,
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    fixed_ips: fixedIps(p.fixedIps),
    allowed_address_pairs: [...p.allowedAddressPairs]
      .sort((a, b) => a.ipAddress.localeCompare(b.ipAddress))
      .map((pair) => ({ ip_address: pair.ipAddress, mac_address: pair.macAddress ?? p.macAddress })),
    security_groups: [...p.securityGroupIds].sort(),
    port_security_enabled: p.portSecurityEnabled,
    [BINDING_HOST]: host?.name ?? '',
    'binding:vif_type': host ? 'ovs' : 'unbound',
    'binding:vif_details': host ? ovsVifDetails(host) : {},
    'binding:vnic_type': 'normal',
    created_at: neutronTime(p.createdAt),
  };
}

function agents(cloud: Cloud): Json[] {
  const tunnelTypes = [...new Set([...cloud.networks.values()].filter((n) => isTunnelType(n.networkType)).map((n) => neutronNetworkType(n.networkType)))].sort();
  const routersOn = groupBy(cloud.routers.values(), (r) => r.hostId);
  const dhcpOn = groupBy([...cloud.ports.values()].filter((p) => p.deviceOwner === DEVICE_OWNER.dhcp), (p) => p.hostId);
  const list: Json[] = [];
  for (const host of [...cloud.hosts.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const agent = (kind: keyof typeof AGENT_TYPES, binary: string, topic: string, extra: Json) => ({
      id: uuid5(`agent:${kind}:${host.name}`),
      agent_type: AGENT_TYPES[kind],
      binary,
      topic,
      host: host.name,
      admin_state_up: true,
      alive: host.up,
      ...extra,
    });
    list.push(agent('ovs', 'neutron-openvswitch-agent', 'N/A', {
      configurations: {
        tunneling_ip: host.tunnelIp,
        tunnel_types: tunnelTypes,
        bridge_mappings: host.bridgeMappings,
        l2_population: host.l2Population,
        // What the agent reports: arp_responder in effect, which needs l2_population.
        arp_responder_enabled: host.arpResponder && host.l2Population,
        ovs_hybrid_plug: usesHybridPlug(host.firewallDriver),
      },
    }));
    if (!host.roles.includes('NETWORK')) continue;
    list.push(agent('l3', 'neutron-l3-agent', 'l3_agent', {
      configurations: { agent_mode: 'legacy' },
      l3_agent_routers: (routersOn.get(host.id) ?? []).map((r) => r.id).sort(),
    }));
    list.push(agent('dhcp', 'neutron-dhcp-agent', 'dhcp_agent', {
      // Neutron's DHCP agent does not report this option; written so that a re-import keeps it.
      configurations: { enable_isolated_metadata: host.enableIsolatedMetadata },
      dhcp_agent_networks: [...new Set((dhcpOn.get(host.id) ?? []).map((p) => p.networkId))].sort(),
    }));
  }
  return list;
}

export function toNeutron(cloud: Cloud): NeutronDocument {
  const subnetsOf = groupBy(cloud.subnets.values(), (s) => s.networkId);
  const gatewayPortOf = new Map(
    [...cloud.ports.values()].filter((p) => p.deviceOwner === DEVICE_OWNER.routerGateway && p.routerId).map((p) => [p.routerId!, p]),
  );
  const rulesOf = groupBy(cloud.rules.values(), (r) => r.securityGroupId);
  return {
    agents: agents(cloud),
    networks: byId(cloud.networks.values()).map((n) => ({
      id: n.id,
      name: n.name,
      ...project(n.projectId),
      admin_state_up: true,
      status: 'ACTIVE',
      shared: n.shared,
      'router:external': n.external,
      mtu: n.mtu,
      'provider:network_type': neutronNetworkType(n.networkType),
      'provider:physical_network': n.physicalNetwork,
      'provider:segmentation_id': n.segmentationId,
      subnets: (subnetsOf.get(n.id) ?? []).map((s) => s.id).sort(),
      created_at: neutronTime(n.createdAt),
    })),
    subnets: byId(cloud.subnets.values()).map((s) => ({
      id: s.id,
      name: s.name,
      network_id: s.networkId,
      ...project(s.projectId),
      ip_version: s.ipVersion,
      cidr: s.cidr,
      gateway_ip: s.gatewayIp,
      enable_dhcp: s.enableDhcp,
      host_routes: s.hostRoutes.map((r) => ({ destination: r.destination, nexthop: r.nexthop })),
      created_at: neutronTime(s.createdAt),
    })),
    security_groups: byId(cloud.securityGroups.values()).map((g) => ({
      id: g.id,
      name: g.name,
      ...project(g.projectId),
      description: g.description,
      security_group_rules: byId(rulesOf.get(g.id) ?? []).map((r) => ({
        id: r.id,
        security_group_id: r.securityGroupId,
        ...project(g.projectId),
        direction: r.direction.toLowerCase(),
        ethertype: neutronEthertype(r.ethertype),
        protocol: r.protocol,
        port_range_min: r.portRangeMin,
        port_range_max: r.portRangeMax,
        remote_ip_prefix: r.remoteIpPrefix,
        remote_group_id: r.remoteGroupId,
        created_at: neutronTime(r.createdAt),
      })),
      created_at: neutronTime(g.createdAt),
    })),
    servers: byId(cloud.instances.values()).map((i) => ({
      id: i.id,
      name: i.name,
      tenant_id: i.projectId,
      status: 'ACTIVE',
      [SERVER_HOST]: i.hostId ? (cloud.hosts.get(i.hostId)?.name ?? null) : null,
      created: neutronTime(i.createdAt),
    })),
    routers: byId(cloud.routers.values()).map((r) => {
      const gateway = gatewayPortOf.get(r.id);
      return {
        id: r.id,
        name: r.name,
        ...project(r.projectId),
        admin_state_up: true,
        status: 'ACTIVE',
        external_gateway_info: r.gatewayNetworkId
          ? { network_id: r.gatewayNetworkId, enable_snat: r.enableSnat, external_fixed_ips: fixedIps(gateway?.fixedIps ?? []) }
          : null,
        routes: [...r.routes].sort((a, b) => a.destination.localeCompare(b.destination) || a.nexthop.localeCompare(b.nexthop)),
        distributed: false,
        ha: false,
        created_at: neutronTime(r.createdAt),
      };
    }),
    ports: byId(cloud.ports.values()).map((p) => port(p, cloud.hosts)),
    floatingips: byId(cloud.floatingIps.values()).map((f) => ({
      id: f.id,
      ...project(f.projectId),
      floating_network_id: f.floatingNetworkId,
      floating_ip_address: f.floatingIpAddress,
      port_id: f.portId,
      fixed_ip_address: f.fixedIpAddress,
      router_id: f.routerId,
      status: f.portId ? 'ACTIVE' : 'DOWN',
      created_at: neutronTime(f.createdAt),
    })),
  };
}
