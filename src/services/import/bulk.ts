// Bulk statements: many rows per statement, each column sent as one array
// parameter and spread back into rows with unnest(), so that writing a
// large cloud costs a few hundred round trips, not one per row.
import type { Db } from '../transaction.js';

/** Rows per statement: large enough to amortize the round trip, small enough to keep each statement's memory modest. */
export const BATCH_ROWS = 5000;

export interface Column<R> {
  name: string;
  /** The PostgreSQL type of the array element sent, e.g. "uuid", "text", "\"NetworkType\"". */
  type: string;
  value: (row: R) => unknown;
  /** The selected expression over the unnested value `v` when it is not the value itself, e.g. a cast. */
  select?: (v: string) => string;
  /** Kept on update (e.g. createdAt). */
  insertOnly?: boolean;
}

export interface Table<R> {
  name: string;
  columns: Column<R>[];
  /** The conflict target of an upsert (the primary key). */
  key: string[];
}

const quote = (name: string) => `"${name}"`;

function* batches<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) yield rows.slice(i, i + BATCH_ROWS);
}

/**
 * Inserts the rows; with `upsert`, a row whose key exists updates it
 * instead. Calls `progress` with the number of rows of each statement.
 */
export async function insertRows<R>(db: Db, table: Table<R>, rows: R[], upsert: boolean, progress: (rows: number) => void): Promise<void> {
  const names = table.columns.map((c) => quote(c.name)).join(', ');
  const arrays = table.columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const selected = table.columns.map((c) => (c.select ? c.select(`t.${quote(c.name)}`) : `t.${quote(c.name)}`)).join(', ');
  const updates = table.columns
    .filter((c) => !c.insertOnly && !table.key.includes(c.name))
    .map((c) => `${quote(c.name)} = EXCLUDED.${quote(c.name)}`);
  const conflict = upsert ? ` ON CONFLICT (${table.key.map(quote).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}` : '';
  const sql = `INSERT INTO ${quote(table.name)} (${names}) SELECT ${selected} FROM unnest(${arrays}) AS t(${names})${conflict}`;
  for (const batch of batches(rows)) {
    await db.$executeRawUnsafe(sql, ...table.columns.map((c) => batch.map(c.value)));
    progress(batch.length);
  }
}

/** Deletes the rows whose `columns` match one of `keys` (one value per column). */
export async function deleteRows(db: Db, table: string, columns: { name: string; type: string }[], keys: unknown[][], progress: (rows: number) => void): Promise<void> {
  const names = columns.map((c) => quote(c.name)).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const sql = `DELETE FROM ${quote(table)} WHERE (${names}) IN (SELECT * FROM unnest(${arrays}))`;
  for (const batch of batches(keys)) {
    await db.$executeRawUnsafe(sql, ...columns.map((_, i) => batch.map((key) => key[i])));
    progress(batch.length);
  }
}
