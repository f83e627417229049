// A host's FreeVlanSet as the LocalVlanPool row stores it. Read and write it
// only with the host locked: every allocation and release on the host goes
// through this one row.
import { FreeVlanSet } from '../domain/localVlans.js';
import type { Db } from './transaction.js';

/** The stored row (as to_json gives it), or null when the host has none yet. */
export interface PoolRow {
  finger: number;
  mask: number;
  fill: number;
  used: number;
  changed: number[];
}

/**
 * The host's set: the stored one, or, without a row, the set of an agent
 * that started with `inUse` already tagged on br-int (a host created since,
 * or imported).
 */
export function poolOf(row: PoolRow | null, inUse: number[] | null): FreeVlanSet {
  if (!row) return FreeVlanSet.restarted(inUse ?? []);
  const changed: [number, number][] = [];
  for (let i = 0; i < row.changed.length; i += 2) changed.push([row.changed[i], row.changed[i + 1]]);
  return FreeVlanSet.from({ finger: row.finger, mask: row.mask, fill: row.fill, used: row.used, changed });
}

/** The row's columns for `set`. */
export function poolColumns(set: FreeVlanSet): PoolRow {
  const { finger, mask, fill, used, changed } = set.state();
  return { finger, mask, fill, used, changed: changed.flat() };
}

/** Writes the host's set; `allocate` also inserts the VLAN it gave, in the same statement. */
export async function savePool(db: Db, hostId: string, set: FreeVlanSet, allocate?: { networkId: string; vlan: number }): Promise<void> {
  const p = poolColumns(set);
  if (allocate) {
    await db.$executeRaw`
      WITH allocated AS (
        INSERT INTO "LocalVlan" ("hostId", "networkId", vlan) VALUES (${hostId}::uuid, ${allocate.networkId}::uuid, ${allocate.vlan})
      )
      INSERT INTO "LocalVlanPool" ("hostId", finger, mask, fill, used, changed)
      VALUES (${hostId}::uuid, ${p.finger}, ${p.mask}, ${p.fill}, ${p.used}, ${p.changed}::int[])
      ON CONFLICT ("hostId") DO UPDATE SET finger = EXCLUDED.finger, mask = EXCLUDED.mask, fill = EXCLUDED.fill, used = EXCLUDED.used, changed = EXCLUDED.changed`;
    return;
  }
  await db.$executeRaw`
    INSERT INTO "LocalVlanPool" ("hostId", finger, mask, fill, used, changed)
    VALUES (${hostId}::uuid, ${p.finger}, ${p.mask}, ${p.fill}, ${p.used}, ${p.changed}::int[])
    ON CONFLICT ("hostId") DO UPDATE SET finger = EXCLUDED.finger, mask = EXCLUDED.mask, fill = EXCLUDED.fill, used = EXCLUDED.used, changed = EXCLUDED.changed`;
}
