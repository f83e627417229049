// Agents -> hosts. A host is every `host` that runs an Open vSwitch, L3 or
// DHCP agent (other agents are ignored). L3 or DHCP agent => NETWORK; the
// OVS agent => COMPUTE, unless besides it the host only runs L3/DHCP agents
// and no VM (no server and no compute:* port is on it). The OVS agent gives
// the tunnel endpoint (configurations.tunneling_ip), bridge_mappings,
// l2_population and arp_responder_enabled (the agent reports arp_responder
// as in effect: on only with l2_population). The DHCP agent does not report
// enable_isolated_metadata; it is read from its configurations when a
// document has it (our export writes it there), else Neutron's default.
// The firewall driver: the OVS agent reports ovs_hybrid_plug (false under
// the Open vSwitch firewall); without it, the ovs_hybrid_plug of the
// binding:vif_details of the host's bound ports, which the mechanism driver
// copied from the agent; without either, the hybrid driver.
// The hosting lists (l3_agent_routers, dhcp_agent_networks: ids or objects
// with an id) tell where routers and DHCP servers are placed.
import type { HostRole } from '../model.js';
import { uuid5 } from '../uuid5.js';
import type { Entry } from './document.js';
import { pushTo } from './group.js';
import { isObject, isUuid, ObjectReader } from './fields.js';
import type { Issues } from './issues.js';
import type { HostRow } from './model.js';

export const AGENT_TYPES = { ovs: 'Open vSwitch agent', l3: 'L3 agent', dhcp: 'DHCP agent' } as const;

type AgentKind = keyof typeof AGENT_TYPES;

const KIND_OF = new Map<string, AgentKind>(Object.entries(AGENT_TYPES).map(([kind, type]) => [type, kind as AgentKind]));

const HOST_NAME_RE = /^[A-Za-z0-9_.-]{1,255}$/;
const BRIDGE_RE = /^[A-Za-z0-9_.-]{1,15}$/;

/** Where an agent's hosting list puts an object. */
export interface Hosted {
  hostName: string;
  path: string[];
}

export interface Hosting {
  /** Router id -> the L3 agents that host it. */
  routers: Map<string, Hosted[]>;
  /** Network id -> the DHCP agents that serve it. */
  networks: Map<string, Hosted[]>;
}

export interface HostEntry {
  row: HostRow;
  path: string[];
}

/** The id a host gets: the one it has in the database, else one derived from its name (the same on every import). */
export const hostIdFor = (name: string, existingIds: Map<string, string>) => existingIds.get(name) ?? uuid5(`host:${name}`);

interface AgentsOfHost {
  name: string;
  agents: Map<AgentKind, ObjectReader>;
  up: boolean;
}

function hostingList(reader: ObjectReader, key: string, hosting: Map<string, Hosted[]>, hostName: string): void {
  const list = reader.list(key);
  list?.forEach((item, j) => {
    const id = isObject(item) ? item.id : item;
    if (!isUuid(id)) {
      reader.problem([key, String(j)], `${key}[${j}] must be an id or an object with an id`);
      return;
    }
    pushTo(hosting, id.toLowerCase(), { hostName, path: reader.at(key, String(j)) });
  });
}

/**
 * Reads the agents. `vmHosts` are the names of hosts that run a VM
 * according to the document's servers and compute ports; `portHybridPlug`
 * what their bound ports' vif_details say of ovs_hybrid_plug, by host name.
 */
