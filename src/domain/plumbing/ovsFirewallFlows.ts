// The Open vSwitch firewall driver's flows in br-int, as Neutron 2026.1
// writes them (agent/linux/openvswitch_firewall/firewall.py and rules.py;
// tables from neutron-lib ovs_constants; docs/neutron-model.md, "The Open
// vSwitch firewall driver"):
//   60 TRANSIENT: from the port's tap (in_port) -> egress 71; to its MAC on
//      its local VLAN -> ingress 81; reg5 = the port's ofport, reg6 = the
//      local VLAN, which is also the conntrack zone
//   71 BASE_EGRESS: ARP/NDP/DHCP for the port's own MAC/IP pairs, ct() for
//      its IP traffic -> 72; all else dropped (93)
//   72 RULES_EGRESS: established/related, then one flow per rule -> 73
//   73 ACCEPT_OR_INGRESS: to a local port -> 81, else commit -> 91 -> 94
//   81 BASE_INGRESS, 82 RULES_INGRESS: the same for traffic to the port,
//      ending in output to its tap
//   91/92 accepted, 93 dropped, 94 NORMAL
// Match and action texts are what `ovs-ofctl dump-flows` prints for what the
// agent sends: registers and ct_mark in hex, ct_state flags in OVS's bit
// order, dl_type/nw_proto as their shorthand (ip, icmp6, tcp ...), ports by
// name like the project's other flows.
import { parsePrefix, type Cidr } from '../addressing.js';
import { linkLocalAddress } from '../firewall/antiSpoofing.js';
import type { NetworkType } from '../model.js';
import { flow, ofPort, type FlowRule } from './flow.js';

export const TRANSIENT_TABLE = 60;
export const BASE_EGRESS_TABLE = 71;
export const RULES_EGRESS_TABLE = 72;
export const ACCEPT_OR_INGRESS_TABLE = 73;
export const BASE_INGRESS_TABLE = 81;
export const RULES_INGRESS_TABLE = 82;
export const ACCEPTED_EGRESS_TRAFFIC_TABLE = 91;
export const ACCEPTED_INGRESS_TRAFFIC_TABLE = 92;
export const DROPPED_TRAFFIC_TABLE = 93;
export const ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE = 94;
/** ovs_constants.OVS_FIREWALL_TABLES: each ends in a priority 0 drop. */
const OVS_FIREWALL_TABLES = [BASE_EGRESS_TABLE, RULES_EGRESS_TABLE, ACCEPT_OR_INGRESS_TABLE, BASE_INGRESS_TABLE, RULES_INGRESS_TABLE];

/** agent_consts REG_PORT, REG_NET, REG_REMOTE_GROUP. */
const REG_PORT = 5;
const REG_NET = 6;
const REG_REMOTE_GROUP = 7;

const ETHERTYPE_IP = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_RARP = 0x8035;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_IPV6_ICMP = 58;
const PROTO_SCTP = 132;
/** firewall.py ICMPV6_ALLOWED_EGRESS_TYPES (MLD query, RS, NS), ICMPV6_RESTRICTED_EGRESS_TYPES (NA), ICMPV6_ALLOWED_INGRESS_TYPES (MLD query, NS, NA). */
const ICMPV6_ALLOWED_EGRESS_TYPES = [130, 133, 135];
const ICMPV6_RESTRICTED_EGRESS_TYPES = [136];
const ICMPV6_ALLOWED_INGRESS_TYPES = [130, 135, 136];
const ICMPV6_TYPE_RA = 134;

/** openvswitch_firewall/constants.py OF_STATE_*, as OVS prints them (flags in bit order: new est rel rpl inv trk). */
const CT = {
  notTracked: '-trk',
  tracked: '+trk',
  newNotEstablished: '+new-est',
  notEstablished: '-est',
  established: '+est',
  establishedNotReply: '+est-rel-rpl',
  establishedReply: '+est-rel+rpl',
  related: '-new-est+rel-inv',
  invalid: '+inv+trk',
} as const;
const CT_MARK_NORMAL = 0;
const CT_MARK_INVALID = 1;
/** rules.py CT_STATES: a rule's flows match established-not-reply, then new. */
const CT_STATES = [CT.establishedNotReply, CT.newNotEstablished];

/** OFPort: what the driver knows of a port it filters. */
export interface FirewallPort {
  /** The OVS port name (the tap). */
  name: string;
  ofport: number;
  /** The local VLAN: reg6 and the conntrack zone. */
  vlanTag: number;
  mac: string;
  /** Fixed IP addresses. */
  fixedIps: string[];
  /** allowed_address_pairs as (mac, ip or CIDR). */
  allowedPairs: { mac: string; ip: string }[];
  networkType: NetworkType;
  /** The provider VLAN of a VLAN network; null otherwise. */
  segmentId: number | null;
}

