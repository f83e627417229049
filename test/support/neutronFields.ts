// The fields of a Neutron document that the model keeps, per kind: what an
// import followed by an export must give back unchanged.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MODELED: Record<string, string[]> = {
  networks: ['id', 'name', 'project_id', 'tenant_id', 'shared', 'router:external', 'mtu', 'provider:network_type', 'provider:physical_network', 'provider:segmentation_id', 'subnets', 'created_at'],
  subnets: ['id', 'name', 'network_id', 'project_id', 'tenant_id', 'ip_version', 'cidr', 'gateway_ip', 'enable_dhcp', 'created_at'],
  ports: [
    'id', 'name', 'network_id', 'project_id', 'tenant_id', 'mac_address', 'device_id', 'device_owner', 'fixed_ips', 'allowed_address_pairs',
    'security_groups', 'port_security_enabled', 'admin_state_up', 'binding:host_id', 'binding:vif_type', 'status', 'created_at',
  ],
  routers: ['id', 'name', 'project_id', 'tenant_id', 'external_gateway_info', 'routes', 'created_at'],
  floatingips: ['id', 'project_id', 'tenant_id', 'floating_network_id', 'floating_ip_address', 'port_id', 'fixed_ip_address', 'router_id', 'created_at'],
  security_groups: ['id', 'name', 'project_id', 'tenant_id', 'description', 'security_group_rules', 'created_at'],
  servers: ['id', 'name', 'tenant_id', 'OS-EXT-SRV-ATTR:host', 'created'],
};

const RULE_FIELDS = ['id', 'security_group_id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id', 'created_at'];

const pick = (object: Json, fields: string[]) => Object.fromEntries(fields.map((f) => [f, object[f] ?? null]));
const sortBy = (list: Json[], key: (x: Json) => string) => [...list].sort((a, b) => key(a).localeCompare(key(b)));

/** One object reduced to its modeled fields, lists in a fixed order. */
function modeled(kind: string, object: Json): Json {
  const picked = pick(object, MODELED[kind]);
  if (kind === 'networks') picked.subnets = [...picked.subnets].sort();
  if (kind === 'ports') {
    picked.fixed_ips = sortBy(picked.fixed_ips, (ip) => `${ip.subnet_id}/${ip.ip_address}`).map((ip) => pick(ip, ['subnet_id', 'ip_address']));
    picked.allowed_address_pairs = sortBy(picked.allowed_address_pairs, (p) => p.ip_address);
    picked.security_groups = [...picked.security_groups].sort();
    // Neutron's N/A (unbound router and floating IP ports) and ERROR have no counterpart: DOWN.
    if (!['ACTIVE', 'BUILD', 'DOWN'].includes(picked.status)) picked.status = 'DOWN';
  }
  if (kind === 'routers' && picked.external_gateway_info) {
    const info = picked.external_gateway_info;
    picked.external_gateway_info = { ...pick(info, ['network_id', 'enable_snat']), external_fixed_ips: sortBy(info.external_fixed_ips, (ip) => ip.ip_address) };
  }
  if (kind === 'security_groups') picked.security_group_rules = sortBy(picked.security_group_rules, (r) => r.id).map((r) => pick(r, RULE_FIELDS));
  return picked;
}

/** The document's modeled content: kind -> objects sorted by id. Agents become their hosts. */
export function modeledDocument(document: Json): Json {
  const result: Json = {};
  for (const kind of Object.keys(MODELED)) result[kind] = sortBy((document[kind] ?? []).map((o: Json) => modeled(kind, o)), (o) => o.id);
  result.hosts = hostsOf(document.agents ?? []);
  return result;
}

/** Per host: its tunnel IP, bridges, liveness, agent types and hosted routers and networks. */
function hostsOf(agents: Json[]): Json {
  const hosts: Json = {};
  for (const agent of agents) {
    if (!['Open vSwitch agent', 'L3 agent', 'DHCP agent'].includes(agent.agent_type)) continue;
    const host = (hosts[agent.host] ??= { agents: [], routers: [], networks: [], alive: true });
    host.agents.push(agent.agent_type);
    host.agents.sort();
    host.alive &&= agent.alive !== false;
    if (agent.agent_type === 'Open vSwitch agent') {
      host.tunnelingIp = agent.configurations.tunneling_ip;
      host.bridgeMappings = agent.configurations.bridge_mappings;
      host.l2Population = agent.configurations.l2_population ?? false;
      host.arpResponder = agent.configurations.arp_responder_enabled ?? false;
    }
    host.routers.push(...(agent.l3_agent_routers ?? []));
    host.networks.push(...(agent.dhcp_agent_networks ?? []));
    host.routers.sort();
    host.networks.sort();
  }
  return hosts;
}
