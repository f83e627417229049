// Per-request DataLoaders: every nested field of a list costs one batched
// statement per kind of object, never one per row. Loaders of objects apply
// the request's visibility in SQL: what the principal may not see loads as
// null (by id) or is left out (groups), exactly like a missing row.
import DataLoader from 'dataloader';
import type { Prisma } from '../store/db.js';
import { isUuid } from '../services/ids.js';
import { loadHostTopology } from '../store/hostSnapshot.js';
import { TopologyIndex } from '../domain/topologyIndex.js';
import { within, type Visibility } from './visibility.js';

type Row = { id: string };

function byId<T extends Row>(fetch: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await fetch(ids.filter(isUuid));
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function groupedBy<T>(fetch: (ids: string[]) => Promise<T[]>, keyOf: (row: T) => string | null) {
  return new DataLoader<string, T[]>(async (ids) => {
    const rows = await fetch([...ids]);
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) groups.get(keyOf(row) ?? '')?.push(row);
    return ids.map((id) => groups.get(id) ?? []);
  });
}

interface PortChildren {
  fixedIps: { portId: string; subnetId: string; ipAddress: string }[];
  securityGroups: { portId: string; securityGroupId: string }[];
  allowedAddressPairs: { portId: string; ipAddress: string; macAddress: string | null }[];
}

/**
 * The child rows of ports (fixed IPs, security group links, address pairs),
 * all three kinds in one statement per batch: a page of ports that asks for
 * several of them costs one round trip, not one per kind.
 */
function portChildLoaders(prisma: Prisma) {
  const children = new DataLoader<string, PortChildren>(async (ids) => {
    const rows = await prisma.$queryRaw<(PortChildren & { id: string })[]>`
      SELECT p.id::text AS id,
        (SELECT COALESCE(json_agg(json_build_object('portId', x."portId", 'subnetId', x."subnetId", 'ipAddress', x."ipAddress") ORDER BY x."subnetId", x."ipAddress"), '[]')
           FROM "IpAllocation" x WHERE x."portId" = p.id) AS "fixedIps",
        (SELECT COALESCE(json_agg(json_build_object('portId', x."portId", 'securityGroupId', x."securityGroupId") ORDER BY x."securityGroupId"), '[]')
           FROM "PortSecurityGroup" x WHERE x."portId" = p.id) AS "securityGroups",
        (SELECT COALESCE(json_agg(json_build_object('portId', x."portId", 'ipAddress', x."ipAddress", 'macAddress', x."macAddress") ORDER BY x."ipAddress"), '[]')
           FROM "AllowedAddressPair" x WHERE x."portId" = p.id) AS "allowedAddressPairs"
      FROM unnest(${ids.filter(isUuid)}::uuid[]) AS p(id)`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? { fixedIps: [], securityGroups: [], allowedAddressPairs: [] });
  });
  const part = <K extends keyof PortChildren>(key: K) => ({ load: async (portId: string) => (await children.load(portId))[key] });
  return { fixedIpsByPort: part('fixedIps'), securityGroupIdsByPort: part('securityGroups'), addressPairsByPort: part('allowedAddressPairs') };
}

export function createLoaders(prisma: Prisma, see: Visibility) {
  const in_ = (ids: string[]) => ({ in: ids });
  return {
    host: byId((ids) => prisma.host.findMany({ where: within({ id: in_(ids) }, see.host) })),
    network: byId((ids) => prisma.network.findMany({ where: within({ id: in_(ids) }, see.network) })),
    subnet: byId((ids) => prisma.subnet.findMany({ where: within({ id: in_(ids) }, see.subnet) })),
    port: byId((ids) => prisma.port.findMany({ where: within({ id: in_(ids) }, see.port) })),
    instance: byId((ids) => prisma.instance.findMany({ where: within({ id: in_(ids) }, see.instance) })),
    router: byId((ids) => prisma.router.findMany({ where: within({ id: in_(ids) }, see.router) })),
    floatingIp: byId((ids) => prisma.floatingIp.findMany({ where: within({ id: in_(ids) }, see.floatingIp) })),
    securityGroup: byId((ids) => prisma.securityGroup.findMany({ where: within({ id: in_(ids) }, see.securityGroup) })),
    securityGroupRule: byId((ids) => prisma.securityGroupRule.findMany({ where: within({ id: in_(ids) }, see.securityGroupRule) })),
    /** Whether each host is up, for derived status fields (hosts themselves stay admin-only). */
    hostUp: new DataLoader<string, boolean>(async (ids) => {
      const rows = await prisma.host.findMany({ where: { id: in_(ids.filter(isUuid)) }, select: { id: true, up: true } });
      const up = new Map(rows.map((r) => [r.id, r.up]));
      return ids.map((id) => up.get(id) ?? false);
    }),
    ...portChildLoaders(prisma),
    subnetsByNetwork: groupedBy((ids) => prisma.subnet.findMany({ where: within({ networkId: in_(ids) }, see.subnet), orderBy: { createdAt: 'asc' } }), (r) => r.networkId),
    rulesByGroup: groupedBy((ids) => prisma.securityGroupRule.findMany({ where: within({ securityGroupId: in_(ids) }, see.securityGroupRule), orderBy: { createdAt: 'asc' } }), (r) => r.securityGroupId),
    portsByInstance: groupedBy((ids) => prisma.port.findMany({ where: within({ instanceId: in_(ids) }, see.port), orderBy: { id: 'asc' } }), (r) => r.instanceId),
    portsByRouter: groupedBy((ids) => prisma.port.findMany({ where: within({ routerId: in_(ids) }, see.port), orderBy: { id: 'asc' } }), (r) => r.routerId),
    localVlansByHost: groupedBy((ids) => prisma.localVlan.findMany({ where: within({ hostId: in_(ids) }, see.localVlan), orderBy: { vlan: 'asc' } }), (r) => r.hostId),
    localVlansByNetwork: groupedBy((ids) => prisma.localVlan.findMany({ where: within({ networkId: in_(ids) }, see.localVlan), orderBy: { hostId: 'asc' } }), (r) => r.networkId),
    instancesByHost: groupedBy((ids) => prisma.instance.findMany({ where: within({ hostId: in_(ids) }, see.instance), orderBy: { name: 'asc' } }), (r) => r.hostId),
    routersByHost: groupedBy((ids) => prisma.router.findMany({ where: within({ hostId: in_(ids) }, see.router), orderBy: { name: 'asc' } }), (r) => r.hostId),
    dhcpPortsByNetwork: groupedBy((ids) => prisma.port.findMany({ where: { networkId: in_(ids), deviceOwner: 'network:dhcp' } }), (r) => r.networkId),
    /** Keyed by `${hostId}/${networkId}`. */
    localVlan: new DataLoader<string, number | null>(async (keys) => {
      const pairs = keys.map((k) => k.split('/') as [string, string]);
      const rows = await prisma.localVlan.findMany({
        where: within({ OR: pairs.map(([hostId, networkId]) => ({ hostId, networkId })) }, see.localVlan),
      });
      const map = new Map(rows.map((r) => [`${r.hostId}/${r.networkId}`, r.vlan]));
      return keys.map((k) => map.get(k) ?? null);
    }),
    /** The plumbing snapshot of a host, loaded once per request. */
    hostTopology: new DataLoader<string, TopologyIndex>((ids) => Promise.all(ids.map(async (id) => new TopologyIndex(await loadHostTopology(prisma, id))))),
    routesByRouter: groupedBy((ids) => prisma.routerRoute.findMany({ where: { routerId: in_(ids) }, orderBy: { destination: 'asc' } }), (r) => r.routerId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