/** A security group rule as the server hands it to the agent (remote_ip_prefix split by direction, protocol as a number). */
export interface FirewallRule {
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol?: number;
  port_range_min?: number;
  port_range_max?: number;
  source_ip_prefix?: string;
  dest_ip_prefix?: string;
  remote_group_id?: string;
}

/** The fields of one flow, by the names the agent uses, before OVS prints them. */
export interface FlowFields {
  table: number;
  priority: number;
  actions: string;
  conj_id?: number;
  ct_state?: string;
  ct_zone?: number;
  ct_mark?: number;
  dl_type?: number;
  nw_proto?: number;
  reg_port?: number;
  reg_net?: number;
  in_port?: string;
  dl_vlan?: number;
  vlan_tci?: string;
  dl_src?: string;
  dl_dst?: string;
  nw_src?: string;
  nw_dst?: string;
  ipv6_src?: string;
  ipv6_dst?: string;
  arp_spa?: string;
  tp_src?: PortMatch;
  tp_dst?: PortMatch;
  icmp_type?: number;
  icmp_code?: number;
  nd_target?: string;
}

/** A transport port or a port/mask pair (utils.port_rule_masking). */
export type PortMatch = number | { value: number; mask: number };

const SHORTHAND: Record<number, { name: string; protocols: Record<number, string> }> = {
  [ETHERTYPE_IP]: { name: 'ip', protocols: { [PROTO_ICMP]: 'icmp', [PROTO_TCP]: 'tcp', [PROTO_UDP]: 'udp', [PROTO_SCTP]: 'sctp' } },
  [ETHERTYPE_IPV6]: { name: 'ipv6', protocols: { [PROTO_IPV6_ICMP]: 'icmp6', [PROTO_TCP]: 'tcp6', [PROTO_UDP]: 'udp6', [PROTO_SCTP]: 'sctp6' } },
  [ETHERTYPE_ARP]: { name: 'arp', protocols: {} },
  [ETHERTYPE_RARP]: { name: 'rarp', protocols: {} },
};

const hex = (n: number) => (n === 0 ? '0' : `0x${n.toString(16)}`);

/** An address or CIDR as OVS prints it: bare for a host, the network's CIDR otherwise. */
function ipMatch(text: string): string {
  const cidr: Cidr | null = parsePrefix(text);
  if (!cidr) return text;
  const bits = cidr.version === 4 ? 32 : 128;
  return cidr.prefix === bits ? cidr.text.split('/')[0] : cidr.text;
}

const portText = (p: PortMatch) => (typeof p === 'number' ? `${p}` : `${hex(p.value)}/${hex(p.mask)}`);

/** The match as lib/match.c match_format lays it out (without priority). */
export function ovsMatch(f: FlowFields): string {
  const out: string[] = [];
  const push = (key: string, value: string | number | undefined) => {
    if (value !== undefined) out.push(`${key}=${value}`);
  };
  if (f.conj_id !== undefined) push('conj_id', f.conj_id);
  push('ct_state', f.ct_state);
  push('ct_zone', f.ct_zone);
  if (f.ct_mark !== undefined) push('ct_mark', hex(f.ct_mark));
  const shorthand = f.dl_type !== undefined ? SHORTHAND[f.dl_type] : undefined;
  const protoName = shorthand && f.nw_proto !== undefined ? shorthand.protocols[f.nw_proto] : undefined;
  if (shorthand) out.push(protoName ?? shorthand.name);
  if (f.reg_port !== undefined) push(`reg${REG_PORT}`, hex(f.reg_port));
  if (f.reg_net !== undefined) push(`reg${REG_NET}`, hex(f.reg_net));
  if (f.in_port !== undefined) push('in_port', ofPort(f.in_port));
  push('dl_vlan', f.dl_vlan);
  push('vlan_tci', f.vlan_tci);
  push('dl_src', f.dl_src);
  push('dl_dst', f.dl_dst);
  if (f.dl_type !== undefined && !shorthand) push('dl_type', `0x${f.dl_type.toString(16).padStart(4, '0')}`);
  for (const key of ['ipv6_src', 'ipv6_dst', 'nw_src', 'nw_dst', 'arp_spa'] as const) {
    const value = f[key];
    if (value !== undefined) push(key, ipMatch(value));
  }
  if (f.nw_proto !== undefined && protoName === undefined) push('nw_proto', f.nw_proto);
  push('icmp_type', f.icmp_type);
  push('icmp_code', f.icmp_code);
  if (f.tp_src !== undefined) push('tp_src', portText(f.tp_src));
  if (f.tp_dst !== undefined) push('tp_dst', portText(f.tp_dst));
  if (f.nd_target !== undefined) push('nd_target', ipMatch(f.nd_target));
  return out.join(',');
}

