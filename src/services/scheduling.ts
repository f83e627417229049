// The L3 agent scheduler (legacy, least routers): a router goes to the
// NETWORK host that is up and holds the fewest routers, ties by name.
import type { Db } from './transaction.js';

export async function pickL3Host(db: Db) {
  const hosts = await db.host.findMany({
    where: { roles: { has: 'NETWORK' }, up: true },
    select: { id: true, name: true, up: true, roles: true, _count: { select: { routers: true } } },
  });
  hosts.sort((a, b) => a._count.routers - b._count.routers || a.name.localeCompare(b.name));
  return hosts[0] ?? null;
}
