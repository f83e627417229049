// Imports a Neutron API document into the model, all or nothing, in one
// transaction: the model's tables are locked against other writers (readers
// go on), the database is read once, the whole result is planned and checked
// in memory, then written in bulk.
import type { ImportMode } from '../../domain/import/model.js';
import type { Prisma } from '../../store/db.js';
import { inTransaction, type Db } from '../transaction.js';
import { loadSnapshot } from './load.js';
import { planImport, type ImportReport } from './plan.js';
import { writePlan } from './write.js';

export type { ImportReport } from './plan.js';
export type { ImportMode } from '../../domain/import/model.js';

export interface ImportProgress {
  phase: 'read' | 'plan' | 'write';
  /** Rows written so far and in all (write phase); 0 and 0 before. */
  done: number;
  total: number;
  /** The table just written (write phase). */
  table?: string;
}

export type OnProgress = (progress: ImportProgress) => void;

/** A large import's transaction may run for minutes. */
export const IMPORT_TIMEOUT_MS = 15 * 60_000;

const MODEL_TABLES = [
  'Host',
  'Network',
  'SegmentAllocation',
  'Subnet',
  'SecurityGroup',
  'SecurityGroupRule',
  'Instance',
  'Router',
  'RouterRoute',
  'Port',
  'IpAllocation',
  'PortSecurityGroup',
  'AllowedAddressPair',
  'FloatingIp',
  'LocalVlan',
];

/** The import within the caller's transaction `db`. Throws DomainError with every problem of the document. */
export async function importNeutron(db: Db, document: unknown, mode: ImportMode = 'MERGE', onProgress: OnProgress = () => {}): Promise<ImportReport> {
  // EXCLUSIVE: others may read, but no other write (nor row lock) can slip between this snapshot and the writes.
  await db.$executeRawUnsafe(`LOCK TABLE ${MODEL_TABLES.map((t) => `"${t}"`).join(', ')} IN EXCLUSIVE MODE`);
  onProgress({ phase: 'read', done: 0, total: 0 });
  const snapshot = await loadSnapshot(db);
  onProgress({ phase: 'plan', done: 0, total: 0 });
  const plan = planImport(document, snapshot, mode);
  await writePlan(db, plan, (p) => onProgress({ phase: 'write', ...p }));
  return plan.report;
}

/** Imports `document` in a transaction of its own. */
export function importDocument(prisma: Prisma, document: unknown, mode: ImportMode = 'MERGE', onProgress?: OnProgress): Promise<ImportReport> {
  return inTransaction(prisma, (tx) => importNeutron(tx, document, mode, onProgress), {
    timeoutMs: IMPORT_TIMEOUT_MS,
    origin: { source: 'importNeutron', tokenId: null, projectId: null },
  });
}