export const toFlowRule = (f: FlowFields): FlowRule => flow(f.table, f.priority, ovsMatch(f), f.actions);

// --- actions, as OVS prints them -------------------------------------------------

const resubmit = (table: number) => `resubmit(,${table})`;
const setReg = (value: number, reg: number) => `set_field:${hex(value)}->reg${reg}`;
const output = (port: FirewallPort) => `output:${ofPort(port.name)}`;
const ctZone = `zone=NXM_NX_REG${REG_NET}[0..15]`;
const ctToTable = (table: number) => `ct(table=${table},${ctZone})`;
const ctCommit = `ct(commit,${ctZone})`;
const ctCommitInvalid = `ct(commit,${ctZone},exec(set_field:${hex(CT_MARK_INVALID)}->ct_mark))`;

/** The port's MACs: its own and its address pairs' (OFPort.all_allowed_macs). */
function allowedMacs(port: FirewallPort): string[] {
  return [...new Set([port.mac, ...port.allowedPairs.map((p) => p.mac)])];
}

const versionOf = (ip: string) => parsePrefix(ip)?.version;

/** The (mac, ip) pairs of one IP version: address pairs, then the fixed IPs with the port's MAC. */
function macIpPairs(port: FirewallPort, version: 4 | 6): { mac: string; ip: string }[] {
  const pairs = [
    ...port.allowedPairs.filter((p) => versionOf(p.ip) === version),
    ...port.fixedIps.filter((ip) => versionOf(ip) === version).map((ip) => ({ mac: port.mac, ip })),
  ];
  return [...new Map(pairs.map((p) => [`${p.mac}/${p.ip}`, p])).values()];
}

// --- the bridge ----------------------------------------------------------------------

/**
 * What the driver installs once per bridge: _drop_all_unmatched_flows,
 * _initialize_common_flows (explicitly_egress_direct is off by default) and
 * _initialize_third_party_tables.
 */
export function firewallBridgeFlows(): FlowFields[] {
  return [
    ...OVS_FIREWALL_TABLES.map((table) => ({ table, priority: 0, actions: 'drop' })),
    { table: BASE_EGRESS_TABLE, priority: 110, ct_state: CT.tracked, actions: `ct_clear,${resubmit(BASE_EGRESS_TABLE)}` },
    { table: ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE, priority: 1, actions: 'NORMAL' },
    { table: ACCEPTED_EGRESS_TRAFFIC_TABLE, priority: 1, actions: resubmit(ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE) },
    { table: ACCEPTED_INGRESS_TRAFFIC_TABLE, priority: 0, actions: 'drop' },
    { table: DROPPED_TRAFFIC_TABLE, priority: 0, actions: 'drop' },
  ];
}

// --- a filtered port: initialize_port_flows -----------------------------------------

/** install_physical_direct_flow: frames for the port's MAC arriving on the provider VLAN (or untagged, flat). */
function physicalDirectFlows(port: FirewallPort, mac: string): FlowFields[] {
  const actions = `${setReg(port.ofport, REG_PORT)},${setReg(port.vlanTag, REG_NET)},`;
  if (port.networkType === 'VLAN' && port.segmentId !== null) {
    return [{ table: TRANSIENT_TABLE, priority: 90, dl_dst: mac, dl_vlan: port.segmentId, actions: `${actions}strip_vlan,${resubmit(BASE_INGRESS_TABLE)}` }];
  }
  if (port.networkType === 'FLAT') {
    return [{ table: TRANSIENT_TABLE, priority: 90, dl_dst: mac, vlan_tci: '0x0000/0x1fff', actions: `${actions}${resubmit(BASE_INGRESS_TABLE)}` }];
  }
  return [];
}

