// Where instances and routers go when nobody names a host.
import type { Db } from './transaction.js';

/**
 * nova's filter scheduler with its defaults, as far as this model has them
 * (docs/neutron-model.md, "Instance placement"): ComputeFilter keeps the
 * COMPUTE hosts that are up (of the requested zone, when one is asked for);
 * the RAM weigher, multiplier 1.0, prefers the most free RAM and so spreads,
 * which in a model without RAM is the host with the fewest instances; ties
 * by name. Null when no host passes.
 */
export async function pickComputeHost(db: Db, availabilityZone: string | null) {
  const hosts = await db.host.findMany({
    where: { roles: { has: 'COMPUTE' }, up: true, ...(availabilityZone === null ? {} : { availabilityZone }) },
    include: { _count: { select: { instances: true } } },
  });
  hosts.sort((a, b) => a._count.instances - b._count.instances || a.name.localeCompare(b.name));
  return hosts[0] ?? null;
}

/** The L3 agent scheduler (legacy, least routers): the NETWORK host that is up and holds the fewest routers, ties by name. */
export async function pickL3Host(db: Db) {
  const hosts = await db.host.findMany({
    where: { roles: { has: 'NETWORK' }, up: true },
    select: { id: true, name: true, up: true, roles: true, _count: { select: { routers: true } } },
  });
  hosts.sort((a, b) => a._count.routers - b._count.routers || a.name.localeCompare(b.name));
  return hosts[0] ?? null;
}
