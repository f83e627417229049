// What `iptables -S` / `ip6tables -S` (filter table) show for one port on its
// host with the hybrid OVS iptables driver (OVSHybridIptablesFirewallDriver),
// enable_ipset and comment_iptables_rules at their defaults (true).
import { ipVersion, isIpAddress, normalizeIp } from '../addressing.js';
import { DEVICE_OWNER, type Direction, type Port } from '../model.js';
import { egressChain, ingressChain, IPTABLES_WRAP, SG_CHAIN, SG_FALLBACK, spoofChain, tapName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { macSources, type MacSource } from './antiSpoofing.js';
import { IPTABLES_COMMENT as C, withComment } from './comments.js';
import { portRules, unfilteredReason } from './policy.js';
import { ipsetOf, type IpSet } from './remoteGroups.js';
import { fromSecurityGroupRule, ruleSpec, type MatchSpec } from './ruleSpec.js';

export interface IptablesChain {
  name: string;
  /** Rule specs as `iptables -S` prints them after `-A <chain>`. */
  rules: string[];
}

export interface IptablesListing {
  /** The chains holding rules for the port, in `iptables -S` order; shared chains carry only the port's lines. */
  chains: IptablesChain[];
  /** `-N` lines of the port's own chains, then its `-A` lines; empty when the host has nothing for the port. */
  text: string;
}

export interface PortFirewall extends IptablesListing {
  /** The same port as `ip6tables -S` shows it. */
  ipv6: IptablesListing;
  /** The ipsets the port's rules match on, with their members. */
  ipsets: IpSet[];
}

type Family = 4 | 6;

const FORWARD = `${IPTABLES_WRAP}-FORWARD`;
const INPUT = `${IPTABLES_WRAP}-INPUT`;

/** ICMPv6 types always let in: MLD query, neighbor solicitation and advertisement. */
const ICMPV6_INGRESS_TYPES = [130, 135, 136];
/** ICMPv6 types let out from :: for duplicate address detection: MLD report, NS, MLDv2 report. */
const ICMPV6_UNSPECIFIED_SOURCE_TYPES = [131, 135, 143];
const ICMPV6_ROUTER_ADVERTISEMENT = 134;
/** DHCP (server port, client port) per IP version. */
const DHCP_PORTS = { 4: [67, 68], 6: [547, 546] } as const;

export function portFirewall(index: TopologyIndex, port: Port): PortFirewall {
  const v4 = listing(port, portChains(index, port, 4));
  const v6 = listing(port, portChains(index, port, 6));
  const filtered = port.hostId !== null && unfilteredReason(port) === null;
  return { ...v4, ipv6: v6, ipsets: filtered ? portIpsets(index, port) : [] };
}

function portChains(index: TopologyIndex, port: Port, family: Family): IptablesChain[] {
  // Unbound ports are on no host; floating IP ports are never plugged.
  if (!port.hostId || port.deviceOwner === DEVICE_OWNER.floatingIp) return [];
  const tap = tapName(port.id);
  const toVm = `-m physdev --physdev-out ${tap} --physdev-is-bridged`;
  const fromVm = `-m physdev --physdev-in ${tap} --physdev-is-bridged`;

  const reason = unfilteredReason(port);
  if (reason === 'network-owner') {
    const accept = (m: string) => withComment(`${m} -j ACCEPT`, C.trustedAccept);
    return [{ name: FORWARD, rules: [accept(toVm), accept(fromVm)] }];
  }
  if (reason === 'port-security-disabled') {
    const accept = (m: string) => withComment(`${m} -j ACCEPT`, C.portSecurityAccept);
    return sortChains([
      { name: FORWARD, rules: [accept(toVm), accept(fromVm)] },
      { name: INPUT, rules: [accept(fromVm)] },
    ]);
  }

  const ingress = ingressChain(port.id);
  const egress = egressChain(port.id);
  const sources = macSources(port)[family];
  const chains: IptablesChain[] = [
    { name: FORWARD, rules: [withComment(`${toVm} -j ${SG_CHAIN}`, C.vmToSgChain), withComment(`${fromVm} -j ${SG_CHAIN}`, C.vmToSgChain)] },
    { name: INPUT, rules: [withComment(`${fromVm} -j ${egress}`, C.inputToSg)] },
    { name: SG_CHAIN, rules: [withComment(`${toVm} -j ${ingress}`, C.sgChainToVm), withComment(`${fromVm} -j ${egress}`, C.sgChainToVm)] },
    { name: ingress, rules: ingressRules(index, port, family) },
    { name: egress, rules: egressRules(index, port, family, sources.length > 0) },
  ];
  if (sources.length > 0) chains.push({ name: spoofChain(port.id), rules: spoofRules(sources) });
  return sortChains(chains);
}

/** libiptc keeps user chains sorted by name, and iptables -S lists them in that order. */
const sortChains = (chains: IptablesChain[]) => [...chains].sort((a, b) => (a.name < b.name ? -1 : 1));

function listing(port: Port, chains: IptablesChain[]): IptablesListing {
  const own = new Set([ingressChain(port.id), egressChain(port.id), spoofChain(port.id)]);
  const lines = [
    ...chains.filter((c) => own.has(c.name)).map((c) => `-N ${c.name}`),
    ...chains.flatMap((c) => c.rules.map((r) => `-A ${c.name} ${r}`)),
  ];
  return { chains, text: lines.length > 0 ? `${lines.join('\n')}\n` : '' };
}

function ingressRules(index: TopologyIndex, port: Port, family: Family): string[] {
  const ndp = family === 6 ? ICMPV6_INGRESS_TYPES.map((t) => `-p ipv6-icmp -m icmp6 --icmpv6-type ${t} -j RETURN`) : [];
  return [...ndp, ...statefulSection([...providerIngress(port, family), ...groupRules(index, port, 'INGRESS', family)])];
}

function egressRules(index: TopologyIndex, port: Port, family: Family, hasSpoofChain: boolean): string[] {
  const spoofJump = hasSpoofChain ? [`-j ${spoofChain(port.id)}`] : [];
  const fixed = family === 4
    ? [
      withComment('-s 0.0.0.0/32 -d 255.255.255.255/32 -p udp -m udp --sport 68 --dport 67 -j RETURN', C.dhcpClient),
      ...spoofJump,
      withComment('-p udp -m udp --sport 68 --dport 67 -j RETURN', C.dhcpClient),
      withComment('-p udp -m udp --sport 67 --dport 68 -j DROP', C.dhcpSpoof),
    ]
    : [
      ...ICMPV6_UNSPECIFIED_SOURCE_TYPES.map((t) =>
        withComment(`-s ::/128 -d ff02::/16 -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -j RETURN`, C.ipv6IcmpAllow)),
      ...spoofJump,
      withComment(`-p ipv6-icmp -m icmp6 --icmpv6-type ${ICMPV6_ROUTER_ADVERTISEMENT} -j DROP`, C.ipv6RaDrop),
      withComment('-p ipv6-icmp -j RETURN', C.ipv6IcmpAllow),
      withComment('-p udp -m udp --sport 546 --dport 547 -j RETURN', C.dhcpClient),
      withComment('-p udp -m udp --sport 547 --dport 546 -j DROP', C.dhcpSpoof),
    ];
  return [...fixed, ...statefulSection(groupRules(index, port, 'EGRESS', family))];
}

/** Established first, the allow rules (duplicates across groups pruned), invalid dropped, the rest to the fallback (DROP). */
function statefulSection(specs: MatchSpec[]): string[] {
  return [
    withComment('-m state --state RELATED,ESTABLISHED -j RETURN', C.established),
    ...new Set(specs.map(ruleSpec)),
    withComment('-m state --state INVALID -j DROP', C.invalidDrop),
    withComment(`-j ${SG_FALLBACK}`, C.unmatched),
  ];
}

function groupRules(index: TopologyIndex, port: Port, direction: Direction, family: Family): MatchSpec[] {
  const ethertype = family === 4 ? 'IPV4' : 'IPV6';
  return portRules(index, port)
    .filter(({ rule }) => rule.direction === direction && rule.ethertype === ethertype)
    .map(({ rule }) => fromSecurityGroupRule(rule));
}

/**
 * The rules the server adds to every filtered port: router advertisements
 * in (IPv6 ports only), and DHCP replies to each fixed IP and to the
 * broadcast (IPv4) or link-local (IPv6) destinations.
 */
function providerIngress(port: Port, family: Family): MatchSpec[] {
  const base = { direction: 'INGRESS', ethertype: family === 4 ? 'IPV4' : 'IPV6', sourcePrefix: null, portMax: null, remoteGroupId: null } as const;
  const fixed = port.fixedIps.map((f) => f.ipAddress).filter((ip) => isIpAddress(ip) && ipVersion(ip) === family).map(normalizeIp);
  const specs: MatchSpec[] = [];
  if (family === 6 && fixed.length > 0) {
    specs.push({ ...base, protocol: 'ipv6-icmp', destPrefix: null, sourcePortMin: ICMPV6_ROUTER_ADVERTISEMENT, sourcePortMax: null, portMin: null });
  }
  const [server, client] = DHCP_PORTS[family];
  const destinations = [...fixed.map((ip) => `${ip}/${family === 4 ? 32 : 128}`), family === 4 ? '255.255.255.255/32' : 'fe80::/64'];
  for (const destPrefix of destinations) {
    specs.push({ ...base, protocol: 'udp', destPrefix, sourcePortMin: server, sourcePortMax: server, portMin: client, portMax: client });
  }
  return specs;
}

function spoofRules(sources: MacSource[]): string[] {
  return [
    ...sources.map(({ mac, source }) =>
      withComment(`${source ? `-s ${source} ` : ''}-m mac --mac-source ${mac} -j RETURN`, C.pairAllow)),
    withComment('-j DROP', C.pairDrop),
  ];
}

/** The ipsets of the remote groups the port's rules name, in rule order. */
function portIpsets(index: TopologyIndex, port: Port): IpSet[] {
  const sets = new Map<string, IpSet>();
  for (const { rule } of portRules(index, port)) {
    if (!rule.remoteGroupId) continue;
    const set = ipsetOf(index, rule.remoteGroupId, rule.ethertype);
    if (!sets.has(set.name)) sets.set(set.name, set);
  }
  return [...sets.values()];
}