/** initialize_port_flows: table 60, then _initialize_egress and _initialize_ingress. */
export function initializePortFlows(port: FirewallPort): FlowFields[] {
  const flows: FlowFields[] = [{
    table: TRANSIENT_TABLE, priority: 100, in_port: port.name,
    actions: `${setReg(port.ofport, REG_PORT)},${setReg(port.vlanTag, REG_NET)},${resubmit(BASE_EGRESS_TABLE)}`,
  }];
  for (const mac of allowedMacs(port)) {
    flows.push(...physicalDirectFlows(port, mac));
    flows.push({
      table: TRANSIENT_TABLE, priority: 90, dl_dst: mac, dl_vlan: port.vlanTag,
      actions: `${setReg(port.ofport, REG_PORT)},${setReg(port.vlanTag, REG_NET)},strip_vlan,${resubmit(BASE_INGRESS_TABLE)}`,
    });
  }
  return [...flows, ...initializeEgress(port), ...initializeIngress(port)];
}

function initializeEgress(port: FirewallPort): FlowFields[] {
  const own = { reg_port: port.ofport, in_port: port.name };
  const toNormal = resubmit(ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE);
  const flows: FlowFields[] = [];
  const v4 = macIpPairs(port, 4);
  for (const { mac, ip } of v4) {
    flows.push({ table: BASE_EGRESS_TABLE, priority: 95, ...own, dl_src: mac, dl_type: ETHERTYPE_ARP, arp_spa: ip, actions: toNormal });
    flows.push({ table: BASE_EGRESS_TABLE, priority: 95, ...own, dl_type: ETHERTYPE_RARP, dl_src: mac, actions: toNormal });
    flows.push({ table: BASE_EGRESS_TABLE, priority: 65, ...own, dl_type: ETHERTYPE_IP, dl_src: mac, nw_src: ip, actions: ctToTable(RULES_EGRESS_TABLE) });
  }
  // _initialize_egress_ipv6_icmp: the pairs plus the port's link-local address.
  const v6 = macIpPairs(port, 6);
  const withLla = [...new Map([...v6, { mac: port.mac, ip: linkLocalAddress(port.mac) }].map((p) => [`${p.mac}/${p.ip}`, p])).values()];
  for (const { mac, ip } of withLla) {
    for (const type of ICMPV6_ALLOWED_EGRESS_TYPES) {
      flows.push({ table: BASE_EGRESS_TABLE, priority: 95, ...own, dl_type: ETHERTYPE_IPV6, nw_proto: PROTO_IPV6_ICMP, icmp_type: type, dl_src: mac, ipv6_src: ip, actions: toNormal });
    }
    for (const type of ICMPV6_RESTRICTED_EGRESS_TYPES) {
      flows.push({ table: BASE_EGRESS_TABLE, priority: 95, ...own, dl_type: ETHERTYPE_IPV6, nw_proto: PROTO_IPV6_ICMP, icmp_type: type, nd_target: ip, actions: toNormal });
    }
  }
  for (const { mac, ip } of v6) {
    flows.push({ table: BASE_EGRESS_TABLE, priority: 65, ...own, dl_type: ETHERTYPE_IPV6, dl_src: mac, ipv6_src: ip, actions: ctToTable(RULES_EGRESS_TABLE) });
  }
  // DHCP discovery from the port's pairs (and 0.0.0.0), DHCP servers on the VM banned.
  const dhcp: [number, number, number, { dl_src: string; nw_src?: string; ipv6_src?: string }[]][] = [
    [ETHERTYPE_IP, 68, 67, [...v4, { mac: port.mac, ip: '0.0.0.0' }].map(({ mac, ip }) => ({ dl_src: mac, nw_src: ip }))],
    [ETHERTYPE_IPV6, 546, 547, v6.map(({ mac, ip }) => ({ dl_src: mac, ipv6_src: ip }))],
  ];
  for (const [dlType, src, dst, filters] of dhcp) {
    for (const filter of filters) {
      flows.push({ table: BASE_EGRESS_TABLE, priority: 80, ...own, dl_type: dlType, ...filter, nw_proto: PROTO_UDP, tp_src: src, tp_dst: dst, actions: resubmit(ACCEPT_OR_INGRESS_TABLE) });
    }
  }
  for (const [dlType, src, dst] of [[ETHERTYPE_IP, 67, 68], [ETHERTYPE_IPV6, 547, 546]]) {
    flows.push({ table: BASE_EGRESS_TABLE, priority: 70, ...own, dl_type: dlType, nw_proto: PROTO_UDP, tp_src: src, tp_dst: dst, actions: resubmit(DROPPED_TRAFFIC_TABLE) });
  }
  flows.push({ table: BASE_EGRESS_TABLE, priority: 70, ...own, dl_type: ETHERTYPE_IPV6, nw_proto: PROTO_IPV6_ICMP, icmp_type: ICMPV6_TYPE_RA, actions: resubmit(DROPPED_TRAFFIC_TABLE) });
  flows.push({ table: BASE_EGRESS_TABLE, priority: 10, ...own, actions: `ct_clear,${resubmit(DROPPED_TRAFFIC_TABLE)}` });
  for (const mac of allowedMacs(port)) {
    flows.push({ table: ACCEPT_OR_INGRESS_TABLE, priority: 100, dl_dst: mac, reg_net: port.vlanTag, actions: `${setReg(port.ofport, REG_PORT)},${resubmit(BASE_INGRESS_TABLE)}` });
  }
  for (const dlType of [ETHERTYPE_IP, ETHERTYPE_IPV6]) {
    flows.push({ table: ACCEPT_OR_INGRESS_TABLE, priority: 90, dl_type: dlType, reg_port: port.ofport, ct_state: CT.newNotEstablished, actions: `${ctCommit},${resubmit(ACCEPTED_EGRESS_TRAFFIC_TABLE)}` });
  }
  flows.push({ table: ACCEPT_OR_INGRESS_TABLE, priority: 80, reg_port: port.ofport, actions: toNormal });
  return flows;
}

