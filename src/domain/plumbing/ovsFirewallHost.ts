// The Open vSwitch firewall's flows on one host: the driver's bridge-wide
// flows, each port's own (filtered, or passed through when it is a router
// or DHCP port or has port security off), and the remote-group address
// flows each local VLAN needs (docs/neutron-model.md, "The Open vSwitch
// firewall driver"). Conjunction ids are numbered as a freshly started
// agent numbers them: ports by name, their groups and rules in order.
import { apiProtocolNumber } from '../firewall/protocols.js';
import { portGroups, unfilteredReason } from '../firewall/policy.js';
import { isVmPort, type Port, type SecurityGroupRule } from '../model.js';
import { BR_INT } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { hostBridges } from './bridges.js';
import type { FlowRule } from './flow.js';
import { ofportNumbers } from './ofports.js';
import {
  ConjIdMap, addFlowsFromRules, createFlowsForIpAddress, firewallBridgeFlows, initializePortFlows, toFlowRule, unfilteredPortFlows,
  type FirewallPort, type FirewallRule, type FlowFields, type RemoteConjIds,
} from './ovsFirewallFlows.js';
import { pluggedPorts } from './plug.js';

export interface HostFirewallFlows {
  bridge: FlowRule[];
  /** By port id. */
  ports: Map<string, FlowRule[]>;
  /** Remote-group address flows, by local VLAN. */
  vlans: Map<number, FlowRule[]>;
}

/**
 * A rule as the server sends it to the agent (security_group_info_for_devices):
 * remote_ip_prefix becomes source_ip_prefix (ingress) or dest_ip_prefix
 * (egress); the driver turns the protocol into its number, icmp into 58 for IPv6.
 */
export function firewallRule(rule: SecurityGroupRule): FirewallRule {
  const out: FirewallRule = { direction: rule.direction === 'INGRESS' ? 'ingress' : 'egress', ethertype: rule.ethertype === 'IPV4' ? 'IPv4' : 'IPv6' };
  if (rule.protocol) {
    const icmpV6 = rule.ethertype === 'IPV6' && rule.protocol.toLowerCase() === 'icmp';
    const number = icmpV6 ? 58 : apiProtocolNumber(rule.protocol);
    if (number !== null && number !== undefined) out.protocol = number;
  }
  if (rule.portRangeMin !== null) out.port_range_min = rule.portRangeMin;
  if (rule.portRangeMax !== null) out.port_range_max = rule.portRangeMax;
  if (rule.remoteIpPrefix) out[rule.direction === 'INGRESS' ? 'source_ip_prefix' : 'dest_ip_prefix'] = rule.remoteIpPrefix;
  if (rule.remoteGroupId) out.remote_group_id = rule.remoteGroupId;
  return out;
}

function firewallPort(index: TopologyIndex, port: Port, name: string, ofport: number, vlanTag: number): FirewallPort {
  const network = index.networks.get(port.networkId);
  return {
    name,
    ofport,
    vlanTag,
    mac: port.macAddress.toLowerCase(),
    fixedIps: port.fixedIps.map((f) => f.ipAddress),
    allowedPairs: port.allowedAddressPairs.map((p) => ({ mac: (p.macAddress ?? port.macAddress).toLowerCase(), ip: p.ipAddress })),
    networkType: network?.networkType ?? 'VXLAN',
    segmentId: network?.networkType === 'VLAN' ? network.segmentationId : null,
  };
}

/** Null for a host without the OVS firewall. */
export function hostFirewallFlows(index: TopologyIndex, hostId: string): HostFirewallFlows | null {
  if (index.hosts.get(hostId)?.firewallDriver !== 'OPENVSWITCH') return null;
  const brInt = hostBridges(index, hostId).find((b) => b.name === BR_INT);
  const ofports = brInt ? ofportNumbers(brInt) : new Map<string, number>();
  const conjIds = new ConjIdMap();
  const remoteByVlan = new Map<number, RemoteConjIds>();
  const result: HostFirewallFlows = { bridge: firewallBridgeFlows().map(toFlowRule), ports: new Map(), vlans: new Map() };

  for (const { port, device, tag, wired } of pluggedPorts(index, hostId)) {
    const ofport = ofports.get(device.name);
    if (!wired || ofport === undefined) continue;
    let flows: FlowFields[];
    if (!isVmPort(port) || unfilteredReason(port) !== null) {
      flows = unfilteredPortFlows(device.name, ofport, tag);
    } else {
      const fwPort = firewallPort(index, port, device.name, ofport, tag);
      const rules = portGroups(index, port).flatMap((g) => [...g.rules].sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => ({ sgId: g.id, rule: firewallRule(r) })));
      if (!remoteByVlan.has(tag)) remoteByVlan.set(tag, new Map());
      flows = [...initializePortFlows(fwPort), ...addFlowsFromRules(fwPort, { rules }, conjIds, remoteByVlan.get(tag)!)];
    }
    result.ports.set(port.id, flows.map(toFlowRule));
  }

  // ConjIPFlowManager.update_flows_for_vlan: per member address, the conj ids of every remote group holding it.
  for (const [vlan, byDirection] of remoteByVlan) {
    const flows: FlowFields[] = [];
    for (const [dirKey, groups] of byDirection) {
      const [direction, ethertype] = dirKey.split('/') as [FirewallRule['direction'], FirewallRule['ethertype']];
      const byAddress = new Map<string, Set<number>>();
      for (const [groupId, ids] of groups) {
        for (const address of index.topology.groupMembers[groupId] ?? []) {
          if ((address.includes(':') ? 'IPv6' : 'IPv4') !== ethertype) continue;
          if (!byAddress.has(address)) byAddress.set(address, new Set());
          for (const id of ids) byAddress.get(address)!.add(id);
        }
      }
      for (const [address, ids] of byAddress) flows.push(...createFlowsForIpAddress(address, direction, ethertype, vlan, [...ids].sort((a, b) => a - b)));
    }
    result.vlans.set(vlan, flows.map(toFlowRule));
  }
  return result;
}

/** Every firewall flow of the host, unsorted. */
export function allFirewallFlows(flows: HostFirewallFlows): FlowRule[] {
  return [...flows.bridge, ...[...flows.ports.values()].flat(), ...[...flows.vlans.values()].flat()];
}
