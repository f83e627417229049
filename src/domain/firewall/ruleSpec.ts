// One security group rule as the driver writes it into a port chain, in the
// order iptables -S prints it: source/destination, protocol, ports, set, target.
import { parsePrefix } from '../addressing.js';
import type { Direction, Ethertype, SecurityGroupRule } from '../model.js';
import { IPTABLES_MATCH_MODULE, iptablesProtocol, isIcmp, MULTIPORT_ONLY_PROTOCOLS, PORT_PROTOCOLS } from './protocols.js';
import { ipsetName } from './remoteGroups.js';

/** The driver's view of a rule: security group rules and the provider (DHCP, RA) rules alike. */
export interface MatchSpec {
  direction: Direction;
  ethertype: Ethertype;
  protocol: string | null;
  sourcePrefix: string | null;
  destPrefix: string | null;
  sourcePortMin: number | null;
  sourcePortMax: number | null;
  portMin: number | null;
  portMax: number | null;
  remoteGroupId: string | null;
}

export function fromSecurityGroupRule(rule: SecurityGroupRule): MatchSpec {
  const ingress = rule.direction === 'INGRESS';
  return {
    direction: rule.direction,
    ethertype: rule.ethertype,
    protocol: rule.protocol,
    sourcePrefix: ingress ? rule.remoteIpPrefix : null,
    destPrefix: ingress ? null : rule.remoteIpPrefix,
    sourcePortMin: null,
    sourcePortMax: null,
    portMin: rule.portRangeMin,
    portMax: rule.portRangeMax,
    remoteGroupId: rule.remoteGroupId,
  };
}

/** E.g. `-s 10.0.0.0/24 -p tcp -m tcp --dport 22 -j RETURN`, or with a remote group `-m set --match-set NIPv4… src`. */
export function ruleSpec(spec: MatchSpec): string {
  const args: string[] = [];
  if (!spec.remoteGroupId) args.push(...prefixArg('-s', spec.sourcePrefix), ...prefixArg('-d', spec.destPrefix));
  args.push(...protocolAndPortArgs(spec));
  if (spec.remoteGroupId) {
    args.push('-m set --match-set', ipsetName(spec.remoteGroupId, spec.ethertype), spec.direction === 'INGRESS' ? 'src' : 'dst');
  }
  args.push('-j RETURN');
  return args.join(' ');
}

function prefixArg(flag: string, prefix: string | null): string[] {
  if (!prefix) return [];
  const block = parsePrefix(prefix);
  if (!block) return [flag, prefix];
  // An allow for every address is no constraint: the driver leaves it out.
  return block.prefix === 0 ? [] : [flag, block.text];
}

function protocolAndPortArgs(spec: MatchSpec): string[] {
  const protocol = iptablesProtocol(spec.protocol, spec.ethertype);
  if (protocol === null) return [];
  const args = ['-p', protocol];
  const hasPorts = spec.sourcePortMin !== null || spec.portMin !== null;
  // iptables loads the protocol's own match module when ports or ICMP types are given.
  if (hasPorts && protocol in IPTABLES_MATCH_MODULE) args.push('-m', IPTABLES_MATCH_MODULE[protocol]);
  args.push(...portArg('sport', protocol, spec.sourcePortMin, spec.sourcePortMax));
  args.push(...portArg('dport', protocol, spec.portMin, spec.portMax));
  return args;
}

function portArg(flag: 'sport' | 'dport', protocol: string, min: number | null, max: number | null): string[] {
  if (min === null) return [];
  if (isIcmp(protocol)) {
    // For ICMP the range is type/code.
    const type = protocol === 'icmp' ? '--icmp-type' : '--icmpv6-type';
    return [type, max === null ? `${min}` : `${min}/${max}`];
  }
  if (!PORT_PROTOCOLS.has(protocol)) return [];
  const upper = max ?? min;
  if (min === upper && !MULTIPORT_ONLY_PROTOCOLS.has(protocol)) return [`--${flag}`, `${min}`];
  return ['-m', 'multiport', `--${flag}s`, min === upper ? `${min}` : `${min}:${upper}`];
}
