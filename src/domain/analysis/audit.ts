// The security group audit: rules that never decide anything (shadowed by a
// broader rule on every port that has them, duplicates), rules that cannot
// match (remote group without members, a prefix or flows that no existing
// pair fits), groups on no port, and rules that open admin ports to the
// whole internet.
import { parsePrefix, type Cidr } from '../addressing.js';
import { describeRule, type Flow } from '../firewall/index.js';
import { protocolNumber } from '../firewall/protocols.js';
import type { SecurityGroup, SecurityGroupRule } from '../model.js';
import { flowProtocolOf } from './ruleFlows.js';

/**
 * Ports that are open to 0.0.0.0/0 or ::/0 call for a look: remote shells
 * and desktops (SSH 22, Telnet 23, RDP 3389, VNC 5900), Windows RPC and SMB
 * (135, 445), Docker (2375, 2376), etcd (2379, 2380), Kubernetes API (6443),
 * databases and stores (MS SQL 1433, MySQL 3306, PostgreSQL 5432, Redis
 * 6379, CouchDB 5984, Elasticsearch 9200, Memcached 11211, MongoDB 27017).
 */
export const ADMIN_PORTS = [22, 23, 135, 445, 1433, 2375, 2376, 2379, 2380, 3306, 3389, 5432, 5900, 5984, 6379, 6443, 9200, 11211, 27017] as const;

export type FindingKind = 'SHADOWED_RULE' | 'DUPLICATE_RULE' | 'EMPTY_REMOTE_GROUP' | 'UNUSED_GROUP' | 'OPEN_ADMIN_PORT' | 'ALLOWS_NO_PAIR';

export interface AuditPort {
  id: string;
  /** How the finding names it: the instance name, else the port id. */
  label: string;
  securityGroupIds: string[];
}

export interface AuditInput {
  /** The project's groups, with their rules. */
  groups: SecurityGroup[];
  /** Every port that has one of those groups. */
  ports: AuditPort[];
  /** Member addresses of each group some rule names as remote group. */
  members: Record<string, string[]>;
  /** The remote prefixes (as rules hold them) that hold the address of some existing port. */
  populatedPrefixes: ReadonlySet<string>;
  /** The flows that matter; null: every flow. */
  universe: Flow[] | null;
  /** Names of remote groups outside the project. */
  groupNames: Record<string, string>;
}

export interface Finding {
  kind: FindingKind;
  rule: SecurityGroupRule | null;
  /** The rule (or group) in words. */
  subject: string;
  /** The groups concerned, by name: the rule's own (and the broader or equal rule's). */
  securityGroups: string[];
  /** The ports that have the rule's (or the) group. */
  ports: string[];
  /** The broader or equal rule, for SHADOWED_RULE and DUPLICATE_RULE. */
  relatedRule: SecurityGroupRule | null;
  why: string;
}

const ANY_V4 = parsePrefix('0.0.0.0/0')!;
const ANY_V6 = parsePrefix('::/0')!;

/** The remote a rule allows: all addresses of its family, a block, or a group. */
function remoteOf(rule: SecurityGroupRule): Cidr | { group: string } | null {
  if (rule.remoteGroupId) return { group: rule.remoteGroupId };
  if (!rule.remoteIpPrefix) return rule.ethertype === 'IPV4' ? ANY_V4 : ANY_V6;
  return parsePrefix(rule.remoteIpPrefix);
}

const isWorld = (rule: SecurityGroupRule) => {
  const remote = remoteOf(rule);
  return remote !== null && 'prefix' in remote && remote.prefix === 0;
};

function remoteCovers(broad: SecurityGroupRule, narrow: SecurityGroupRule): boolean {
  const a = remoteOf(broad);
  const b = remoteOf(narrow);
  if (!a || !b) return false;
  if ('group' in a) return 'group' in b && a.group === b.group;
  if (a.prefix === 0) return true;
  return !('group' in b) && a.version === b.version && a.first <= b.first && b.last <= a.last;
}

/** [min, max] of ports (or ICMP type and code); null for all. */
const rangeOf = (rule: SecurityGroupRule): [number, number] | null =>
  rule.portRangeMin === null ? null : [rule.portRangeMin, rule.portRangeMax ?? rule.portRangeMin];

function trafficCovers(broad: SecurityGroupRule, narrow: SecurityGroupRule): boolean {
  if (broad.direction !== narrow.direction || broad.ethertype !== narrow.ethertype) return false;
  const pa = protocolNumber(broad.protocol, broad.ethertype);
  const pb = protocolNumber(narrow.protocol, narrow.ethertype);
  if (pa === null) return true;
  if (Number.isNaN(pa) || pa !== pb) return false;
  const ra = rangeOf(broad);
  const rb = rangeOf(narrow);
  if (ra === null) return true;
  if (rb === null) return false;
  // ICMP: a type with no code is every code of that type.
  if (pa === 1 || pa === 58) return broad.portRangeMin === narrow.portRangeMin && (broad.portRangeMax === null || broad.portRangeMax === narrow.portRangeMax);
  return ra[0] <= rb[0] && rb[1] <= ra[1];
}

