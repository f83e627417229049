// Per-request DataLoaders: every nested field of a list costs one batched
// statement per kind of object, never one per row.
import DataLoader from 'dataloader';
import type { Prisma } from '../store/db.js';
import { isUuid } from '../services/ids.js';
import { loadHostTopology } from '../store/hostSnapshot.js';
import { TopologyIndex } from '../domain/topologyIndex.js';

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

export function createLoaders(prisma: Prisma) {
  const in_ = (ids: string[]) => ({ in: ids });
  return {
    host: byId((ids) => prisma.host.findMany({ where: { id: in_(ids) } })),
    network: byId((ids) => prisma.network.findMany({ where: { id: in_(ids) } })),
    subnet: byId((ids) => prisma.subnet.findMany({ where: { id: in_(ids) } })),
    port: byId((ids) => prisma.port.findMany({ where: { id: in_(ids) } })),
    instance: byId((ids) => prisma.instance.findMany({ where: { id: in_(ids) } })),
    router: byId((ids) => prisma.router.findMany({ where: { id: in_(ids) } })),
    floatingIp: byId((ids) => prisma.floatingIp.findMany({ where: { id: in_(ids) } })),
    securityGroup: byId((ids) => prisma.securityGroup.findMany({ where: { id: in_(ids) } })),
    securityGroupRule: byId((ids) => prisma.securityGroupRule.findMany({ where: { id: in_(ids) } })),
    fixedIpsByPort: groupedBy((ids) => prisma.ipAllocation.findMany({ where: { portId: in_(ids) }, orderBy: [{ subnetId: 'asc' }, { ipAddress: 'asc' }] }), (r) => r.portId),
    securityGroupIdsByPort: groupedBy((ids) => prisma.portSecurityGroup.findMany({ where: { portId: in_(ids) }, orderBy: { securityGroupId: 'asc' } }), (r) => r.portId),
    addressPairsByPort: groupedBy((ids) => prisma.allowedAddressPair.findMany({ where: { portId: in_(ids) }, orderBy: { ipAddress: 'asc' } }), (r) => r.portId),
    subnetsByNetwork: groupedBy((ids) => prisma.subnet.findMany({ where: { networkId: in_(ids) }, orderBy: { createdAt: 'asc' } }), (r) => r.networkId),
    rulesByGroup: groupedBy((ids) => prisma.securityGroupRule.findMany({ where: { securityGroupId: in_(ids) }, orderBy: { createdAt: 'asc' } }), (r) => r.securityGroupId),
    portsByInstance: groupedBy((ids) => prisma.port.findMany({ where: { instanceId: in_(ids) }, orderBy: { id: 'asc' } }), (r) => r.instanceId),
    portsByRouter: groupedBy((ids) => prisma.port.findMany({ where: { routerId: in_(ids) }, orderBy: { id: 'asc' } }), (r) => r.routerId),
    localVlansByHost: groupedBy((ids) => prisma.localVlan.findMany({ where: { hostId: in_(ids) }, orderBy: { vlan: 'asc' } }), (r) => r.hostId),
    localVlansByNetwork: groupedBy((ids) => prisma.localVlan.findMany({ where: { networkId: in_(ids) }, orderBy: { hostId: 'asc' } }), (r) => r.networkId),
    instancesByHost: groupedBy((ids) => prisma.instance.findMany({ where: { hostId: in_(ids) }, orderBy: { name: 'asc' } }), (r) => r.hostId),
    routersByHost: groupedBy((ids) => prisma.router.findMany({ where: { hostId: in_(ids) }, orderBy: { name: 'asc' } }), (r) => r.hostId),
    dhcpPortsByNetwork: groupedBy((ids) => prisma.port.findMany({ where: { networkId: in_(ids), deviceOwner: 'network:dhcp' } }), (r) => r.networkId),
    /** Keyed by `${hostId}/${networkId}`. */
    localVlan: new DataLoader<string, number | null>(async (keys) => {
      const pairs = keys.map((k) => k.split('/') as [string, string]);
      const rows = await prisma.localVlan.findMany({
        where: { OR: pairs.map(([hostId, networkId]) => ({ hostId, networkId })) },
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