export function readAgents(entries: Entry[], vmHosts: Set<string>, existingIds: Map<string, string>, issues: Issues, portHybridPlug = new Map<string, boolean>()) {
  const byHost = new Map<string, AgentsOfHost>();
  const hosting: Hosting = { routers: new Map(), networks: new Map() };
  for (const { object, path } of entries) {
    const label = `agent ${typeof object.id === 'string' ? object.id : path.join('.')}`;
    const reader = new ObjectReader(object, path, label, issues);
    const type = reader.string('agent_type');
    const name = reader.string('host');
    if (type === undefined || name === undefined) continue;
    const kind = KIND_OF.get(type);
    if (!kind) continue;
    if (!HOST_NAME_RE.test(name)) {
      reader.problem(['host'], `host '${name}' is not a host name (letters, digits, "_", "." and "-")`);
      continue;
    }
    const host = byHost.get(name) ?? { name, agents: new Map(), up: true };
    byHost.set(name, host);
    if (host.agents.has(kind)) {
      reader.problem(['host'], `host '${name}' already has an ${type} (at ${host.agents.get(kind)!.path.join('.')})`, 'CONFLICT');
      continue;
    }
    host.agents.set(kind, reader);
    if (reader.boolean('alive', true) === false) host.up = false;
    if (kind === 'l3') hostingList(reader, 'l3_agent_routers', hosting.routers, name);
    if (kind === 'dhcp') hostingList(reader, 'dhcp_agent_networks', hosting.networks, name);
  }

  const hosts: HostEntry[] = [];
  for (const host of byHost.values()) {
    const ovs = host.agents.get('ovs');
    const first = ovs ?? [...host.agents.values()][0];
    if (!ovs) {
      first.problem(['host'], `host '${host.name}' runs no ${AGENT_TYPES.ovs}, which the model needs for its tunnel endpoint and bridges`);
      continue;
    }
    const configurations = ovs.child('configurations');
    if (configurations === undefined) continue;
    const config = ovs.nested(configurations ?? {}, 'configurations');
    const tunnelIp = config.ip('tunneling_ip');
    const bridgeMappings = readBridgeMappings(config);
    const l2Population = config.boolean('l2_population', false);
    const arpResponder = config.boolean('arp_responder_enabled', false);
    const enableIsolatedMetadata = dhcpSetting(host.agents.get('dhcp'), 'enable_isolated_metadata');
    const hybridPlug = config.boolean('ovs_hybrid_plug', portHybridPlug.get(host.name) ?? true);
    if (tunnelIp === undefined || bridgeMappings === undefined || hybridPlug === undefined) continue;
    if (l2Population === undefined || arpResponder === undefined || enableIsolatedMetadata === undefined) continue;
    const network = host.agents.has('l3') || host.agents.has('dhcp');
    const roles: HostRole[] = [];
    if (!network || vmHosts.has(host.name)) roles.push('COMPUTE');
    if (network) roles.push('NETWORK');
    hosts.push({
      row: {
        id: hostIdFor(host.name, existingIds),
        name: host.name,
        tunnelIp,
        roles,
        up: host.up,
        bridgeMappings,
        l2Population,
        arpResponder,
        enableIsolatedMetadata,
        firewallDriver: hybridPlug ? 'IPTABLES_HYBRID' : 'OPENVSWITCH',
      },
      path: ovs.path,
    });
  }
  return { hosts, hosting };
}

/** A boolean of the DHCP agent's configurations; false (Neutron's default) without the agent or the key. */
function dhcpSetting(dhcp: ObjectReader | undefined, key: string): boolean | undefined {
  if (!dhcp) return false;
  const configurations = dhcp.child('configurations');
  if (configurations === undefined) return undefined;
  return dhcp.nested(configurations ?? {}, 'configurations').boolean(key, false);
}

function readBridgeMappings(config: ObjectReader): Record<string, string> | undefined {
  const mappings = config.child('bridge_mappings');
  if (mappings === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const [physnet, bridge] of Object.entries(mappings ?? {})) {
    if (typeof bridge !== 'string' || !BRIDGE_RE.test(bridge)) {
      config.problem(['bridge_mappings', physnet], `bridge '${String(bridge)}' of ${physnet} is not an OVS bridge name (at most 15 letters, digits, "_", "." or "-")`);
      return undefined;
    }
    result[physnet] = bridge;
  }
  return result;
}