/** Whether everything `narrow` allows, `broad` allows too. */
export const covers = (broad: SecurityGroupRule, narrow: SecurityGroupRule) => trafficCovers(broad, narrow) && remoteCovers(broad, narrow);

/** Whether the rule allows some flow of the universe (the path engine's reading of a flow). */
function allowsSomeFlow(rule: SecurityGroupRule, universe: Flow[] | null): boolean {
  if (universe === null) return true;
  const protocol = flowProtocolOf(rule);
  return universe.some((flow) => {
    if (protocol === null) return true;
    if (protocol !== flow.protocol) return false;
    const range = rangeOf(rule);
    if (range === null) return true;
    if (flow.protocol === 'ICMP') return range[0] === (rule.ethertype === 'IPV4' ? 8 : 128);
    return flow.destinationPort !== null && range[0] <= flow.destinationPort && flow.destinationPort <= range[1];
  });
}

/** The admin ports a rule opens to the whole internet. */
function openAdminPorts(rule: SecurityGroupRule): number[] {
  if (rule.direction !== 'INGRESS' || !isWorld(rule)) return [];
  const protocol = protocolNumber(rule.protocol, rule.ethertype);
  if (protocol !== null && protocol !== 6 && protocol !== 17 && protocol !== 132) return [];
  const range = rangeOf(rule);
  return ADMIN_PORTS.filter((p) => range === null || (range[0] <= p && p <= range[1]));
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function auditSecurityGroups(input: AuditInput): Finding[] {
  const groups = [...input.groups].sort(byId);
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const nameOf = (id: string) => groupById.get(id)?.name || input.groupNames[id] || id;
  const portsOf = (groupId: string) => input.ports.filter((p) => p.securityGroupIds.includes(groupId));
  const said = (rule: SecurityGroupRule) =>
    describeRule(rule, nameOf(rule.securityGroupId), rule.remoteGroupId ? nameOf(rule.remoteGroupId) : undefined);
  const findings: Finding[] = [];
  const add = (kind: FindingKind, rule: SecurityGroupRule, why: string, related: SecurityGroupRule | null = null) => {
    const ports = portsOf(rule.securityGroupId).map((p) => p.label).sort();
    const names = [...new Set([rule.securityGroupId, ...(related ? [related.securityGroupId] : [])])].map(nameOf);
    findings.push({ kind, rule, subject: said(rule), securityGroups: names, ports, relatedRule: related, why });
  };

  for (const group of groups) {
    const ports = portsOf(group.id);
    if (ports.length === 0) {
      findings.push({ kind: 'UNUSED_GROUP', rule: null, subject: `security group ${group.name || group.id} (${group.id})`, securityGroups: [group.name || group.id], ports: [], relatedRule: null, why: 'no port has this group, so none of its rules applies anywhere' });
    }
    const rules = [...group.rules].sort(byId);
    for (const rule of rules) {
      // An exact equal earlier in the same group: the rule adds nothing even where the group is alone.
      const twin = rules.find((r) => r.id < rule.id && covers(r, rule) && covers(rule, r));
      if (twin) {
        add('DUPLICATE_RULE', rule, `it allows exactly what ${said(twin)} allows`, twin);
      } else if (ports.length > 0) {
        const shadow = shadowOn(rule, ports.map((p) => p.securityGroupIds.flatMap((id) => groupById.get(id)?.rules ?? [])));
        if (shadow) add('SHADOWED_RULE', rule, `on each of its ${ports.length} port(s) ${said(shadow)} already allows everything it allows`, shadow);
      }
      if (rule.remoteGroupId && (input.members[rule.remoteGroupId] ?? []).length === 0) {
        add('EMPTY_REMOTE_GROUP', rule, `its remote group ${nameOf(rule.remoteGroupId)} has no member port, so the rule matches no address`);
      } else if (rule.remoteIpPrefix && !isWorld(rule) && !input.populatedPrefixes.has(rule.remoteIpPrefix)) {
        add('ALLOWS_NO_PAIR', rule, `no port of the cloud has an address in ${rule.remoteIpPrefix}: it allows no pair among existing ports (only addresses outside the cloud)`);
      } else if (!allowsSomeFlow(rule, input.universe)) {
        add('ALLOWS_NO_PAIR', rule, 'it matches none of the flows asked about, so it allows no pair among existing ports within them');
      }
      const admin = openAdminPorts(rule);
      if (admin.length > 0) add('OPEN_ADMIN_PORT', rule, `it opens admin port${admin.length > 1 ? 's' : ''} ${admin.join(', ')} to every address (${rule.ethertype === 'IPV4' ? '0.0.0.0/0' : '::/0'})`);
    }
  }
  return findings;
}

/**
 * A rule (another, or an equal one with a smaller id) that covers `rule` on
 * every port's rule set; the first such rule of the first port names it.
 */
function shadowOn(rule: SecurityGroupRule, portRuleSets: SecurityGroupRule[][]): SecurityGroupRule | null {
  let named: SecurityGroupRule | null = null;
  for (const rules of portRuleSets) {
    const broader = [...rules].sort(byId).find((r) => r.id !== rule.id && covers(r, rule) && (!covers(rule, r) || r.id < rule.id));
    if (!broader) return null;
    named ??= broader;
  }
  return named;
}
