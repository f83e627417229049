// The security group decision for one flow at one port: the allow-list
// union of the port's groups (docs/neutron-model.md, "Security groups (hybrid iptables driver)").
import { cidrContains, ipVersion, isIpAddress, normalizeIp, parsePrefix } from '../addressing.js';
import type { Direction, Port, SecurityGroupRule } from '../model.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { describeRule } from './describe.js';
import { groupName, portGroups, portLabel, portRules, unfilteredReason } from './policy.js';
import { ICMP_ECHO_REQUEST, IP_PROTOCOL_NUMBERS, PORT_PROTOCOL_NUMBERS, protocolNumber } from './protocols.js';
import { ethertypeOf, isGroupMember } from './remoteGroups.js';

export { describeRule } from './describe.js';

/** ANY, ICMP (ICMPv6 to IPv6 addresses), and each protocol name neutron-lib accepts in rules. */
export const FLOW_PROTOCOLS = [
  'ANY', 'TCP', 'UDP', 'ICMP', 'SCTP', 'DCCP', 'UDPLITE', 'GRE', 'ESP', 'AH', 'VRRP', 'IGMP', 'IPIP', 'OSPF', 'PGM', 'RSVP',
  'EGP', 'IPV6_ENCAP', 'IPV6_FRAG', 'IPV6_NONXT', 'IPV6_OPTS', 'IPV6_ROUTE',
] as const;
export type FlowProtocol = (typeof FLOW_PROTOCOLS)[number];

/**
 * What is sent. An ICMP flow is a ping (echo request, type 8 or ICMPv6
 * 128); destinationPort counts for TCP, UDP, SCTP, DCCP and UDPLITE only.
 */
export interface Flow {
  protocol: FlowProtocol;
  destinationPort: number | null;
  /**
   * The packet's source port (protocols with ports). Security group rules
   * match destination ports only, so it decides no verdict; it names the
   * packet, and is the destination port of the connection's replies.
   */
  sourcePort?: number | null;
  /**
   * A reachability question's port range: every port from destinationPort
   * to this one. A traced packet has one port: reachability traces one per
   * piece of the range (domain/analysis/portRanges.ts).
   */
  destinationPortMax?: number | null;
}

/** The IP protocol number of the flow's packets; null for ANY. */
export function flowProtocolNumber(protocol: FlowProtocol, version: 4 | 6): number | null {
  if (protocol === 'ANY') return null;
  if (protocol === 'ICMP') return version === 4 ? 1 : 58;
  return IP_PROTOCOL_NUMBERS[protocol.toLowerCase().replace('_', '-')];
}

/** Whether the flow's destinationPort means anything (a protocol with ports). */
export const hasPorts = (protocol: FlowProtocol) => PORT_PROTOCOL_NUMBERS.has(flowProtocolNumber(protocol, 4) ?? -1);

export interface FirewallDecision {
  allowed: boolean;
  /** The rule that allows the flow; null when denied or when the port is not filtered. */
  rule: SecurityGroupRule | null;
  explanation: string;
}

/** Egress from `port` towards `destinationIp`. */
export function evaluateEgress(index: TopologyIndex, port: Port, flow: Flow, destinationIp: string): FirewallDecision {
  return evaluate(index, port, flow, 'EGRESS', destinationIp);
}

/** Ingress into `port` from `sourceIp` (the source address the packet has at the port, after any NAT). */
export function evaluateIngress(index: TopologyIndex, port: Port, flow: Flow, sourceIp: string): FirewallDecision {
  return evaluate(index, port, flow, 'INGRESS', sourceIp);
}

