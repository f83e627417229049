// A path as one project may see it. The trace still runs on the whole
// snapshot (another project's router and security groups decide where the
// packet goes), but the answer tells the project only what its packet
// would: hosts by an id opaque to the project, and no other project's
// objects at all: the hops among them (their routers, networks and VMs)
// stand as one hop that shows nothing, and their device names (which hold
// their ids) are blanked wherever else they would appear.
import { createHash } from 'node:crypto';
import type { Topology } from '../model.js';
import { TopologyIndex } from '../topologyIndex.js';
import type { Hop, HopKind } from './types.js';

/** What stands for another project's device in a project's answer. */
const HIDDEN_DEVICE = "another project's device";

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

const isHidden = (owner: string | null, viewer: string) => owner !== null && owner !== viewer;

/**
 * Each run of hops among other projects' objects (`owners[i]` is the
 * project of hop i, null on shared and external networks) as one
 * ANOTHER_PROJECT hop; `ending` is its action when the path ends there.
 */
export function hideOtherProjects(hops: Hop[], owners: (string | null)[], viewer: string, ending: string | null): Hop[] {
  const shown: Hop[] = [];
  hops.forEach((hop, i) => {
    if (!isHidden(owners[i], viewer)) {
      shown.push({ ...hop, seq: shown.length + 1, action: hideDevices(hop.action, hops, owners, viewer) });
    } else if (shown.at(-1)?.kind !== 'ANOTHER_PROJECT') {
      shown.push({
        seq: shown.length + 1, hostId: null, namespace: null, device: 'another project', kind: 'ANOTHER_PROJECT',
        vlan: null, tunnelId: null, action: "through another project's routers, networks or VMs, which are not shown",
      });
    }
  });
  const last = shown.at(-1);
  if (ending && last?.kind === 'ANOTHER_PROJECT') last.action = ending;
  return shown;
}

/** Hops whose device is named after an object of its project (a port, router or instance). */
const OWN_NAMED: ReadonlySet<HopKind> = new Set<HopKind>([
  'VNIC', 'TAP', 'LINUX_BRIDGE', 'VETH', 'ROUTER_INTERFACE', 'GATEWAY_INTERFACE', 'NAMESPACE', 'DHCP_INTERFACE',
]);

/** The text with the names of other projects' devices (tap…, qr-…, qrouter-<id>) blanked. */
export function hideDevices(text: string, hops: Hop[], owners: (string | null)[], viewer: string): string {
  let out = text;
  hops.forEach((hop, i) => {
    if (!isHidden(owners[i], viewer)) return;
    const names = [hop.namespace, OWN_NAMED.has(hop.kind) ? hop.device : null];
    for (const name of names) if (name && out.includes(name)) out = out.split(name).join(HIDDEN_DEVICE);
  });
  return out;
}
