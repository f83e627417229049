// Opens the database: PostgreSQL through adapter-pg when DATABASE_URL is set,
// else embedded PGlite in-process. Both count their SQL statements.
import { AsyncResource } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Config, DatabaseTarget } from '../config.js';
import { recordStatement } from './sqlStats.js';
import { isConnectionLost } from './databaseErrors.js';
import { readinessProbe } from './readinessProbe.js';
import { cancelWithRequest } from './cancellation.js';

export type Prisma = InstanceType<typeof PrismaClient>;

/** How busy the PostgreSQL connection pool is (metrics). */
export interface PoolUse {
  max: number;
  total: number;
  idle: number;
  /** Requests queued for a connection. */
  waiting: number;
}

/** How long readiness waits for the database (connect, then `SELECT 1`). */
const PING_TIMEOUT_MS = 2000;

export interface Database {
  kind: DatabaseTarget['kind'];
  prisma: Prisma;
  /** Throws when the database does not answer; never waits for the request pool. */
  ping(): Promise<void>;
  /** The connection pool's use; null for the embedded database, which has no pool. */
  poolUse(): PoolUse | null;
  /**
   * LISTENs on `channel` (PostgreSQL: on a connection of its own, outside the
   * pool). `onLost` is told when that connection fails; listen again then.
   * Resolves to the function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onLost: (error: Error) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

class CountingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection the server ends while it is checked out but between two statements
    // emits 'error' with nobody listening, which would crash the process; the next
    // statement on it fails instead, and is retried like any lost connection.
    this.on('error', () => undefined);
  }

  override query(...args: unknown[]): never {
    recordStatement();
    const ended = cancelWithRequest(this, statementText(args[0]));
    const callback = args[args.length - 1];
    // The pool's own queries (outside transactions) pass a callback.
    if (ended && typeof callback === 'function') {
      args[args.length - 1] = (...outcome: unknown[]) => {
        ended();
        return (callback as (...a: unknown[]) => unknown)(...outcome);
      };
    }
    const result = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => this.forgetIfLost(error));
      if (ended) result.then(ended, ended);
    }
    return result as never;
  }

  /**
   * node-pg keeps a client whose backend was terminated under a statement
   * "queryable" until the socket closes, so the pool could hand it to the
   * next transaction; the flag pg-pool reads on release takes it out at once.
   */
  private forgetIfLost(error: unknown): void {
    if (isConnectionLost(error)) (this as unknown as { _queryable: boolean })._queryable = false;
  }
}

const statementText = (first: unknown): unknown => (typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text);

/** A statement that only reads: safe to run again when the server ended its connection. */
const READ_ONLY = /^\s*SELECT\b/i;
const READ_ATTEMPTS = 3;

/**
 * Statements outside transactions go through `pool.query`; those that only
 * read are sent again on a fresh connection when the server ended theirs
 * (pg_terminate_backend, a crash, a failover). Writes are never repeated
 * here: their transaction decides (services/transaction.ts).
 */
class RetryingReadsPool extends pg.Pool {
  /**
   * pg-pool hands a freed connection to the next caller in line from the
   * releasing request's async context; bound here, a queued `pool.query`
   * sends its statement in its own request's context, so that the statement
   * is counted for it and cancelled with it (store/cancellation.ts).
   */
  override connect(...args: unknown[]): never {
    const callback = args[0];
    const bound = typeof callback === 'function' ? [AsyncResource.bind(callback as (...a: unknown[]) => unknown)] : args;
    return (super.connect as (...a: unknown[]) => unknown).apply(this, bound) as never;
  }

  override query(...args: unknown[]): never {
    const run = () => (super.query as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    const text = statementText(args[0]);
    if (typeof args[args.length - 1] === 'function' || typeof text !== 'string' || !READ_ONLY.test(text)) return run() as never;
    return (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await run();
        } catch (error) {
          if (attempt >= READ_ATTEMPTS || !isConnectionLost(error)) throw error;
        }
      }
    })() as never;
  }
}

export interface OpenOptions {
  /** Maximum PostgreSQL connections of this process (default 10). */
  poolSize?: number;
  /** statement_timeout of the pool's connections, in milliseconds (default: none); a transaction may set its own. */
  statementTimeoutMs?: number;
  /** Told about errors of idle connections (the pool has already dropped them). */
  onIdleError?: (error: Error) => void;
}

/** The server's pool: its size, and reads' statement_timeout on every connection. */
export const serverPoolOptions = (config: Pick<Config, 'pool' | 'statementTimeouts'>): OpenOptions => ({
  poolSize: config.pool.size,
  statementTimeoutMs: config.statementTimeouts.readMs,
});

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new RetryingReadsPool({
      connectionString: target.url,
      Client: CountingClient,
      max: options.poolSize ?? 10,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
    // An idle connection that the server closes (restart, failover, DROP
    // DATABASE) must not crash the process; the pool replaces it.
    pool.on('error', (error) => options.onIdleError?.(error));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const probe = readinessProbe(target.url);
    return {
      kind: 'postgres',
      prisma,
      ping: () => probe.ping(PING_TIMEOUT_MS),
      poolUse: () => ({ max: pool.options.max ?? 10, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      listen: async (channel, onMessage, onLost) => {
        const client = new pg.Client({ connectionString: target.url });
        let stopped = false;
        const lost = (error: Error) => {
          if (stopped) return;
          stopped = true;
          void client.end().catch(() => undefined);
          onLost(error);
        };
        client.on('error', lost);
        client.on('end', () => lost(new Error('the LISTEN connection closed')));
        client.on('notification', (message) => {
          if (message.channel === channel) onMessage(message.payload ?? '');
        });
        await client.connect();
        await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
        return async () => {
          stopped = true;
          await client.end().catch(() => undefined);
        };
      },
      close: async () => {
        await probe.close();
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  if (target.dataDir !== 'memory://') mkdirSync(target.dataDir, { recursive: true });
  const pglite = new PGlite(target.dataDir);
  for (const method of ['query', 'exec'] as const) {
    const original = pglite[method].bind(pglite) as (...a: unknown[]) => unknown;
    (pglite as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      recordStatement();
      return original(...args);
    };
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: 'pglite',
    prisma,
    // In-process: the database is there while the instance is open. A query would wait behind every transaction in flight.
    ping: async () => {
      if (pglite.closed) throw new Error('the embedded database is closed');
      await pglite.waitReady;
    },
    poolUse: () => null,
    // In-process: PGlite delivers a transaction's NOTIFY at its commit; the database never goes away under us.
    listen: async (channel, onMessage) => {
      const unlisten = await pglite.listen(channel, onMessage);
      return async () => {
        await unlisten();
      };
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
