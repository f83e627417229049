// A fresh, migrated database per test file: a new database on the
// PostgreSQL server of DATABASE_URL, or an embedded PGlite in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/config.js';
import { deployMigrations } from '../../src/store/migrations/index.js';

export interface TestDatabase {
  target: DatabaseTarget;
  drop(): Promise<void>;
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const base = new URL(url);
    const name = `ng_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const dbUrl = new URL(base);
    dbUrl.pathname = `/${name}`;
    const target: DatabaseTarget = { kind: 'postgres', url: dbUrl.toString() };
    await deployMigrations(target);
    return {
      target,
      drop: async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ng-test-'));
  const target: DatabaseTarget = { kind: 'pglite', dataDir: dir };
  await deployMigrations(target);
  return { target, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
