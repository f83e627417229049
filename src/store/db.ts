// Opens the database: PostgreSQL through adapter-pg when DATABASE_URL is set,
// else embedded PGlite in-process. Both count their SQL statements.
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import type { DatabaseTarget } from '../config.js';
import { recordStatement } from './sqlStats.js';

export type Prisma = InstanceType<typeof PrismaClient>;

export interface Database {
  kind: DatabaseTarget['kind'];
  prisma: Prisma;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /**
   * LISTENs on `channel` (PostgreSQL: on a connection of its own, outside the
   * pool). `onLost` is told when that connection fails; listen again then.
   * Resolves to the function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void, onLost: (error: Error) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

class CountingClient extends pg.Client {
  override query(...args: unknown[]): never {
    recordStatement();
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}

export interface OpenOptions {
  /** Maximum PostgreSQL connections of this process (default 10). */
  poolSize?: number;
  /** Told about errors of idle connections (the pool has already dropped them). */
  onIdleError?: (error: Error) => void;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      Client: CountingClient,
      max: options.poolSize ?? 10,
    });
    // An idle connection that the server closes (restart, failover, DROP
    // DATABASE) must not crash the process; the pool replaces it.
    pool.on('error', (error) => options.onIdleError?.(error));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      kind: 'postgres',
      prisma,
      ping: async () => {
        await pool.query('SELECT 1');
      },
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
    ping: async () => {
      await pglite.query('SELECT 1');
    },
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