function evaluate(index: TopologyIndex, port: Port, flow: Flow, direction: Direction, remoteIp: string): FirewallDecision {
  if (!isIpAddress(remoteIp)) throw new Error(`'${remoteIp}' is not an IP address`);
  const reason = unfilteredReason(port);
  if (reason === 'network-owner') {
    return { allowed: true, rule: null, explanation: `router and DHCP ports are not filtered: port ${portLabel(port)} is ${port.deviceOwner}` };
  }
  if (reason === 'port-security-disabled') {
    return { allowed: true, rule: null, explanation: `port security disabled on port ${portLabel(port)}: its traffic is not filtered` };
  }
  // Rules come in (group order, rule id) order, so the first match is the deterministic pick.
  const match = portRules(index, port).find(({ rule }) => ruleMatches(index, rule, direction, flow, remoteIp));
  if (match) {
    const remoteName = match.rule.remoteGroupId ? groupName(index, match.rule.remoteGroupId) : undefined;
    return { allowed: true, rule: match.rule, explanation: `allowed by ${describeRule(match.rule, match.group.name, remoteName)}` };
  }
  return { allowed: false, rule: null, explanation: denial(index, port, flow, direction, remoteIp) };
}

function ruleMatches(index: TopologyIndex, rule: SecurityGroupRule, direction: Direction, flow: Flow, remoteIp: string): boolean {
  return rule.direction === direction
    && rule.ethertype === ethertypeOf(remoteIp)
    && protocolMatches(rule, flow, ipVersion(remoteIp))
    && remoteMatches(index, rule, remoteIp);
}

function protocolMatches(rule: SecurityGroupRule, flow: Flow, version: 4 | 6): boolean {
  const wanted = protocolNumber(rule.protocol, rule.ethertype);
  if (wanted === null) return true;
  // ANY means "every protocol": only a rule for any protocol allows all of it.
  if (flow.protocol === 'ANY') return false;
  if (wanted !== flowProtocolNumber(flow.protocol, version)) return false;
  const min = rule.portRangeMin;
  if (min === null) return true;
  if (flow.protocol === 'ICMP') {
    return min === ICMP_ECHO_REQUEST[version] && (rule.portRangeMax === null || rule.portRangeMax === 0);
  }
  const port = flow.destinationPort;
  return port !== null && port >= min && port <= (rule.portRangeMax ?? min);
}

function remoteMatches(index: TopologyIndex, rule: SecurityGroupRule, remoteIp: string): boolean {
  if (rule.remoteGroupId) return isGroupMember(index, rule.remoteGroupId, remoteIp);
  if (rule.remoteIpPrefix) {
    const block = parsePrefix(rule.remoteIpPrefix);
    return block !== null && cidrContains(block, remoteIp);
  }
  return true;
}

function describeFlow(flow: Flow): string {
  if (flow.protocol === 'ANY') return 'any protocol';
  const name = flow.protocol.toLowerCase().replace('_', '-');
  return hasPorts(flow.protocol) && flow.destinationPort !== null ? `${name}/${flow.destinationPort}` : name;
}

function denial(index: TopologyIndex, port: Port, flow: Flow, direction: Direction, remoteIp: string): string {
  const dir = direction.toLowerCase();
  const endpoints = direction === 'INGRESS' ? `from ${remoteIp} to port ${portLabel(port)}` : `from port ${portLabel(port)} to ${remoteIp}`;
  const groups = portGroups(index, port);
  if (groups.length === 0) return `no ${dir} rule allows ${describeFlow(flow)} ${endpoints}: the port has no security groups`;
  const groupList = groups.map((g) => (g.name === g.id ? g.id : `${g.name} (${g.id})`)).join(', ');
  const notes = [`no ${dir} rule of security groups ${groupList} allows ${describeFlow(flow)} ${endpoints}`];
  const rules = groups.flatMap((g) => g.rules).filter((r) => r.direction === direction);
  if (flow.protocol === 'ANY' && rules.some((r) => protocolNumber(r.protocol, r.ethertype) !== null)) {
    notes.push('a flow with protocol ANY is only allowed by a rule for any protocol');
  }
  if (hasPorts(flow.protocol) && flow.destinationPort === null && rules.some((r) => r.portRangeMin !== null)) {
    notes.push('a flow without a destination port is only allowed by a rule without a port range');
  }
  const isFloating = index.memo('floating IP addresses', () => new Set(index.topology.floatingIps.map((f) => normalizeIp(f.floatingIpAddress)))).has(normalizeIp(remoteIp));
  if (isFloating && rules.some((r) => r.remoteGroupId)) {
    notes.push(`${remoteIp} is a floating IP, and remote groups match only fixed IPs and allowed address pairs`);
  }
  return notes.join('; ');
}
