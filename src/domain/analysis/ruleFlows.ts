// The flows a security group rule speaks of, in the path engine's terms:
// what a probe of the rule sends, and whether a rule admits an address.
import { cidrContains, ipVersion, isIpAddress, parsePrefix } from '../addressing.js';
import { FLOW_PROTOCOLS, flowProtocolNumber, type Flow, type FlowProtocol } from '../firewall/index.js';
import { protocolNumber } from '../firewall/protocols.js';
import type { SecurityGroupRule } from '../model.js';

/** The flow protocol a rule's protocol is, null for any protocol; undefined when no flow protocol is it. */
export function flowProtocolOf(rule: Pick<SecurityGroupRule, 'protocol' | 'ethertype'>): FlowProtocol | null | undefined {
  const wanted = protocolNumber(rule.protocol, rule.ethertype);
  if (wanted === null) return null;
  const version = rule.ethertype === 'IPV4' ? 4 : 6;
  return FLOW_PROTOCOLS.find((p) => p !== 'ANY' && flowProtocolNumber(p, version) === wanted);
}

/**
 * One flow the rule allows: its protocol (ANY for a rule of any protocol)
 * at the lowest port of its range. An ICMP rule for another type than the
 * echo request has none: the engine's ICMP flow is a ping.
 */
export function probeFlow(rule: SecurityGroupRule): Flow | null {
  const protocol = flowProtocolOf(rule);
  if (protocol === undefined) return null;
  if (protocol === null) return { protocol: 'ANY', destinationPort: null };
  if (protocol === 'ICMP') {
    const echo = rule.ethertype === 'IPV4' ? 8 : 128;
    return rule.portRangeMin === null || rule.portRangeMin === echo ? { protocol, destinationPort: null } : null;
  }
  return { protocol, destinationPort: rule.portRangeMin };
}

/** Whether the rule's remote (prefix, or none) holds the address; a remote group never holds an address outside the cloud. */
export function remoteHolds(rule: SecurityGroupRule, ip: string): boolean {
  if (!isIpAddress(ip) || (ipVersion(ip) === 4 ? 'IPV4' : 'IPV6') !== rule.ethertype || rule.remoteGroupId) return false;
  if (rule.remoteIpPrefix === null) return true;
  const block = parsePrefix(rule.remoteIpPrefix);
  return block !== null && cidrContains(block, ip);
}
