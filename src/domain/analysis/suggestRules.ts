// For a packet security groups dropped: the smallest rule that would let
// exactly this flow through, in the shape of createSecurityGroupRule's
// input, added to the first group of the port that dropped it. A remote
// prefix of the one address comes first; when a VM port of the same project
// holds that address, a rule naming its first group as remote group follows.
import { ipVersion } from '../addressing.js';
import { hasPorts } from '../firewall/index.js';
import type { Ethertype } from '../model.js';
import type { FirewallDenial, Flow } from '../path/index.js';

export interface SuggestedRule {
  securityGroupId: string;
  direction: 'INGRESS' | 'EGRESS';
  ethertype: Ethertype;
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
}

/** The rule protocol for a flow protocol: null for any, the API's name otherwise. */
function ruleProtocol(flow: Flow, version: 4 | 6): string | null {
  if (flow.protocol === 'ANY') return null;
  if (flow.protocol === 'ICMP') return version === 4 ? 'icmp' : 'ipv6-icmp';
  return flow.protocol.toLowerCase().replace('_', '-');
}

/** Ports for a flow with a destination port; the echo request's type for ICMP (the engine's ICMP is a ping). */
function ruleRange(flow: Flow, version: 4 | 6): [number | null, number | null] {
  if (flow.protocol === 'ICMP') return [version === 4 ? 8 : 128, null];
  if (hasPorts(flow.protocol) && flow.destinationPort !== null) return [flow.destinationPort, flow.destinationPort];
  return [null, null];
}

export function suggestRules(denial: FirewallDenial): SuggestedRule[] {
  const [securityGroupId] = denial.securityGroupIds;
  // A port without groups denies everything, and no rule of a group can change that.
  if (!securityGroupId) return [];
  const version = ipVersion(denial.remoteIp);
  const [portRangeMin, portRangeMax] = ruleRange(denial.flow, version);
  const base = {
    securityGroupId,
    direction: denial.direction,
    ethertype: (version === 4 ? 'IPV4' : 'IPV6') as Ethertype,
    protocol: ruleProtocol(denial.flow, version),
    portRangeMin,
    portRangeMax,
  };
  const byPrefix: SuggestedRule = { ...base, remoteIpPrefix: `${denial.remoteIp}/${version === 4 ? 32 : 128}`, remoteGroupId: null };
  const [peerGroup] = denial.peerSecurityGroupIds;
  return peerGroup ? [byPrefix, { ...base, remoteIpPrefix: null, remoteGroupId: peerGroup }] : [byPrefix];
}
