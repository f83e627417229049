// What one path question reads (the path engine's PATH_SNAPSHOT_NEEDS), in
// one round trip whatever the cloud's size: the endpoints with their
// floating IPs and instances, the routers between them (extra routes
// followed), the networks with their subnets and gateway holders, the hosts,
// local VLANs and security groups; for the metadata address, the DHCP ports
// of the source's network. The query is the database function
// path_snapshot (prisma/migrations/*_path_snapshot_*, the newest): as a function
// it is planned once per connection, where planning it on every call cost
// more than running it.
import { isIpAddress, normalizeIp } from '../domain/addressing.js';
import { emptyTopology, type Topology } from '../domain/model.js';
import type { EndpointRef } from '../domain/path/index.js';
import { isUuid } from '../services/ids.js';
import type { Host as HostRow, Router as RouterRow } from '../generated/prisma/client.js';
import type { Db } from '../services/transaction.js';
import { toFloatingIp, toHost, toInstance, toLocalVlan, toNetwork, toPort, toRouter, toSecurityGroup, toSubnet } from './toDomain.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A port of the snapshot, with the roles path_snapshot marks it with. */
interface PortRow extends Row {
  id: string;
  direct: boolean;
  endpoint: boolean;
  routerPort: boolean;
  nexthopHolder: boolean;
  gatewayHolder: boolean;
  metadataServer: boolean;
}

const unique = <T>(xs: (T | null | undefined)[]) => [...new Set(xs.filter((x): x is T => x !== null && x !== undefined))];

export interface PathSnapshot {
  topology: Topology;
  /** The snapshot's hosts and routers as rows of their tables: the answer's Host and Router objects need no other read. */
  hostRows: HostRow[];
  routerRows: RouterRow[];
}

/** A timestamp(3) column as to_json gives it: UTC, without a zone. */
const utc = (timestamp: string) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`);

export async function loadPathTopology(db: Db, refs: EndpointRef[]): Promise<Topology> {
  return (await loadPathSnapshot(db, refs)).topology;
}

export async function loadPathSnapshot(db: Db, refs: EndpointRef[]): Promise<PathSnapshot> {
  const instanceRefs = refs.flatMap((r) => ('instanceId' in r ? [r.instanceId] : []));
  const portRefs = refs.flatMap((r) => ('portId' in r && isUuid(r.portId) ? [r.portId.toLowerCase()] : []));
  const ipRefs = refs.flatMap((r) => ('ipAddress' in r && isIpAddress(r.ipAddress) ? [normalizeIp(r.ipAddress)] : []));
  const [{ snapshot: s }] = await db.$queryRawUnsafe<{ snapshot: Row }[]>(
    'SELECT path_snapshot($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS snapshot',
    instanceRefs.filter(isUuid).map((r) => r.toLowerCase()),
    instanceRefs,
    ipRefs,
    portRefs,
  );

  // The ports of the path (not router ports) in the order they were found:
  // the references' own, those behind floating IPs, next-hop holders, then
  // the holders of gateway addresses that are no router's.
  const found: PortRow[] = s.ports;
  const routerPorts = new Map(found.filter((p) => p.routerPort).map((p) => [p.id, p]));
  const ports = new Map<string, PortRow>();
  for (const p of found) if (p.direct) ports.set(p.id, p);
  for (const p of found) if (p.endpoint && !p.direct) ports.set(p.id, p);
  for (const p of found) if (p.nexthopHolder) ports.set(p.id, p);
  for (const p of found) if (p.gatewayHolder && !p.routerPort) ports.set(p.id, p);
  for (const p of found) if (p.metadataServer) ports.set(p.id, p);

  const groups = s.groups.map(toSecurityGroup);
  const remoteIds = unique(groups.flatMap((g: ReturnType<typeof toSecurityGroup>) => g.rules.map((r) => r.remoteGroupId)));
  const members: Record<string, string[]> = Object.fromEntries(remoteIds.map((id) => [id, []]));
  for (const m of s.members) members[m.groupId].push(m.address);

  const topology = emptyTopology();
  topology.hosts = s.hosts.map(toHost);
  topology.networks = s.networks.map(toNetwork);
  topology.subnets = s.subnets.map(toSubnet);
  topology.ports = [...ports.values(), ...routerPorts.values()].map(toPort);
  topology.instances = s.instances.map(toInstance);
  topology.routers = s.routers.map(toRouter);
  topology.floatingIps = s.floatingIps.map(toFloatingIp);
  topology.securityGroups = [...groups, ...s.remoteGroups.map((g: Row) => toSecurityGroup({ ...g, rules: [] }))];
  topology.localVlans = s.localVlans.map(toLocalVlan);
  topology.groupMembers = members;
  for (const h of s.hosts) if (h.tunnelPeers !== null && h.tunnelPeers !== undefined) topology.tunnelPeers[h.id] = Number(h.tunnelPeers);
  return {
    topology,
    hostRows: s.hosts.map((h: Row) => ({ ...h, createdAt: utc(h.createdAt) })),
    routerRows: s.routers.map(({ routes: _, ...r }: Row) => ({ ...r, createdAt: utc(r.createdAt) })),
  };
}
