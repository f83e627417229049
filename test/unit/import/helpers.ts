// Shared by the import unit tests: the fixture, planning against a snapshot,
// and the database state a plan leads to.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { emptyCloud, type ImportMode, type Snapshot } from '../../../src/domain/import/model.js';
import { DomainError, type UserError } from '../../../src/services/errors.js';
import { planImport, type ImportPlan } from '../../../src/services/import/plan.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const loadFixture = (): Json => JSON.parse(readFileSync(path.join(process.cwd(), 'test/fixtures/neutron-cloud.json'), 'utf8'));

export const EMPTY: Snapshot = { cloud: emptyCloud(), localVlans: [] };

export const plan = (document: unknown, snapshot: Snapshot = EMPTY, mode: ImportMode = 'MERGE'): ImportPlan => planImport(document, snapshot, mode);

/** The userErrors of a refused document (fails when it is accepted). */
export function problemsOf(document: unknown, snapshot: Snapshot = EMPTY, mode: ImportMode = 'MERGE'): UserError[] {
  try {
    planImport(document, snapshot, mode);
  } catch (error) {
    if (error instanceof DomainError) return error.errors;
    throw error;
  }
  throw new Error('the document was accepted');
}

/** The database after `done` was written on `before`. */
export function after(done: ImportPlan, before: Snapshot = EMPTY): Snapshot {
  const released = new Set(done.localVlans.released.map((v) => `${v.hostId}/${v.networkId}/${v.vlan}`));
  return {
    cloud: done.cloud,
    localVlans: [...before.localVlans.filter((v) => !released.has(`${v.hostId}/${v.networkId}/${v.vlan}`)), ...done.localVlans.allocated],
  };
}

export const byName = (document: Json, kind: string, name: string) => document[kind].find((o: Json) => o.name === name);