function initializeIngress(port: FirewallPort): FlowFields[] {
  const out = output(port);
  const flows: FlowFields[] = [{ table: BASE_INGRESS_TABLE, priority: 100, dl_type: ETHERTYPE_ARP, reg_port: port.ofport, actions: out }];
  for (const type of [...ICMPV6_ALLOWED_INGRESS_TYPES, ICMPV6_TYPE_RA]) {
    flows.push({ table: BASE_INGRESS_TABLE, priority: 100, reg_port: port.ofport, dl_type: ETHERTYPE_IPV6, nw_proto: PROTO_IPV6_ICMP, icmp_type: type, actions: out });
  }
  for (const [dlType, src, dst] of [[ETHERTYPE_IP, 67, 68], [ETHERTYPE_IPV6, 547, 546]]) {
    flows.push({ table: BASE_INGRESS_TABLE, priority: 95, reg_port: port.ofport, dl_type: dlType, nw_proto: PROTO_UDP, tp_src: src, tp_dst: dst, actions: out });
  }
  for (const dlType of [ETHERTYPE_IP, ETHERTYPE_IPV6]) {
    flows.push({ table: BASE_INGRESS_TABLE, priority: 90, reg_port: port.ofport, dl_type: dlType, ct_state: CT.notTracked, actions: ctToTable(RULES_INGRESS_TABLE) });
  }
  flows.push({ table: BASE_INGRESS_TABLE, priority: 80, ct_state: CT.tracked, reg_port: port.ofport, actions: resubmit(RULES_INGRESS_TABLE) });
  return flows;
}

// --- a filtered port: add_flows_from_rules ----------------------------------------------

/** _initialize_tracked_egress / _initialize_tracked_ingress. */
function trackedFlows(port: FirewallPort, table: number, accept: string): FlowFields[] {
  const flows: FlowFields[] = [
    { table, priority: 50, ct_state: CT.invalid, actions: resubmit(DROPPED_TRAFFIC_TABLE) },
    { table, priority: 50, reg_port: port.ofport, ct_mark: CT_MARK_INVALID, actions: resubmit(DROPPED_TRAFFIC_TABLE) },
  ];
  for (const state of [CT.establishedReply, CT.related]) {
    flows.push({ table, priority: 50, ct_state: state, ct_mark: CT_MARK_NORMAL, reg_port: port.ofport, ct_zone: port.vlanTag, actions: accept });
  }
  flows.push({ table, priority: 40, reg_port: port.ofport, ct_state: CT.notEstablished, actions: resubmit(DROPPED_TRAFFIC_TABLE) });
  for (const dlType of [ETHERTYPE_IP, ETHERTYPE_IPV6]) {
    flows.push({ table, priority: 40, dl_type: dlType, reg_port: port.ofport, ct_state: CT.established, actions: ctCommitInvalid });
  }
  return flows;
}

/** rules.py is_valid_prefix: a prefix that is set and not 0.0.0.0/0 or ::/0. */
const isValidPrefix = (prefix: string | undefined): prefix is string => {
  if (!prefix) return false;
  const cidr = parsePrefix(prefix);
  return cidr !== null && cidr.prefix !== 0;
};

/** rules.py flow_priority_offset. */
export function flowPriorityOffset(rule: FirewallRule, conjunction = false): number {
  const conjOffset = rule.remote_group_id !== undefined || conjunction ? 0 : 4;
  if (rule.protocol === undefined) return conjOffset;
  if (rule.protocol === PROTO_ICMP || rule.protocol === PROTO_IPV6_ICMP) {
    if (rule.port_range_min === undefined) return conjOffset + 1;
    if (rule.port_range_max === undefined) return conjOffset + 2;
  }
  return conjOffset + 3;
}

