// IP protocols of security group rules: their numbers (for deciding) and the
// names iptables-save prints (for rendering), as neutron-lib defines them.
import type { Ethertype } from '../model.js';

/**
 * neutron-lib IPTABLES_PROTOCOL_NAME_MAP: the `-p` value iptables-save shows
 * for a protocol given by number or by an alias.
 */
const IPTABLES_PROTOCOL_NAME: Record<string, string> = {
  'ipv6-encap': 'ipv6', icmpv6: 'ipv6-icmp', pgm: '113',
  1: 'icmp', 2: 'igmp', 3: 'ggp', 4: 'ipencap', 5: 'st', 6: 'tcp', 8: 'egp', 9: 'igp', 12: 'pup',
  17: 'udp', 20: 'hmp', 22: 'xns-idp', 27: 'rdp', 29: 'iso-tp4', 33: 'dccp', 36: 'xtp', 37: 'ddp',
  38: 'idpr-cmtp', 41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 45: 'idrp', 46: 'rsvp', 47: 'gre',
  50: 'esp', 51: 'ah', 57: 'skip', 58: 'ipv6-icmp', 59: 'ipv6-nonxt', 60: 'ipv6-opts', 73: 'rspf',
  81: 'vmtp', 88: 'eigrp', 89: 'ospf', 93: 'ax.25', 94: 'ipip', 97: 'etherip', 98: 'encap', 103: 'pim',
  108: 'ipcomp', 112: 'vrrp', 115: 'l2tp', 124: 'isis', 132: 'sctp', 133: 'fc', 135: 'mobility-header',
  136: 'udplite', 137: 'mpls-in-ip', 138: 'manet', 139: 'hip', 140: 'shim6', 141: 'wesp', 142: 'rohc',
};

/**
 * neutron-lib IP_PROTOCOL_MAP: the protocol names the API accepts for a
 * rule (besides numbers 0-255), with their numbers.
 */
export const IP_PROTOCOL_NUMBERS: Record<string, number> = {
  ah: 51, dccp: 33, egp: 8, esp: 50, gre: 47, hopopt: 0, icmp: 1, igmp: 2, ip: 0, ipip: 4, 'ipv6-encap': 41,
  'ipv6-frag': 44, 'ipv6-icmp': 58, icmpv6: 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43, ospf: 89,
  pgm: 113, rsvp: 46, sctp: 132, tcp: 6, udp: 17, udplite: 136, vrrp: 112,
};

/** neutron-lib SG_PORT_PROTO_NUMS: the protocols whose rules carry a port range. */
export const PORT_PROTOCOL_NUMBERS = new Set([6, 17, 33, 132, 136]);

/** A rule protocol as the API reads it: its number, null for any protocol, undefined when not accepted. */
export function apiProtocolNumber(protocol: string | null): number | null | undefined {
  if (protocol === null || protocol === '' || protocol.toLowerCase() === 'any') return null;
  const lower = protocol.toLowerCase();
  if (lower in IP_PROTOCOL_NUMBERS) return IP_PROTOCOL_NUMBERS[lower];
  return /^\d{1,3}$/.test(lower) && Number(lower) <= 255 ? Number(lower) : undefined;
}

const NUMBER_OF_NAME = new Map(
  Object.entries(IPTABLES_PROTOCOL_NAME).filter(([key]) => /^\d+$/.test(key)).map(([key, name]) => [name, Number(key)]),
);

/** neutron-lib IPTABLES_PROTOCOL_MAP: the match module iptables adds when ports (or ICMP types) are given. */
export const IPTABLES_MATCH_MODULE: Record<string, string> = {
  dccp: 'dccp', icmp: 'icmp', 'ipv6-icmp': 'icmp6', sctp: 'sctp', tcp: 'tcp', udp: 'udp',
};

/** Protocols whose rules carry a port range (neutron SG_PORT_PROTO_NAMES). */
export const PORT_PROTOCOLS = new Set(['dccp', 'sctp', 'tcp', 'udp', 'udplite']);
/** Protocols iptables only matches ports for through `-m multiport`. */
export const MULTIPORT_ONLY_PROTOCOLS = new Set(['udplite']);

export const ICMP_ECHO_REQUEST = { 4: 8, 6: 128 } as const;

/**
 * The `-p` value the driver emits for a rule, or null for "any protocol"
 * (null and '0' need no -p). For IPv6 rules 'icmp' means ICMPv6, as the
 * driver rewrites it.
 */
export function iptablesProtocol(protocol: string | null, ethertype: Ethertype): string | null {
  if (protocol === null || protocol === '' || protocol === '0') return null;
  let name = protocol.toLowerCase();
  // ip and hopopt are protocol 0, which iptables takes as every protocol and prints no -p for.
  if (IP_PROTOCOL_NUMBERS[name] === 0) return null;
  if (ethertype === 'IPV6' && (name === 'icmp' || name === 'icmpv6')) name = 'ipv6-icmp';
  // The driver maps ipip to the local name of protocol 4 (ipencap on Debian and Ubuntu), not to
  // /etc/protocols' ipip, which is protocol 94 (iptables_firewall.py _protocol_name_map).
  if (name === 'ipip') return IPTABLES_PROTOCOL_NAME[4];
  return IPTABLES_PROTOCOL_NAME[name] ?? name;
}

/** The IP protocol number a rule matches, null for any, NaN for a name this table does not know. */
export function protocolNumber(protocol: string | null, ethertype: Ethertype): number | null {
  const name = iptablesProtocol(protocol, ethertype);
  if (name === null) return null;
  if (/^\d+$/.test(name)) return Number(name);
  return NUMBER_OF_NAME.get(name) ?? Number.NaN;
}

export const isIcmp = (iptablesName: string | null) => iptablesName === 'icmp' || iptablesName === 'ipv6-icmp';
