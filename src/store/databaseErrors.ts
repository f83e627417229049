// Reading PostgreSQL's answer out of an error, however it is wrapped: Prisma
// wraps the driver adapter's error, which wraps node-pg's. Which codes mean
// "retry" is decided once, here: a lost race (unique violation,
// serialization failure, deadlock) or a connection the server ended under a
// statement (an administrator or a crash terminated the backend, or the
// connection failed).

const LOST_RACE_PG_CODES = new Set(['23505', '40001', '40P01']);
const LOST_RACE_PRISMA_CODES = new Set(['P2002', 'P2034']);
/** The driver adapter's names for those codes, all an error raised at COMMIT carries. */
const LOST_RACE_KINDS = new Set(['UniqueConstraintViolation', 'TransactionWriteConflict']);
/** admin_shutdown (pg_terminate_backend), crash_shutdown, connection_failure. */
const CONNECTION_LOST_PG_CODES = new Set(['57P01', '57P02', '08006']);
/** The driver adapter's names for a socket the server closed. */
const CONNECTION_LOST_KINDS = new Set(['ConnectionClosed']);
/** node-pg's words for a connection that died without an error code. */
const CONNECTION_LOST_MESSAGES = [/^Connection terminated/, /Client has encountered a connection error and is not queryable/];

interface WrappedError {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  meta?: { code?: unknown; driverAdapterError?: unknown };
  cause?: unknown;
}

/** Every error in the chain: the error, the driver adapter error Prisma keeps in meta, and causes. */
function* chain(error: unknown, depth = 0): Generator<WrappedError> {
  if (!error || typeof error !== 'object' || depth > 8) return;
  const e = error as WrappedError;
  yield e;
  if (e.meta?.driverAdapterError) yield* chain(e.meta.driverAdapterError, depth + 1);
  if (e.cause) yield* chain(e.cause, depth + 1);
}

const codesOf = (e: WrappedError): unknown[] => [e.code, e.originalCode, e.meta?.code];

/** Another transaction won a race: retrying recomputes from fresh data. */
export function isLostRace(error: unknown): boolean {
  for (const e of chain(error)) {
    if (codesOf(e).some((c) => typeof c === 'string' && (LOST_RACE_PG_CODES.has(c) || LOST_RACE_PRISMA_CODES.has(c)))) return true;
    if (typeof e.kind === 'string' && LOST_RACE_KINDS.has(e.kind)) return true;
  }
  return false;
}

/** The database ended the connection the statement ran on. */
export function isConnectionLost(error: unknown): boolean {
  for (const e of chain(error)) {
    if (codesOf(e).some((c) => typeof c === 'string' && CONNECTION_LOST_PG_CODES.has(c))) return true;
    if (typeof e.kind === 'string' && CONNECTION_LOST_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && CONNECTION_LOST_MESSAGES.some((m) => m.test(e.message as string))) return true;
  }
  return false;
}

/** query_canceled (statement_timeout, or a cancel request) and lock_not_available (lock_timeout). */
const STOPPED_PG_CODES = new Set(['57014', '55P03']);

/** PostgreSQL stopped the statement: it ran past statement_timeout or waited past lock_timeout, or was cancelled. */
export function isStatementTimeout(error: unknown): boolean {
  for (const e of chain(error)) {
    if (codesOf(e).some((c) => typeof c === 'string' && STOPPED_PG_CODES.has(c))) return true;
  }
  return false;
}

/** Prisma's P2028 when no connection came free within the transaction's maxWait. */
export function isTransactionStartTimeout(error: unknown): boolean {
  for (const e of chain(error)) {
    if (typeof e.message === 'string' && /Unable to start a transaction in the given time/.test(e.message)) return true;
  }
  return false;
}