/** utils.port_rule_masking: a port range as value/mask matches. */
export function portRuleMasking(min: number, max: number): PortMatch[] {
  if (max < min) throw new RangeError("'port_max' is smaller than 'port_min'");
  const masked = (value: number, mask = 0): PortMatch => (mask > 0 ? { value, mask: 0xffff & ~mask } : value);
  const bitdiff = min ^ max;
  if (bitdiff === 0) return [masked(min)];
  let topBit = 1;
  while (topBit <= bitdiff) topBit <<= 1;
  if ((min & (topBit - 1)) === 0 && (max & (topBit - 1)) === topBit - 1) return [masked(min, topBit - 1)];
  topBit >>= 1;
  const rules: PortMatch[] = [];
  let bit = topBit;
  let mask = bit - 1;
  for (;;) {
    if ((min & mask) === 0) { rules.push(masked(min, mask)); break; }
    bit >>= 1; mask >>= 1;
    if ((min & bit) === 0) rules.push(masked((min & ~mask) | bit, mask));
  }
  bit = topBit;
  mask = bit - 1;
  for (;;) {
    if ((max & mask) === mask) { rules.push(masked(max & ~mask, mask)); break; }
    bit >>= 1; mask >>= 1;
    if ((max & bit) === bit) rules.push(masked(max & ~mask & ~bit, mask));
  }
  return rules;
}

/** rules.py populate_flow_common + create_protocol_flows (icmp / port range flows). */
function protocolFlows(rule: FirewallRule, template: Omit<FlowFields, 'table' | 'actions'>, port: FirewallPort): FlowFields[] {
  const base: FlowFields = rule.direction === 'ingress'
    ? { ...template, table: RULES_INGRESS_TABLE, actions: output(port) }
    : { ...template, table: RULES_EGRESS_TABLE, actions: resubmit(ACCEPT_OR_INGRESS_TABLE) };
  if (rule.protocol !== undefined) base.nw_proto = rule.protocol;
  if (rule.protocol === PROTO_ICMP || rule.protocol === PROTO_IPV6_ICMP) {
    if (rule.port_range_min === undefined) return [base];
    return [{ ...base, icmp_type: rule.port_range_min, ...(rule.port_range_max !== undefined ? { icmp_code: rule.port_range_max } : {}) }];
  }
  const withPorts = rule.protocol === PROTO_TCP || rule.protocol === PROTO_UDP || rule.protocol === PROTO_SCTP;
  if (!withPorts || !rule.port_range_min || !rule.port_range_max) return [base];
  return portRuleMasking(rule.port_range_min, rule.port_range_max).map((tp) => ({ ...base, tp_dst: tp }));
}

/** rules.py create_flows_from_rule_and_port. */
export function createFlowsFromRuleAndPort(rule: FirewallRule, port: FirewallPort, conjunction = false): FlowFields[] {
  const template: Omit<FlowFields, 'table' | 'actions'> = {
    priority: 70 + flowPriorityOffset(rule, conjunction),
    dl_type: rule.ethertype === 'IPv4' ? ETHERTYPE_IP : ETHERTYPE_IPV6,
    reg_port: port.ofport,
  };
  const v = rule.ethertype === 'IPv4' ? 'nw' : 'ipv6';
  if (isValidPrefix(rule.dest_ip_prefix)) template[`${v}_dst`] = rule.dest_ip_prefix;
  if (isValidPrefix(rule.source_ip_prefix)) template[`${v}_src`] = rule.source_ip_prefix;
  return protocolFlows(rule, template, port);
}

/** rules.py create_accept_flows: established-not-reply as is; new also committed (ingress: then output, and 92). */
export function createAcceptFlows(f: FlowFields): FlowFields[] {
  const established = { ...f, ct_state: CT_STATES[0] };
  const fresh = { ...f, ct_state: CT_STATES[1] };
  if (f.table === RULES_INGRESS_TABLE) fresh.actions = `${ctCommit},${f.actions},${resubmit(ACCEPTED_INGRESS_TRAFFIC_TABLE)}`;
  return [established, fresh];
}

/** rules.py substitute_conjunction_actions. */
export function substituteConjunctionActions(flows: FlowFields[], dimension: number, conjIds: number[]): FlowFields[] {
  return flows.flatMap((f) => [0, 1].map((i) => ({
    ...f, ct_state: CT_STATES[i], actions: conjIds.map((id) => `conjunction(${id + i},${dimension}/2)`).join(','),
  })));
}

