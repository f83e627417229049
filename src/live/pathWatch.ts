// Which committed changes can change a watched path (docs/live.md, "Path
// verdicts"). A path is a function of its snapshot (store/pathSnapshot.ts):
// the rows path_snapshot reads for its two endpoints. A change can alter the
// answer only if it touches one of those rows, or adds a row the next
// snapshot would read; such a row names a snapshot object (a port on one of
// its networks, a rule of one of its groups, a router interface on one of
// its subnets) or an endpoint itself (an instance named like the endpoint, a
// fixed or floating IP with the endpoint's address). So a change is
// relevant when its object id, its parent or any value of its fields before
// or after is one of the snapshot's ids or an endpoint value. That errs on
// the side of tracing again (a port bound to a host of the path re-traces
// it), never of missing a change.
import type { Topology } from '../domain/model.js';
import type { EndpointRef } from '../domain/path/index.js';
import type { LoggedChange } from '../services/changes/read.js';

export interface PathDependencies {
  /** Ids of the snapshot's objects, and the endpoints' own values (ids, names, addresses). */
  values: Set<string>;
  /** Hosts without l2population count the cloud's other tunnel endpoints: any host added or removed counts. */
  countsHosts: boolean;
}

export function dependenciesOf(topology: Topology, endpoints: EndpointRef[]): PathDependencies {
  const values = new Set<string>();
  const add = (x: string | null | undefined) => {
    if (x) values.add(x.toLowerCase());
  };
  for (const list of [topology.hosts, topology.networks, topology.subnets, topology.ports, topology.instances, topology.routers, topology.floatingIps, topology.securityGroups]) {
    for (const row of list as { id: string }[]) add(row.id);
  }
  for (const group of topology.securityGroups) for (const rule of group.rules) add(rule.id);
  for (const groupId of Object.keys(topology.groupMembers)) add(groupId);
  for (const endpoint of endpoints) for (const value of Object.values(endpoint)) add(value);
  return { values, countsHosts: Object.keys(topology.tunnelPeers).length > 0 };
}

function* valuesOf(change: LoggedChange): Generator<string> {
  yield change.objectId;
  if (change.parentId) yield change.parentId;
  for (const fields of [change.before, change.after]) {
    for (const value of Object.values(fields ?? {})) {
      if (typeof value === 'string') yield value;
      else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') yield item;
    }
  }
}

/** Whether `change` may change a path that depends on `deps`. */
export function touches(change: LoggedChange, deps: PathDependencies): boolean {
  if (deps.countsHosts && change.objectType === 'HOST' && change.action !== 'UPDATED') return true;
  for (const value of valuesOf(change)) {
    if (deps.values.has(value.toLowerCase())) return true;
    // Addresses are stored as text, maybe with a prefix length (CIDR columns).
    const slash = value.indexOf('/');
    if (slash > 0 && deps.values.has(value.slice(0, slash).toLowerCase())) return true;
  }
  return false;
}
