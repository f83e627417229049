import { randomUUID } from 'node:crypto';
import { fail } from './errors.js';
import type { Db } from './transaction.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (text: unknown): text is string => typeof text === 'string' && UUID_RE.test(text);

/** A client-supplied id (validated, lower-cased) or a new random one. */
export function idFor(given: string | null | undefined, field: string[] = ['id']): string {
  if (given === undefined || given === null) return randomUUID();
  if (!isUuid(given)) fail('INVALID', field, `'${given}' is not a UUID`);
  return given.toLowerCase();
}

/**
 * Refuses an id that an object of any kind holds already: CONFLICT, without
 * a word about what holds it (it may be another project's). The ObjectId
 * table's key settles a race between two transactions: the second claim
 * waits for the first transaction and fails when it commits, and is then
 * retried and refused here.
 */
export async function checkIdFree(db: Db, id: string, field: string[] = ['id']): Promise<void> {
  if (await db.objectId.findUnique({ where: { id }, select: { id: true } })) fail('CONFLICT', field, `the id ${id} is already in use`);
}

/** Throws NOT_FOUND for anything that cannot name an existing row. */
export function mustBeUuid(given: string, field: string[], what: string): string {
  if (!isUuid(given)) fail('NOT_FOUND', field, `${what} '${given}' does not exist`);
  return given.toLowerCase();
}
