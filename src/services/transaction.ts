// Runs a service's writes in one transaction, retried when PostgreSQL says
// another transaction won a race (unique violation, serialization failure,
// deadlock): the retry recomputes its allocation from fresh data.
import type { Prisma } from '../store/db.js';
import { DomainError, type UserError } from './errors.js';
import { withOrigin, type ChangeOrigin } from './changeOrigin.js';

export type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

/** The Prisma handle services read and write through: a client or a transaction. */
export type Db = Tx;

const RETRYABLE_PG_CODES = new Set(['23505', '40001', '40P01']);
const RETRYABLE_PRISMA_CODES = new Set(['P2002', 'P2034']);
const MAX_ATTEMPTS = 8;

interface DatabaseError {
  code?: string;
  originalCode?: string;
  meta?: { code?: string; driverAdapterError?: unknown };
  cause?: unknown;
}

/** Whether the error, or one it wraps (Prisma wraps the driver's), is a lost race worth retrying. */
export function isRetryable(error: unknown): boolean {
  const e = error as DatabaseError;
  if (!e || typeof e !== 'object') return false;
  if (e.code && (RETRYABLE_PRISMA_CODES.has(e.code) || RETRYABLE_PG_CODES.has(e.code))) return true;
  if (e.originalCode && RETRYABLE_PG_CODES.has(e.originalCode)) return true;
  if (e.meta?.code && RETRYABLE_PG_CODES.has(e.meta.code)) return true;
  if (e.meta?.driverAdapterError && isRetryable(e.meta.driverAdapterError)) return true;
  return e.cause ? isRetryable(e.cause) : false;
}

export interface TxOptions {
  /** How long the whole transaction may run, in milliseconds. */
  timeoutMs?: number;
  /** Who and what the change log attributes the transaction's changes to (default: the system). */
  origin?: ChangeOrigin;
}

export async function inTransaction<T>(prisma: Prisma, fn: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const run = options.origin ? withOrigin(options.origin, fn) : fn;
      return await prisma.$transaction(run, { timeout: options.timeoutMs ?? 30_000, maxWait: 30_000 });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

export type Payload<K extends string, V> = { [key in K]: V | null } & { userErrors: UserError[] };

/**
 * Runs a mutation: its result under `key`, or its userErrors with nothing
 * written.
 */
export async function mutation<K extends string, V>(
  prisma: Prisma,
  key: K,
  fn: (tx: Tx) => Promise<V>,
  options: TxOptions = {},
): Promise<Payload<K, V>> {
  try {
    const value = await inTransaction(prisma, fn, options);
    return { [key]: value, userErrors: [] } as Payload<K, V>;
  } catch (error) {
    if (error instanceof DomainError) return { [key]: null, userErrors: error.errors } as Payload<K, V>;
    throw error;
  }
}
