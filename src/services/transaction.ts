// Runs a service's writes in one transaction, retried when PostgreSQL says
// another transaction won a race (unique violation, serialization failure,
// deadlock): the retry recomputes its allocation from fresh data. Retried
// too when the server ended the connection before the commit (the
// transaction died with it, nothing of it was written); a connection lost
// during the commit leaves the outcome unknown, so that one is reported,
// never repeated.
import type { Prisma } from '../store/db.js';
import { isConnectionLost, isLostRace } from '../store/databaseErrors.js';
import { DomainError, type UserError } from './errors.js';
import { withOrigin, type ChangeOrigin } from './changeOrigin.js';

export type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];

/** The Prisma handle services read and write through: a client or a transaction. */
export type Db = Tx;

const MAX_ATTEMPTS = 8;

/** Whether the error, or one it wraps (Prisma wraps the driver's), is a lost race worth retrying. */
export const isRetryable = isLostRace;

/** The connection died while the transaction committed: it may or may not have been written. */
export class CommitInDoubt extends Error {
  constructor(override readonly cause: unknown) {
    super('the database connection was lost while the change was being committed; it may or may not have been applied');
  }
}

export interface TxOptions {
  /** How long the whole transaction may run, in milliseconds. */
  timeoutMs?: number;
  /** statement_timeout within the transaction (SET LOCAL), in milliseconds; default: the connection's. */
  statementTimeoutMs?: number;
  /** Who and what the change log attributes the transaction's changes to (default: the system). */
  origin?: ChangeOrigin;
}

export async function inTransaction<T>(prisma: Prisma, fn: (tx: Tx) => Promise<T>, options: TxOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let bodyDone = false;
    const body = async (tx: Tx) => {
      if (options.statementTimeoutMs) await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
      const value = await fn(tx);
      bodyDone = true;
      return value;
    };
    try {
      const run = options.origin ? withOrigin(options.origin, body) : body;
      return await prisma.$transaction(run, { timeout: options.timeoutMs ?? 30_000, maxWait: 30_000 });
    } catch (error) {
      const connectionLost = isConnectionLost(error);
      if (connectionLost && bodyDone) throw new CommitInDoubt(error);
      if (attempt >= MAX_ATTEMPTS || !(isLostRace(error) || connectionLost)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

export type Payload<K extends string, V> = { [key in K]: V | null } & { userErrors: UserError[] };

/** A mutation's payload: what `run` returns under `key`, or the userErrors it failed with. */
export async function payloadOf<K extends string, V>(key: K, run: () => Promise<V>): Promise<Payload<K, V>> {
  try {
    return { [key]: await run(), userErrors: [] } as Payload<K, V>;
  } catch (error) {
    if (error instanceof DomainError) return { [key]: null, userErrors: error.errors } as Payload<K, V>;
    throw error;
  }
}

/**
 * Runs a mutation: its result under `key`, or its userErrors with nothing
 * written.
 */
export function mutation<K extends string, V>(
  prisma: Prisma,
  key: K,
  fn: (tx: Tx) => Promise<V>,
  options: TxOptions = {},
): Promise<Payload<K, V>> {
  return payloadOf(key, () => inTransaction(prisma, fn, options));
}
