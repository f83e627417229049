// One-line, human-readable form of a security group rule, for explanations.
import { parsePrefix } from '../addressing.js';
import type { SecurityGroupRule } from '../model.js';
import { iptablesProtocol, isIcmp, PORT_PROTOCOLS } from './protocols.js';

/**
 * E.g. "rule <id> of security group web: ingress tcp 22-22 from 0.0.0.0/0".
 * A rule without remote reads as 0.0.0.0/0 or ::/0, as the OpenStack client
 * shows it. `remoteGroupName` names the remote group; without it the rule's
 * own group name is used when the rule points at its own group, else the id.
 */
export function describeRule(rule: SecurityGroupRule, groupName: string, remoteGroupName?: string): string {
  const parts = [rule.direction.toLowerCase(), rule.protocol?.toLowerCase() || 'any'];
  const range = rangeText(rule);
  if (range) parts.push(range);
  parts.push(rule.direction === 'INGRESS' ? 'from' : 'to', remoteText(rule, groupName, remoteGroupName));
  return `rule ${rule.id} of security group ${groupName}: ${parts.join(' ')}`;
}

function rangeText(rule: SecurityGroupRule): string | null {
  const min = rule.portRangeMin;
  if (min === null) return null;
  const protocol = iptablesProtocol(rule.protocol, rule.ethertype);
  if (isIcmp(protocol)) return rule.portRangeMax === null ? `type ${min}` : `type ${min} code ${rule.portRangeMax}`;
  if (protocol !== null && PORT_PROTOCOLS.has(protocol)) return `${min}-${rule.portRangeMax ?? min}`;
  return null;
}

function remoteText(rule: SecurityGroupRule, groupName: string, remoteGroupName?: string): string {
  const family = rule.ethertype === 'IPV4' ? 'IPv4' : 'IPv6';
  if (rule.remoteGroupId) {
    const name = remoteGroupName ?? (rule.remoteGroupId === rule.securityGroupId ? groupName : rule.remoteGroupId);
    return `${family} addresses of security group ${name}`;
  }
  if (rule.remoteIpPrefix) return parsePrefix(rule.remoteIpPrefix)?.text ?? rule.remoteIpPrefix;
  return rule.ethertype === 'IPV4' ? '0.0.0.0/0' : '::/0';
}
