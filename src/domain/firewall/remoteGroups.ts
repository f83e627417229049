// Remote groups: the addresses a remote_group_id stands for, and the ipsets
// the driver keeps for them (enable_ipset=true, neutron's default).
import { blockHolds, parsePrefix, ipToBigInt, isIpAddress, ipVersion, type Cidr } from '../addressing.js';
import type { Ethertype } from '../model.js';
import type { TopologyIndex } from '../topologyIndex.js';

/** ipset names are 'N' + 'IPv4'/'IPv6' + group id, cut to 29 characters (31 minus the '-n' swap suffix). */
const IPSET_NAME_MAX_LEN = 29;

export const ipsetName = (groupId: string, ethertype: Ethertype) =>
  `N${ethertype === 'IPV4' ? 'IPv4' : 'IPv6'}${groupId}`.slice(0, IPSET_NAME_MAX_LEN);

export interface IpSet {
  /** As iptables references it: `-m set --match-set <name> src|dst`. */
  name: string;
  securityGroupId: string;
  /** `hash:net family inet|inet6`. */
  family: 'inet' | 'inet6';
  /** As `ipset list` shows them: hosts without /32 or /128, sorted. */
  members: string[];
}

/** Parsed member blocks per snapshot and group: one question checks the same groups at many hops and pairs. */
const parsedMembers = new WeakMap<TopologyIndex, Map<string, Cidr[]>>();

/** The member addresses of a group, as blocks (allowed address pairs may be CIDRs). */
function memberBlocks(index: TopologyIndex, groupId: string): Cidr[] {
  let groups = parsedMembers.get(index);
  if (!groups) parsedMembers.set(index, (groups = new Map()));
  let blocks = groups.get(groupId);
  if (!blocks) {
    blocks = (index.topology.groupMembers[groupId] ?? []).map(parsePrefix).filter((b): b is Cidr => b !== null);
    groups.set(groupId, blocks);
  }
  return blocks;
}

/**
 * Whether an address is one of the group's member addresses (fixed IPs and
 * allowed address pairs). Floating IPs are never members: they live on the
 * router, not on the ports.
 */
export function isGroupMember(index: TopologyIndex, groupId: string, ip: string): boolean {
  if (!isIpAddress(ip)) return false;
  const version = ipVersion(ip);
  const value = ipToBigInt(ip);
  return memberBlocks(index, groupId).some((block) => blockHolds(block, version, value));
}

export function ipsetOf(index: TopologyIndex, groupId: string, ethertype: Ethertype): IpSet {
  const version = ethertype === 'IPV4' ? 4 : 6;
  const blocks = memberBlocks(index, groupId)
    .filter((b) => b.version === version)
    .flatMap(splitDefaultRoute)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.prefix - b.prefix));
  const members = [...new Set(blocks.map(memberText))];
  return { name: ipsetName(groupId, ethertype), securityGroupId: groupId, family: version === 4 ? 'inet' : 'inet6', members };
}

/** ipset cannot hold a /0, so the driver stores it as two /1 halves. */
function splitDefaultRoute(block: Cidr): Cidr[] {
  if (block.prefix !== 0) return [block];
  const halves = block.version === 4 ? ['0.0.0.0/1', '128.0.0.0/1'] : ['::/1', '8000::/1'];
  return halves.map((h) => parsePrefix(h) as Cidr);
}

function memberText(block: Cidr): string {
  const hostPrefix = block.version === 4 ? 32 : 128;
  return block.prefix === hostPrefix ? block.text.split('/')[0] : block.text;
}

export const ethertypeOf = (ip: string): Ethertype => (ipVersion(ip) === 4 ? 'IPV4' : 'IPV6');
