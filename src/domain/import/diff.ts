// What an import changes, kind by kind: rows to create, rows to update (their
// content differs), rows to delete (in the database, not in the result), and
// how many of the document's rows are already there as they are.
import { KINDS, type Cloud, type Kind } from './model.js';
import type { Origins } from './read.js';
import { rowKey } from './rowKey.js';

export interface Changes<R> {
  created: R[];
  updated: R[];
  deleted: string[];
  unchanged: number;
}

export type CloudChanges = { [K in Kind]: Changes<Cloud[K] extends Map<string, infer R> ? R : never> };

/** `named`: the ids the document names, the only ones counted as unchanged. */
export function diffRows<R extends { id: string; createdAt?: string | null }>(before: Map<string, R>, after: Map<string, R>, named: Map<string, unknown>): Changes<R> {
  const changes: Changes<R> = { created: [], updated: [], deleted: [], unchanged: 0 };
  for (const [id, row] of after) {
    const old = before.get(id);
    if (!old) changes.created.push(row);
    else if (rowKey(old) !== rowKey(row)) changes.updated.push('createdAt' in row ? { ...row, createdAt: row.createdAt ?? old.createdAt ?? null } : row);
    else if (named.has(id)) changes.unchanged++;
  }
  for (const id of before.keys()) if (!after.has(id)) changes.deleted.push(id);
  return changes;
}

export function diffClouds(before: Cloud, after: Cloud, origins: Origins): CloudChanges {
  return Object.fromEntries(
    KINDS.map((kind) => [kind, diffRows(before[kind] as Map<string, { id: string }>, after[kind] as Map<string, { id: string }>, origins[kind])]),
  ) as CloudChanges;
}
