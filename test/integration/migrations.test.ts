// The migration commands against real databases: a fresh PostgreSQL database
// and a PGlite folder get the committed migrations recorded as stock Prisma
// would; the drift check tells the committed migrations from a changed schema.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { jest } from '@jest/globals';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/config.js';
import { checkMigrations, createMigration, deployMigrations, migrationStatus } from '../../src/store/migrations/index.js';

// A PGlite start-up takes seconds.
jest.setTimeout(120_000);

const root = fileURLToPath(new URL('../..', import.meta.url));
const migrationsDir = path.join(root, 'prisma', 'migrations');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
// Any database on the server, to create and drop the test databases from.
const adminUrl = process.env.DATABASE_URL ?? process.env.CI_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

let committed: string[];
let expectedTables: string[];
let work: string;
/** prisma/schema.prisma with one more column, Network.description. */
let changedSchemaPath: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'migrations-test-'));
  const original = await readFile(schemaPath, 'utf8');
  const changed = original.replace(/^(model Network \{\n)/m, '$1  description String @default("")\n');
  expect(changed).not.toBe(original);
  changedSchemaPath = path.join(work, 'schema.prisma');
  await writeFile(changedSchemaPath, changed);

  committed = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const sql = await Promise.all(committed.map((name) => readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8')));
  expectedTables = [...sql.join('\n').matchAll(/^CREATE TABLE "(\w+)"/gm)].map((m) => m[1]).sort();
});
afterAll(async () => rm(work, { recursive: true, force: true }));

it('has the committed init migration and lock file', async () => {
  expect(committed[0]).toMatch(/^\d{14}_init$/);
  expect(expectedTables).toEqual(expect.arrayContaining(['Host', 'Network', 'Port', 'LocalVlan', 'ApiToken']));
  expect(await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toMatch(/^provider = "postgresql"$/m);
});

async function withAdmin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function urlOf(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function checksum(name: string): Promise<string> {
  const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'));
  return createHash('sha256').update(sql).digest('hex');
}

describe('on PostgreSQL', () => {
  const database = `migrations_test_${randomBytes(6).toString('hex')}`;
  let target: DatabaseTarget;
  let client: pg.Client;

  beforeAll(async () => {
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${database}"`));
    target = { kind: 'postgres', url: urlOf(database) };
    client = new pg.Client({ connectionString: target.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  });

  it('lists the migrations as pending before the first deploy', async () => {
    expect(await migrationStatus(target)).toEqual({ applied: [], pending: committed, failed: [] });
  });

  it('deploys: creates the tables and records the migrations as stock Prisma does', async () => {
    const logged: string[] = [];
    expect(await deployMigrations(target, { log: (msg) => logged.push(msg) })).toEqual({ applied: committed });
    expect(logged).toEqual(committed.map((name) => `applied ${name}`));

    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.rows.map((row) => row.table_name).sort()).toEqual(expectedTables);

    const recorded = await client.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(recorded.rows).toEqual(
      await Promise.all(
        committed.map(async (name) => ({
          migration_name: name,
          checksum: await checksum(name),
          finished_at: expect.any(Date),
          rolled_back_at: null,
          applied_steps_count: 1,
        })),
      ),
    );
  });

  it('applies nothing on a second deploy', async () => {
    expect(await deployMigrations(target)).toEqual({ applied: [] });
    const count = await client.query(`SELECT count(*)::int AS n FROM _prisma_migrations`);
    expect(count.rows[0].n).toBe(committed.length);
  });

  it('lists the migrations as applied', async () => {
    expect(await migrationStatus(target)).toEqual({ applied: committed, pending: [], failed: [] });
  });

  it('creates a migration for a schema change, and none when there is no change', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await cp(migrationsDir, dir, { recursive: true });
    const scratch = `${database}_create`;
    await withAdmin((admin) => admin.query(`CREATE DATABASE "${scratch}"`));
    // The server may be shared: only the shadow databases made here must be gone.
    const shadowDatabases = async () => {
      const { rows } = await withAdmin((admin) =>
        admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'`),
      );
      return rows.map((row) => row.datname);
    };
    const shadowsBefore = await shadowDatabases();
    try {
      const fresh: DatabaseTarget = { kind: 'postgres', url: urlOf(scratch) };
      const logged: string[] = [];
      const opts = { migrationsDir: dir, schemaPath: changedSchemaPath, log: (msg: string) => logged.push(msg) };

      const { directory } = await createMigration(fresh, 'Add network description', opts);
      expect(directory).toMatch(/[/\\]\d{14}_add_network_description$/);
      expect(await readFile(path.join(directory!, 'migration.sql'), 'utf8')).toBe(
        `-- AlterTable\nALTER TABLE "Network" ADD COLUMN     "description" TEXT NOT NULL DEFAULT '';\n`,
      );
      expect(await readFile(path.join(dir, 'migration_lock.toml'), 'utf8')).toBe(
        await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8'),
      );
      // As migrate dev does, the pending migrations were applied to the database first.
      expect(logged).toEqual([...committed.map((name) => `applied ${name}`), `created ${path.basename(directory!)}`]);

      expect(await createMigration(fresh, 'again', opts)).toEqual({ directory: null });
      expect(await readdir(dir)).toHaveLength(committed.length + 2);

      expect((await shadowDatabases()).filter((name) => !shadowsBefore.includes(name))).toEqual([]);
    } finally {
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`));
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('on PGlite', () => {
  let parent: string;
  let target: DatabaseTarget & { kind: 'pglite' };

  beforeAll(async () => {
    parent = await mkdtemp(path.join(tmpdir(), 'migrations-pglite-'));
    target = { kind: 'pglite', dataDir: path.join(parent, 'not', 'yet', 'there') };
  });
  afterAll(async () => rm(parent, { recursive: true, force: true }));

  it('creates the missing data directory and deploys the migrations', async () => {
    expect(await deployMigrations(target)).toEqual({ applied: committed });
    expect(existsSync(path.join(target.dataDir, 'PG_VERSION'))).toBe(true);
  });

  it('applies nothing on a second deploy and lists the migrations as applied', async () => {
    expect(await deployMigrations(target)).toEqual({ applied: [] });
    expect(await migrationStatus(target)).toEqual({ applied: committed, pending: [], failed: [] });
  });

  it('leaves the data directory closed, with the tables and the migration records', async () => {
    // Opening it again in this process only works because deploy closed it.
    const db = await PGlite.create({ dataDir: target.dataDir });
    try {
      const tables = await db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
      );
      expect(tables.rows.map((row) => row.table_name).sort()).toEqual(expectedTables);
      const recorded = await db.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`,
      );
      expect(recorded.rows).toEqual(
        await Promise.all(committed.map(async (name) => ({ migration_name: name, checksum: await checksum(name) }))),
      );
    } finally {
      await db.close();
    }
  });

  it('deploys to an in-memory database', async () => {
    expect(await deployMigrations({ kind: 'pglite', dataDir: 'memory://' })).toEqual({ applied: committed });
  });
});

describe('drift check', () => {
  it('reports the committed migrations in sync with prisma/schema.prisma', async () => {
    expect(await checkMigrations()).toEqual({ inSync: true, sql: '' });
  });

  it('reports a changed schema out of sync, with the SQL of the change', async () => {
    const { inSync, sql } = await checkMigrations({ schemaPath: changedSchemaPath });
    expect(inSync).toBe(false);
    expect(sql).toMatch(/ALTER TABLE "Network" ADD COLUMN\s+"description" TEXT NOT NULL DEFAULT ''/);
  });

  it('reports missing migrations out of sync', async () => {
    const { inSync, sql } = await checkMigrations({ migrationsDir: path.join(work, 'no-migrations') });
    expect(inSync).toBe(false);
    expect(sql).toContain('CREATE TABLE "Host"');
  });
});
