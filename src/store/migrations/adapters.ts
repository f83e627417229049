// Driver adapters the schema engine migrates through: its main database and
// the throw-away shadow databases it replays migrations on.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlResultSet,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseTarget } from '../../config.js';

/** A migration-aware adapter factory that can release everything it opened. */
export interface MigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  close(): Promise<void>;
}

export function openAdapterFactory(target: DatabaseTarget): Promise<MigrationAdapterFactory> {
  return target.kind === 'postgres' ? Promise.resolve(new PostgresAdapters(target.url)) : PGliteAdapters.open(target.dataDir);
}

/**
 * An in-memory PGlite database that is also its own shadow database, for work
 * that needs no real database (drift checks): one PGlite start-up (~2.5 s)
 * instead of two.
 */
export function scratchAdapterFactory(): Promise<MigrationAdapterFactory> {
  return PGliteAdapters.open('memory://', { shadowIsMain: true });
}

const TEXT_OID = 25;
const CHAR_OID = 18; // "char"
const NAME_OID = 19;

type Fields = { dataTypeID: number }[];

/**
 * The "char" columns of a result, by the result's rows (adapter-pg hands on
 * pg's rows array as it is): the adapter reads them as text, the engine
 * wants them as characters again.
 */
const charColumns = new WeakMap<unknown[], number[]>();

function catalogTypesAsText<R>(result: R): R {
  const { fields, rows } = (result ?? {}) as { fields?: Fields; rows?: unknown[] };
  const chars: number[] = [];
  (fields ?? []).forEach((field, i) => {
    if (field.dataTypeID === CHAR_OID) chars.push(i);
    if (field.dataTypeID === CHAR_OID || field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  });
  if (chars.length > 0 && rows) charColumns.set(rows, chars);
  return result;
}

/**
 * A "char" column read as text is typed a character again, as
 * pglite-prisma-adapter types it: the engine reads some of them (a
 * constraint's type, pg_constraint.contype) as a character only, and panics
 * on text.
 */
function withCharColumns(result: SqlResultSet): SqlResultSet {
  const chars = charColumns.get(result.rows);
  if (!chars) return result;
  const columnTypes = [...result.columnTypes];
  for (const i of chars) columnTypes[i] = ColumnTypeEnum.Character;
  return { ...result, columnTypes };
}

/**
 * adapter-pg refuses to read columns of type "char" and name (prisma/orm#27403),
 * which the engine's catalog queries return; their values are plain strings,
 * given to adapter-pg as text (and "char" typed back by withCharColumns).
 */
class CatalogTextClient extends pg.Client {
  // pg-pool calls query(config, values, callback); direct callers get a promise.
  override query(...args: unknown[]): any {
    const last = args.length - 1;
    const callback = args[last];
    const run = super.query as (...a: unknown[]) => any;
    if (typeof callback === 'function') {
      args[last] = (err: Error | null, result: unknown) => callback(err, err ? result : catalogTypesAsText(result));
      return run.apply(this, args);
    }
    const returned = run.apply(this, args);
    return typeof returned?.then === 'function' ? returned.then(catalogTypesAsText) : returned;
  }
}

/** Errors of a migration script, in the shape the engine reports as database errors. */
function scriptError(error: unknown): never {
  const e = error as Partial<Record<'code' | 'severity' | 'message' | 'detail' | 'column' | 'hint', string>>;
  if (typeof e?.code !== 'string' || typeof e.message !== 'string') throw error;
  throw new DriverAdapterError({
    kind: 'postgres',
    code: e.code,
    severity: e.severity ?? 'ERROR',
    message: e.message,
    detail: e.detail,
    column: e.column,
    hint: e.hint,
  });
}

/**
 * The adapter with our own executeScript and dispose. Both stock adapters get
 * executeScript wrong for migrations: adapter-pg splits the script on ';' and
 * runs the pieces outside a transaction, pglite-prisma-adapter does not wait
 * for it (a failure goes unnoticed). Sent whole, a script runs as one implicit
 * transaction, as with Prisma's native engine.
 */
function adapterWith(
  adapter: SqlDriverAdapter,
  runScript: (script: string) => Promise<unknown>,
  dispose: () => Promise<void>,
): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: async (query) => withCharColumns(await adapter.queryRaw(query)),
    executeRaw: (query) => adapter.executeRaw(query),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    getConnectionInfo: () => adapter.getConnectionInfo?.() ?? { supportsRelationJoins: true },
    executeScript: async (script) => {
      await runScript(script).catch(scriptError);
    },
    dispose,
  };
}

/** Opened adapters are disposed at close() unless the engine already did. */
class OpenAdapters {
  private readonly open = new Set<() => Promise<void>>();

  track(dispose: () => Promise<void>): () => Promise<void> {
    const once = async () => {
      if (!this.open.delete(once)) return;
      await dispose();
    };
    this.open.add(once);
    return once;
  }

  async closeAll(): Promise<void> {
    const results = await Promise.allSettled([...this.open].map((dispose) => dispose()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

class PostgresAdapters implements MigrationAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@prisma/adapter-pg';
  private readonly config: pg.ClientConfig;
  private readonly adapters = new OpenAdapters();

  constructor(url: string) {
    // Separate fields, not a connectionString: pg lets a connectionString
    // override `database`, and the shadow database would be the main one.
    this.config = parseIntoClientConfig(url);
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.connectTo(this.config.database);
  }

  /**
   * adapter-pg's own shadow database hook drops the database while its pool is
   * still connected; here the pool is ended first and the drop is forced.
   */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await this.admin(`CREATE DATABASE "${name}"`);
    try {
      return await this.connectTo(name, () => this.admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    } catch (error) {
      await this.admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.adapters.closeAll();
  }

  private async connectTo(database: string | undefined, afterEnd?: () => Promise<void>): Promise<SqlDriverAdapter> {
    // The engine takes a session-level advisory lock on one pooled connection
    // and never unlocks it: idle connections must stay open until close(), or
    // a second deploy could start while the first one is still migrating.
    const pool = new pg.Pool({ ...this.config, database, Client: CatalogTextClient, idleTimeoutMillis: 0 });
    const adapter = await new PrismaPg(pool).connect();
    const dispose = this.adapters.track(async () => {
      await pool.end();
      await afterEnd?.();
    });
    return adapterWith(adapter, (script) => pool.query(script), dispose);
  }

  /** CREATE/DROP DATABASE cannot run inside the engine's connections. */
  private async admin(sql: string): Promise<void> {
    const client = new pg.Client(this.config);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

class PGliteAdapters implements MigrationAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = 'pglite-prisma-adapter';
  private readonly adapters = new OpenAdapters();

  private constructor(
    private readonly db: PGlite,
    private readonly shadowIsMain: boolean,
  ) {}

  static async open(dataDir: string, { shadowIsMain = false } = {}): Promise<PGliteAdapters> {
    if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
    return new PGliteAdapters(await PGlite.create({ dataDir }), shadowIsMain);
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.adapterFor(this.db, async () => {});
  }

  /** The stock hook opens an in-memory PGlite that it never closes. */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.shadowIsMain) return this.connect();
    const shadow = await PGlite.create({ dataDir: 'memory://' });
    return this.adapterFor(shadow, () => shadow.close());
  }

  async close(): Promise<void> {
    try {
      await this.adapters.closeAll();
    } finally {
      await this.db.close();
    }
  }

  private async adapterFor(db: PGlite, closeDb: () => Promise<void>): Promise<SqlDriverAdapter> {
    const adapter = await new PrismaPGlite(db).connect();
    return adapterWith(adapter, (script) => db.exec(script), this.adapters.track(closeDb));
  }
}
