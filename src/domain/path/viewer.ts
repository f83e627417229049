// A path as one project may see it. The trace still runs on the whole
// snapshot (another project's router and security groups decide where the
// packet goes), but what the answer says of other projects' objects and of
// the hosts is cut to what the project could read through the API: other
// projects' objects by id only (their ids are in the device names anyway:
// tap…, qrouter-<router id>), hosts by an id opaque to the project.
import { createHash } from 'node:crypto';
import type { Topology } from '../model.js';
import { TopologyIndex } from '../topologyIndex.js';

/**
 * The host id a project is shown, as Nova's `hostId`: a hash of project and
 * host, the same for every VM of that project on that host, meaningless to
 * any other project.
 */
export function projectHostId(projectId: string, hostId: string): string {
  return createHash('sha224').update(projectId + hostId).digest('hex');
}

/**
 * The topology with other projects' names blanked (a blank name reads as the
 * object's id) and hosts renamed to `projectHostId`s. Shared and external
 * networks, and their subnets, keep their names: every project reads them.
 */
export function asSeenBy(topology: Topology, projectId: string): Topology {
  const host = (id: string) => projectHostId(projectId, id);
  const hostOf = (id: string | null) => (id === null ? null : host(id));
  const named = <T extends { projectId: string; name: string }>(o: T): T => (o.projectId === projectId ? o : { ...o, name: '' });
  const readable = new Set(topology.networks.filter((n) => n.projectId === projectId || n.shared || n.external).map((n) => n.id));
  return {
    ...topology,
    hosts: topology.hosts.map((h) => ({ ...h, id: host(h.id), name: '' })),
    networks: topology.networks.map((n) => (readable.has(n.id) ? n : { ...n, name: '' })),
    subnets: topology.subnets.map((s) => (readable.has(s.networkId) ? s : { ...s, name: '' })),
    ports: topology.ports.map((p) => ({ ...named(p), hostId: hostOf(p.hostId) })),
    instances: topology.instances.map((i) => ({ ...named(i), hostId: hostOf(i.hostId) })),
    routers: topology.routers.map((r) => ({ ...named(r), hostId: hostOf(r.hostId) })),
    securityGroups: topology.securityGroups.map(named),
    localVlans: topology.localVlans.map((v) => ({ ...v, hostId: host(v.hostId) })),
  };
}

/** The index a path question of `viewer` (null: an admin) is traced on. */
export const indexFor = (topology: Topology, viewer: string | null): TopologyIndex =>
  new TopologyIndex(viewer === null ? topology : asSeenBy(topology, viewer));