/** rules.py create_conj_flows: the accept flows of a conjunction (conj_id and conj_id + 1 for new connections). */
export function createConjFlows(port: FirewallPort, conjId: number, direction: FirewallRule['direction'], ethertype: FirewallRule['ethertype']): FlowFields[] {
  const template: FlowFields = {
    table: direction === 'ingress' ? RULES_INGRESS_TABLE : RULES_EGRESS_TABLE,
    priority: 70 + conjOffsetOf(conjId),
    conj_id: conjId,
    dl_type: ethertype === 'IPv4' ? ETHERTYPE_IP : ETHERTYPE_IPV6,
    reg_port: port.ofport,
    actions: direction === 'ingress' ? output(port) : resubmit(ACCEPT_OR_INGRESS_TABLE),
  };
  const [established, fresh] = createAcceptFlows(template);
  fresh.conj_id = conjId + 1;
  return [established, fresh];
}

/** rules.py _flow_priority_offset_from_conj_id. */
const conjOffsetOf = (conjId: number) => Math.floor((conjId % 8) / 2);

/** rules.py create_flows_for_ip_address_and_mac: dimension 1 of a remote group, per member address. */
export function createFlowsForIpAddress(ip: string, direction: FirewallRule['direction'], ethertype: FirewallRule['ethertype'], vlanTag: number, conjIds: number[]): FlowFields[] {
  const cidr = parsePrefix(ip);
  if (!cidr) return [];
  const byOffset: number[][] = [[], [], [], []];
  for (const id of conjIds) byOffset[conjOffsetOf(id)].push(id);
  const field = `${cidr.version === 4 ? 'nw' : 'ipv6'}_${direction === 'egress' ? 'dst' : 'src'}` as const;
  const template: FlowFields = {
    table: direction === 'egress' ? RULES_EGRESS_TABLE : RULES_INGRESS_TABLE,
    priority: 70,
    dl_type: ethertype === 'IPv4' ? ETHERTYPE_IP : ETHERTYPE_IPV6,
    reg_net: vlanTag,
    [field]: cidr.text,
    actions: '',
  };
  return byOffset.flatMap((ids, offset) => (ids.length ? substituteConjunctionActions([{ ...template, priority: 70 + offset }], 1, ids) : []));
}

// --- ports the driver does not filter ------------------------------------------------

/** _initialize_egress_no_port_security (also process_trusted_ports for router and DHCP ports). */
export function unfilteredPortFlows(name: string, ofport: number, vlanTag: number): FlowFields[] {
  return [
    { table: TRANSIENT_TABLE, priority: 100, in_port: name, actions: `${setReg(ofport, REG_PORT)},${setReg(vlanTag, REG_NET)},${resubmit(ACCEPT_OR_INGRESS_TABLE)}` },
    { table: ACCEPT_OR_INGRESS_TABLE, priority: 80, reg_port: ofport, actions: resubmit(ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE) },
  ];
}

// --- one port's rule flows ----------------------------------------------------------------

/** A conj_id per (security group, remote group, direction, ethertype), multiples of 8 as ConjIdMap hands them out. */
export class ConjIdMap {
  private readonly ids = new Map<string, number>();
  private max = 0;

  get(sgId: string, remoteId: string, direction: string, ethertype: string): number {
    const key = `${sgId}/${remoteId}/${direction}/${ethertype}`;
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.max += 8));
    return id;
  }
}

export interface PortRules {
  /** (security group id, rule) in the port's group order. */
  rules: { sgId: string; rule: FirewallRule }[];
}

/** Dimension-1 needs per VLAN: remote group -> conj ids, by (direction, ethertype). */
export type RemoteConjIds = Map<string, Map<string, Set<number>>>;

/**
 * add_flows_from_rules: the tracked tables, each plain rule's accept flows
 * and the remote group rules' conjunction flows (dimension 2 and accept);
 * records in `remote` the conj ids the port's VLAN needs dimension-1 flows for.
 */
