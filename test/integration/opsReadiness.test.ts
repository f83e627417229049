// /readyz asks the database over a connection of its own: with every pooled
// connection stuck behind a lock and more requests queued, it still answers
// 200 at once; when its connection is terminated it opens another; when the
// database is gone it answers 503. PostgreSQL only (PGlite is in-process and
// has no pool: it is ready while it is open).
import { jest } from '@jest/globals';
import pg from 'pg';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { usingPostgres } from '../support/database.js';

const describePostgres = usingPostgres() ? describe : describe.skip;
jest.setTimeout(120_000);

const POOL_SIZE = 10;

describePostgres('readiness', () => {
  let s: TestServer;
  let admin: pg.Client;
  let readyz: string;
  let dbName: string;
  let dbUrl: string;

  beforeAll(async () => {
    s = await startTestServer();
    readyz = s.url.replace('/graphql', '/readyz');
    [{ name: dbName }] = await s.db.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    await s?.stop();
  });

  const waitingOnLocks = async () =>
    Number((await admin.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n);

  it('answers 200 while every pooled connection waits behind a lock and requests queue for one', async () => {
    // Another connection holds the lock: pg_stat_activity is read once per transaction.
    const locker = new pg.Client({ connectionString: dbUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "Network" IN ACCESS EXCLUSIVE MODE');
    const stuck = Array.from({ length: POOL_SIZE + 5 }, () => s.request('{ networks { totalCount } }'));
    for (let i = 0; i < 200 && (await waitingOnLocks()) < POOL_SIZE; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await waitingOnLocks()).toBe(POOL_SIZE);
    expect(s.db.poolUse()).toMatchObject({ max: POOL_SIZE, total: POOL_SIZE, idle: 0 });
    expect(s.db.poolUse()!.waiting).toBeGreaterThanOrEqual(5);

    const res = await fetch(readyz);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: 'postgres' });

    await locker.query('COMMIT');
    await locker.end();
    const answers = await Promise.all(stuck);
    expect(answers.filter((a) => a.errors)).toEqual([]);
  });

  it('opens a new connection when its own is terminated', async () => {
    expect((await fetch(readyz)).status).toBe(200);
    const { rows } = await admin.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'neutron-graph readiness'`);
    expect(rows).toEqual([{ ok: true }]);
    let status = 0;
    // The first probe may see the dead connection (503); the next one reconnects.
    for (let i = 0; i < 20 && status !== 200; i++) status = (await fetch(readyz)).status;
    expect(status).toBe(200);
  });

  it('answers 503 once the database is gone', async () => {
    await admin.end();
    const base = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await base.connect();
    await base.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
    await base.end();
    const res = await fetch(readyz);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', database: 'postgres' });
  });
});
