// Port binding and the OVS agent's per-host local VLANs: a host gets a VLAN
// for a network with the first port of that network bound there and gives
// it back when the last one leaves (NEUTRON-MODEL.md §2).
import type { HostRole } from '../domain/model.js';
import { fail } from './errors.js';
import { journaling, record } from './journal.js';
import type { Db } from './transaction.js';

export const MIN_LOCAL_VLAN = 1;
export const MAX_LOCAL_VLAN = 4094;

interface HostRow {
  id: string;
  name: string;
  up: boolean;
  roles: HostRole[];
}

interface PortRow {
  id: string;
  networkId: string;
  hostId: string | null;
}

/**
 * Row lock on the host: VLAN allocation on one host is serialized across
 * transactions and server processes; other hosts proceed in parallel.
 */
export async function lockHosts(db: Db, hostIds: string[]): Promise<void> {
  for (const id of [...new Set(hostIds)].sort()) {
    await db.$queryRaw`SELECT 1 FROM "Host" WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
  }
}

/**
 * The host's VLAN for the network, allocated (lowest free) when it has none.
 * One statement reads, picks and inserts: a bind is a handful of round trips,
 * and this was three of them. Call with the host locked.
 */
export async function ensureLocalVlan(db: Db, host: { id: string; name: string }, networkId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ existing: number | null; allocated: number | null }[]>`
    WITH existing AS (
      SELECT vlan FROM "LocalVlan" WHERE "hostId" = ${host.id}::uuid AND "networkId" = ${networkId}::uuid
    ), lowest_free AS (
      SELECT v FROM (
        SELECT ${MIN_LOCAL_VLAN}::int AS v
        WHERE NOT EXISTS (SELECT 1 FROM "LocalVlan" WHERE "hostId" = ${host.id}::uuid AND vlan = ${MIN_LOCAL_VLAN})
        UNION ALL
        SELECT a.vlan + 1 FROM "LocalVlan" a
        WHERE a."hostId" = ${host.id}::uuid AND a.vlan < ${MAX_LOCAL_VLAN}
          AND NOT EXISTS (SELECT 1 FROM "LocalVlan" b WHERE b."hostId" = a."hostId" AND b.vlan = a.vlan + 1)
      ) free ORDER BY v LIMIT 1
    ), allocated AS (
      INSERT INTO "LocalVlan" ("hostId", "networkId", vlan)
      SELECT ${host.id}::uuid, ${networkId}::uuid, v FROM lowest_free WHERE NOT EXISTS (SELECT 1 FROM existing)
      RETURNING vlan
    )
    SELECT (SELECT vlan FROM existing) AS existing, (SELECT vlan FROM allocated) AS allocated`;
  if (row.existing !== null) return Number(row.existing);
  if (row.allocated === null) fail('EXHAUSTED', ['hostName'], `host '${host.name}' has no free local VLAN (all of ${MIN_LOCAL_VLAN}..${MAX_LOCAL_VLAN} are in use)`);
  const vlan = Number(row.allocated);
  record({ kind: 'LOCAL_VLAN', change: 'ALLOCATED', hostId: host.id, networkId, vlan });
  return vlan;
}

/** Reclaims the host's VLAN for the network once no bound port of it is left there. Call with the host locked. */
export async function releaseLocalVlanIfUnused(db: Db, hostId: string, networkId: string): Promise<void> {
  const remaining = await db.port.count({ where: { hostId, networkId } });
  if (remaining > 0) return;
  const released = journaling() ? await db.localVlan.findUnique({ where: { hostId_networkId: { hostId, networkId } } }) : null;
  await db.localVlan.deleteMany({ where: { hostId, networkId } });
  if (released) record({ kind: 'LOCAL_VLAN', change: 'RELEASED', hostId, networkId, vlan: released.vlan });
}

/** Checks that `host` may take a port that needs `role`. */
export function checkHostFor(host: HostRow, role: HostRole, field: string[]): void {
  if (!host.roles.includes(role)) fail('INVALID', field, `host '${host.name}' has no ${role} role`);
  if (!host.up) fail('INVALID', field, `host '${host.name}' is down`);
}

/**
 * Binds the port to the (checked) host, moving it off its previous host, and
 * wires its VLAN. `data` is written in the same update. Returns the port as
 * updated.
 */
export async function bindPortToHost(db: Db, port: PortRow, host: HostRow, data: { deviceOwner?: string } = {}) {
  const previous = port.hostId;
  await lockHosts(db, previous ? [host.id, previous] : [host.id]);
  await ensureLocalVlan(db, host, port.networkId);
  const updated = await db.port.update({ where: { id: port.id }, data: { ...data, hostId: host.id, status: 'ACTIVE' } });
  if (previous && previous !== host.id) await releaseLocalVlanIfUnused(db, previous, port.networkId);
  return updated;
}

/** Unbinds the port (if bound) and reclaims its host's VLAN when it was the last port of its network there. */
export async function releasePortBinding(db: Db, port: PortRow): Promise<void> {
  if (!port.hostId) return;
  await lockHosts(db, [port.hostId]);
  await db.port.update({ where: { id: port.id }, data: { hostId: null, status: 'DOWN' } });
  await releaseLocalVlanIfUnused(db, port.hostId, port.networkId);
}
