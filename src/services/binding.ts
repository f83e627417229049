// Port binding and the OVS agent's per-host local VLANs: a host gets a VLAN
// for a network with the first port of that network bound there and gives
// it back when the last one leaves (NEUTRON-MODEL.md §2).
import type { HostRole } from '../domain/model.js';
import type { Port as PortModel } from '../generated/prisma/client.js';
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
 * Puts the port on the host and wires it: the host's VLAN for the port's
 * network, allocated (lowest free) when it has none, and the port row with
 * `data`, in one statement: a bind is a handful of round trips, and this was
 * four of them. Call with the host locked (a statement after the lock sees
 * every VLAN committed before it). Returns the port as updated.
 */
async function wirePort(db: Db, port: PortRow, host: { id: string; name: string }, data: { deviceOwner?: string }) {
  const [row] = await db.$queryRaw<(PortModel & { existingVlan: number | null; allocatedVlan: number | null })[]>`
    WITH existing AS (
      SELECT vlan FROM "LocalVlan" WHERE "hostId" = ${host.id}::uuid AND "networkId" = ${port.networkId}::uuid
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
      SELECT ${host.id}::uuid, ${port.networkId}::uuid, v FROM lowest_free WHERE NOT EXISTS (SELECT 1 FROM existing)
      RETURNING vlan
    ), updated AS (
      UPDATE "Port" SET "hostId" = ${host.id}::uuid, status = 'ACTIVE', "deviceOwner" = COALESCE(${data.deviceOwner ?? null}::text, "deviceOwner")
       WHERE id = ${port.id}::uuid
      RETURNING *
    )
    SELECT updated.*, (SELECT vlan FROM existing) AS "existingVlan", (SELECT vlan FROM allocated) AS "allocatedVlan" FROM updated`;
  const { existingVlan, allocatedVlan, ...updated } = row;
  if (existingVlan === null) {
    if (allocatedVlan === null) fail('EXHAUSTED', ['hostName'], `host '${host.name}' has no free local VLAN (all of ${MIN_LOCAL_VLAN}..${MAX_LOCAL_VLAN} are in use)`);
    record({ kind: 'LOCAL_VLAN', change: 'ALLOCATED', hostId: host.id, networkId: port.networkId, vlan: Number(allocatedVlan) });
  }
  return updated as PortModel;
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
 * wires its VLAN. `data` is written in the same update. `hostLocked`: the
 * caller locked `host` already, in lockHosts's order (readForBind). Returns
 * the port as updated.
 */
export async function bindPortToHost(db: Db, port: PortRow, host: HostRow, data: { deviceOwner?: string } = {}, { hostLocked = false } = {}) {
  const previous = port.hostId && port.hostId !== host.id ? port.hostId : null;
  await lockHosts(db, [...(hostLocked ? [] : [host.id]), ...(previous ? [previous] : [])]);
  const updated = await wirePort(db, port, host, data);
  if (previous) await releaseLocalVlanIfUnused(db, previous, port.networkId);
  return updated;
}

/**
 * The port and the host a bind names, in one statement that also locks the
 * host when lockHosts's order allows it: the port is unbound, or its host
 * sorts after this one (bindPortToHost then locks that one second). Null
 * where there is none.
 */
export async function readForBind(db: Db, portId: string, hostName: string | null) {
  const [row] = await db.$queryRaw<{ port: (PortRow & { deviceOwner: string }) | null; lockedHost: HostRow | null; host: HostRow | null }[]>`
    WITH port AS (
      SELECT id, "networkId", "hostId", "deviceOwner" FROM "Port" WHERE id = ${portId}::uuid
    )
    SELECT
      (SELECT to_json(port) FROM port) AS port,
      (SELECT to_json(h) FROM "Host" h
        WHERE h.name = ${hostName} AND NOT EXISTS (SELECT 1 FROM port WHERE port."hostId" < h.id)
        FOR NO KEY UPDATE OF h) AS "lockedHost",
      (SELECT to_json(h) FROM "Host" h WHERE h.name = ${hostName}) AS host`;
  return { port: row.port, host: row.lockedHost ?? row.host, hostLocked: row.lockedHost !== null };
}

/** Unbinds the port (if bound) and reclaims its host's VLAN when it was the last port of its network there. */
export async function releasePortBinding(db: Db, port: PortRow): Promise<void> {
  if (!port.hostId) return;
  await lockHosts(db, [port.hostId]);
  await db.port.update({ where: { id: port.id }, data: { hostId: null, status: 'DOWN' } });
  await releaseLocalVlanIfUnused(db, port.hostId, port.networkId);
}
