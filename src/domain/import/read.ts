// A whole document -> the rows it describes, each with the path it came
// from. Hosts are matched by name: a host keeps its database id. References
// to hosts resolve against the document's agents, and in MERGE mode also
// against the database's hosts.
import { readAgents, type Hosting } from './agents.js';
import { documentEntries, type DocumentKey, type Entry } from './document.js';
import { isObject, isUuid, ObjectReader } from './fields.js';
import { readFloatingIp } from './floatingIps.js';
import type { Issues } from './issues.js';
import { emptyCloud, type Cloud, type FixedIpRow, type ImportMode, type Kind } from './model.js';
import { readNetwork } from './networks.js';
import { BINDING_HOST, readPort } from './ports.js';
import { readRouter } from './routers.js';
import { readRule, readSecurityGroup } from './securityGroups.js';
import { readServer, SERVER_HOST } from './servers.js';
import { readSubnet } from './subnets.js';
import { rowKey } from './rowKey.js';

/** Where each object of the document is: kind -> id -> path. */
export type Origins = Record<Kind, Map<string, string[]>>;

export interface DocumentCloud {
  cloud: Cloud;
  origins: Origins;
  hosting: Hosting;
  /** Router id -> external_gateway_info.external_fixed_ips. */
  gatewayIps: Map<string, FixedIpRow[]>;
  warnings: string[];
}

export const emptyOrigins = (): Origins =>
  Object.fromEntries(Object.keys(emptyCloud()).map((kind) => [kind, new Map()])) as Origins;

/** Hosts that run a VM according to the servers and the bound compute ports. */
function hostsWithVms(servers: Entry[], ports: Entry[]): Set<string> {
  const names = new Set<string>();
  for (const { object } of servers) if (typeof object[SERVER_HOST] === 'string') names.add(object[SERVER_HOST]);
  for (const { object } of ports) {
    if (String(object.device_owner ?? '').startsWith('compute:') && typeof object[BINDING_HOST] === 'string') names.add(object[BINDING_HOST]);
  }
  return names;
}

/** binding:vif_details.ovs_hybrid_plug of the bound ports, by host: false when any port says false. */
function portHybridPlug(ports: Entry[]): Map<string, boolean> {
  const byHost = new Map<string, boolean>();
  for (const { object } of ports) {
    const host = object[BINDING_HOST];
    const details = object['binding:vif_details'];
    if (typeof host !== 'string' || !host || !isObject(details) || typeof details.ovs_hybrid_plug !== 'boolean') continue;
    byHost.set(host, (byHost.get(host) ?? true) && details.ovs_hybrid_plug);
  }
  return byHost;
}

export function readDocument(document: unknown, existing: Cloud, mode: ImportMode, issues: Issues): DocumentCloud {
  const entries = documentEntries(document, issues);
  const cloud = emptyCloud();
  const origins = emptyOrigins();
  const warnings: string[] = [];
  const gatewayIps = new Map<string, FixedIpRow[]>();

  const existingHostIds = new Map([...existing.hosts.values()].map((h) => [h.name, h.id]));
  const { hosts, hosting } = readAgents(entries.agents, hostsWithVms(entries.servers, entries.ports), existingHostIds, issues, portHybridPlug(entries.ports));
  const hostIdByName = new Map(hosts.map(({ row }) => [row.name, row.id]));
  for (const { row, path } of hosts) {
    cloud.hosts.set(row.id, row);
    origins.hosts.set(row.id, path);
  }
  const hostIdOf = (name: string) => hostIdByName.get(name) ?? (mode === 'MERGE' ? existingHostIds.get(name) : undefined);
  const projectOfNetwork = (id: string) => (cloud.networks.get(id) ?? (mode === 'MERGE' ? existing.networks.get(id) : undefined))?.projectId;

  /** Reads each object of `key` that has a fresh id with `read`, which stores what it makes. */
  const each = (key: DocumentKey, kind: Kind, label: string, read: (reader: ObjectReader, id: string) => void) => {
    for (const { object, path } of entries[key]) {
      const reader = new ObjectReader(object, path, `${label} ${isUuid(object.id) ? object.id : path.join('.')}`, issues);
      const id = reader.uuid('id');
      if (id === undefined) continue;
      const seen = origins[kind].get(id);
      if (seen) {
        reader.problem(['id'], `${label} ${id} is listed twice (also at ${seen.join('.')})`, 'CONFLICT');
        continue;
      }
      origins[kind].set(id, path);
      read(reader, id);
    }
  };
  const keep = (kind: Kind, row: { id: string } | undefined) => {
    if (row) (cloud[kind] as Map<string, { id: string }>).set(row.id, row);
  };

  each('networks', 'networks', 'network', (reader, id) => keep('networks', readNetwork(reader, id)));
  each('subnets', 'subnets', 'subnet', (reader, id) => keep('subnets', readSubnet(reader, id, projectOfNetwork)));
  const rules: RuleEntry[] = [];
  each('security_groups', 'securityGroups', 'security group', (reader, id) => {
    keep('securityGroups', readSecurityGroup(reader, id));
    reader.list('security_group_rules')?.forEach((rule, i) => {
      if (!isObject(rule)) reader.problem(['security_group_rules', String(i)], 'a rule must be an object');
      else rules.push({ object: rule, path: reader.at('security_group_rules', String(i)), groupId: id });
    });
  });
  rules.push(...entries.security_group_rules.map((entry) => ({ ...entry, groupId: null })));
  readRules(rules, cloud, origins, issues);
  each('servers', 'instances', 'server', (reader, id) => keep('instances', readServer(reader, id, hostIdOf)));
  each('routers', 'routers', 'router', (reader, id) => {
    const router = readRouter(reader, id, (message) => warnings.push(message));
    if (!router) return;
    keep('routers', router.row);
    if (router.gatewayIps) gatewayIps.set(id, router.gatewayIps);
  });
  each('ports', 'ports', 'port', (reader, id) => keep('ports', readPort(reader, id, { hostIdOf, projectOfNetwork })));
  each('floatingips', 'floatingIps', 'floating IP', (reader, id) => keep('floatingIps', readFloatingIp(reader, id)));
  return { cloud, origins, hosting, gatewayIps, warnings };
}

/** A rule with the group it is nested in (null for the list of its own). */
type RuleEntry = Entry & { groupId: string | null };

/**
 * Rules come nested in their groups and, as GET /v2.0/security-group-rules
 * answers, in a list of their own; a rule given both ways once is one rule.
 */
function readRules(entries: RuleEntry[], cloud: Cloud, origins: Origins, issues: Issues): void {
  for (const { object, path, groupId } of entries) {
    const reader = new ObjectReader(object, path, `security group rule ${isUuid(object.id) ? object.id : path.join('.')}`, issues);
    const id = reader.uuid('id');
    if (id === undefined) continue;
    const rule = readRule(reader, id, groupId);
    const seen = origins.rules.get(id);
    if (seen) {
      const same = rule && cloud.rules.has(id) && rowKey(cloud.rules.get(id)) === rowKey(rule);
      if (!same) reader.problem(['id'], `security group rule ${id} is listed twice (also at ${seen.join('.')})`, 'CONFLICT');
      continue;
    }
    origins.rules.set(id, path);
    if (rule) cloud.rules.set(id, rule);
  }
}