export function addFlowsFromRules(port: FirewallPort, { rules }: PortRules, conjIds: ConjIdMap, remote: RemoteConjIds): FlowFields[] {
  const flows = [
    ...trackedFlows(port, RULES_INGRESS_TABLE, output(port)),
    ...trackedFlows(port, RULES_EGRESS_TABLE, resubmit(ACCEPTED_EGRESS_TRAFFIC_NORMAL_TABLE)),
  ];
  for (const { rule } of rules) {
    if (rule.remote_group_id !== undefined) continue;
    for (const f of createFlowsFromRuleAndPort(rule, port)) flows.push(...createAcceptFlows(f));
  }
  // _add_non_ip_conj_flows, with merge_port_ranges / merge_common_rules.
  const byKey = new Map<string, { rule: FirewallRule; conjId: number }[]>();
  for (const { sgId, rule } of rules) {
    if (rule.remote_group_id === undefined) continue;
    const conjId = conjIds.get(sgId, rule.remote_group_id, rule.direction, rule.ethertype) + flowPriorityOffset(rule) * 2;
    const dirKey = `${rule.direction}/${rule.ethertype}`;
    if (!remote.has(dirKey)) remote.set(dirKey, new Map());
    const groups = remote.get(dirKey)!;
    if (!groups.has(rule.remote_group_id)) groups.set(rule.remote_group_id, new Set());
    groups.get(rule.remote_group_id)!.add(conjId);
    const { remote_group_id: _, ...rest } = rule;
    const key = `${rule.direction}/${rule.ethertype}/${rule.protocol ?? ''}`;
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key)!.push({ rule: rest, conjId });
  }
  for (const list of byKey.values()) {
    const protocol = list[0].rule.protocol;
    const merged = protocol === PROTO_TCP || protocol === PROTO_UDP || protocol === PROTO_SCTP ? mergePortRanges(list) : mergeCommonRules(list);
    for (const { rule, conjIds: ids } of merged) {
      flows.push(...substituteConjunctionActions(createFlowsFromRuleAndPort(rule, port, true), 2, ids));
    }
    // The driver stores the conj_id in reg7 for later processing.
    for (const conjId of [...new Set(list.map((l) => l.conjId))]) {
      for (const f of createConjFlows(port, conjId, list[0].rule.direction, list[0].rule.ethertype)) {
        flows.push({ ...f, actions: `${setReg(f.conj_id!, REG_REMOTE_GROUP)},${f.actions}` });
      }
    }
  }
  return flows;
}

export type Merged = { rule: FirewallRule; conjIds: number[] };

/** rules.py merge_common_rules: rules equal but for their port range, grouped by range. */
export function mergeCommonRules(list: { rule: FirewallRule; conjId: number }[]): Merged[] {
  const byRange = new Map<string, Merged>();
  for (const { rule, conjId } of list) {
    const key = `${rule.port_range_min}/${rule.port_range_max}`;
    if (!byRange.has(key)) byRange.set(key, { rule, conjIds: [] });
    byRange.get(key)!.conjIds.push(conjId);
  }
  return [...byRange.values()];
}

/** rules.py merge_port_ranges: overlapping port ranges cut into disjoint ones, each with the conj ids covering it. */
export function mergePortRanges(list: { rule: FirewallRule; conjId: number }[]): Merged[] {
  if (list.length === 1) return [{ rule: list[0].rule, conjIds: [list[0].conjId] }];
  const points: [number, 'min' | 'max', number][] = [];
  for (const { rule, conjId } of list) {
    points.push([rule.port_range_min ?? 1, 'min', conjId], [rule.port_range_max ?? 65535, 'max', conjId]);
  }
  points.sort((a, b) => (a[0] * 2 + (a[1] === 'min' ? 0 : 1)) - (b[0] * 2 + (b[1] === 'min' ? 0 : 1)));
  const { port_range_min: _min, port_range_max: _max, ...template } = list[0].rule;
  const result: Merged[] = [];
  const current = new Map<number, number>();
  let rangeMin = 0;
  for (const [p, kind, conjId] of points) {
    if (kind === 'min') {
      if (current.has(conjId)) { current.set(conjId, current.get(conjId)! + 1); continue; }
      if (current.size > 0 && rangeMin !== p) result.push({ rule: { ...template, port_range_min: rangeMin, port_range_max: p - 1 }, conjIds: [...current.keys()] });
      rangeMin = p;
      current.set(conjId, 1);
    } else {
      if (current.get(conjId)! > 1) { current.set(conjId, current.get(conjId)! - 1); continue; }
      if (rangeMin <= p) {
        result.push({ rule: { ...template, port_range_min: rangeMin, port_range_max: p }, conjIds: [...current.keys()] });
        rangeMin = p + 1;
      }
      current.delete(conjId);
    }
  }
  if (result.length === 1 && result[0].rule.port_range_min === 1 && result[0].rule.port_range_max === 65535) {
    result[0].rule = template;
  }
  return result;
}
