// Port binding and the OVS agent's per-host local VLANs: a host gets a VLAN
// for a network with the first port of that network bound there and gives
// it back when the last one leaves (docs/neutron-model.md, "Local VLANs (OVS agent)").
import { MAX_LOCAL_VLAN, MIN_LOCAL_VLAN } from '../domain/localVlans.js';
import type { HostRole } from '../domain/model.js';
import type { Port as PortModel } from '../generated/prisma/client.js';
import { fail } from './errors.js';
import { record } from './journal.js';
import { poolOf, savePool, type PoolRow } from './localVlanPool.js';
import type { Db } from './transaction.js';

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
 * network, or, when it has none, the one the host's OVS agent would pop
 * from its set of free VLANs (domain/localVlans.ts). One statement updates
 * the port and reads what the allocation needs, a second one (only for the
 * first port of a network on the host) stores the VLAN and the set. An
 * administratively down port is bound but stays DOWN (the agent's port_dead). Call
 * with the host locked (a statement after the lock sees every VLAN committed
 * before it). Returns the port as updated.
 */
async function wirePort(db: Db, port: PortRow, host: { id: string; name: string }, data: { deviceOwner?: string }) {
  const [row] = await db.$queryRaw<(PortModel & { existingVlan: number | null; pool: PoolRow | null; inUse: number[] | null })[]>`
    WITH existing AS (
      SELECT vlan FROM "LocalVlan" WHERE "hostId" = ${host.id}::uuid AND "networkId" = ${port.networkId}::uuid
    ), pool AS (
      SELECT to_json(p) AS pool FROM "LocalVlanPool" p WHERE p."hostId" = ${host.id}::uuid AND NOT EXISTS (SELECT 1 FROM existing)
    ), updated AS (
      UPDATE "Port" SET "hostId" = ${host.id}::uuid, status = CASE WHEN "adminStateUp" THEN 'ACTIVE' ELSE 'DOWN' END::"PortStatus", "deviceOwner" = COALESCE(${data.deviceOwner ?? null}::text, "deviceOwner")
       WHERE id = ${port.id}::uuid
      RETURNING *
    )
    SELECT updated.*, (SELECT vlan FROM existing) AS "existingVlan", (SELECT pool FROM pool) AS pool,
      CASE WHEN NOT EXISTS (SELECT 1 FROM existing) AND NOT EXISTS (SELECT 1 FROM pool)
        THEN ARRAY(SELECT vlan FROM "LocalVlan" WHERE "hostId" = ${host.id}::uuid) END AS "inUse"
    FROM updated`;
  const { existingVlan, pool, inUse, ...updated } = row;
  if (existingVlan === null) {
    const free = poolOf(pool, inUse);
    const vlan = free.pop();
    if (vlan === null) fail('EXHAUSTED', ['hostName'], `host '${host.name}' has no free local VLAN (all of ${MIN_LOCAL_VLAN}..${MAX_LOCAL_VLAN} are in use)`);
    await savePool(db, host.id, free, { networkId: port.networkId, vlan });
    record({ kind: 'LOCAL_VLAN', change: 'ALLOCATED', hostId: host.id, networkId: port.networkId, vlan });
  }
  return updated as PortModel;
}

/**
 * Reclaims the host's VLAN for the network once no bound port of it is left
 * there, giving it back to the agent's set. Call with the host locked.
 */
export async function releaseLocalVlanIfUnused(db: Db, hostId: string, networkId: string): Promise<void> {
  const [row] = await db.$queryRaw<{ vlan: number | null; pool: PoolRow | null; inUse: number[] | null }[]>`
    WITH released AS (
      DELETE FROM "LocalVlan" WHERE "hostId" = ${hostId}::uuid AND "networkId" = ${networkId}::uuid
        AND NOT EXISTS (SELECT 1 FROM "Port" WHERE "hostId" = ${hostId}::uuid AND "networkId" = ${networkId}::uuid)
      RETURNING vlan
    ), pool AS (
      SELECT to_json(p) AS pool FROM "LocalVlanPool" p WHERE p."hostId" = ${hostId}::uuid AND EXISTS (SELECT 1 FROM released)
    )
    SELECT (SELECT vlan FROM released) AS vlan, (SELECT pool FROM pool) AS pool,
      CASE WHEN EXISTS (SELECT 1 FROM released) AND NOT EXISTS (SELECT 1 FROM pool)
        THEN ARRAY(SELECT vlan FROM "LocalVlan" WHERE "hostId" = ${hostId}::uuid) END AS "inUse"`;
  if (row.vlan === null) return;
  // The statement's own reads see the host's VLANs before the delete: the set as it was, the VLAN still out.
  const free = poolOf(row.pool, row.inUse);
  free.add(row.vlan);
  await savePool(db, hostId, free);
  record({ kind: 'LOCAL_VLAN', change: 'RELEASED', hostId, networkId, vlan: row.vlan });
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
