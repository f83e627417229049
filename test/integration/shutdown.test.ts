// A real server process (`serve`, NODE_ENV=production as deployed) gets
// SIGTERM in the middle of a burst of requests: /readyz answers 503 while
// it keeps serving for the drain period, every request sent before
// completes, every acknowledged write is in the database afterwards, and it
// exits 0. Its first start prints the first admin token, its second start
// does not.
import http from 'node:http';
import { startServerProcess } from '../support/serverProcess.js';
import { jest } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { openDatabase } from '../../src/store/db.js';

jest.setTimeout(180_000);

const BURST = 40;
const SHUTDOWN_DELAY_MS = 1000;

// NODE_ENV=production as in the image: Jest's NODE_ENV=test would hide signal handling that differs outside tests.
const serve = (database: TestDatabase) =>
  startServerProcess(database.target, { NODE_ENV: 'production', AUTH: 'on', SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS), DRAIN_TIMEOUT_MS: '120000' });

interface Sent {
  /** The whole request is handed to the network. */
  written: Promise<void>;
  response: Promise<{ status: number; body: { errors?: unknown[]; data?: any } }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function send(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Sent {
  const payload = JSON.stringify({ query, variables });
  const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` } });
  const written = new Promise<void>((resolve) => req.once('finish', () => resolve()));
  const response = new Promise<{ status: number; body: { errors?: unknown[]; data?: any } }>((resolve, reject) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.once('error', reject);
  });
  req.end(payload);
  return { written, response };
}

/**
 * On PostgreSQL, holds new networks' segment inserts (EXCLUSIVE lock on their
 * table) so that the burst is certainly still running when SIGTERM comes;
 * PGlite serializes the burst on its one connection, which is slow enough.
 */
async function holdNetworkCreation(database: TestDatabase) {
  if (database.target.kind !== 'postgres') return null;
  const client = new pg.Client({ connectionString: database.target.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE "SegmentAllocation" IN EXCLUSIVE MODE');
  return {
    waiting: async () => Number((await client.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n),
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe('serve and SIGTERM', () => {
  let database: TestDatabase;
  let token: string;
  /** The networks the first server said it created. */
  let acknowledged: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  const gql = (url: string, query: string, variables: Record<string, unknown> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });

  it('prints the first admin token, then completes the requests in flight and exits 0', async () => {
    const first = await serve(database);
    const printed = /FIRST ADMIN API TOKEN[^\n]*\n\n\s+(ngt_[A-Za-z0-9_-]{43})\n/.exec(first.stdout());
    expect(printed).not.toBeNull();
    token = printed![1];

    const hold = await holdNetworkCreation(database);
    const sent = Array.from({ length: BURST }, (_, i) =>
      i % 4 === 3
        ? send(first.url, token, '{ networks { totalCount } }')
        : send(first.url, token, 'mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id } userErrors { message } } }', { i: { name: `burst-${i}`, projectId: 'p1' } }),
    );
    await Promise.all(sent.map((r) => r.written));
    let writesAnswered = 0;
    sent.forEach((r, i) => void r.response.then(() => (writesAnswered += i % 4 === 3 ? 0 : 1), () => undefined));
    if (hold) {
      // The mutations are in the middle of their work, waiting on the lock.
      for (let i = 0; i < 100 && (await hold.waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await hold.waiting()).toBeGreaterThan(0);
    }
    first.child.kill('SIGTERM');
    // Not ready any more (once the busy process gets to the signal), but still serving.
    let ready = 200;
    for (let i = 0; i < 40 && ready !== 503; i++) {
      ready = (await fetch(first.url.replace('/graphql', '/readyz'))).status;
      if (ready !== 503) await new Promise((r) => setTimeout(r, 20));
    }
    expect(ready).toBe(503);
    if (hold) {
      await new Promise((r) => setTimeout(r, 300));
      expect(writesAnswered).toBe(0);
      await hold.release();
    }
    const answers = await Promise.all(sent.map((r) => r.response));
    expect(answers.filter((a) => a.status !== 200 || a.body.errors)).toEqual([]);
    acknowledged = answers.flatMap((a) => (a.body.data?.createNetwork?.network ? [a.body.data.createNetwork.network.id as string] : []));
    expect(acknowledged).toHaveLength(BURST - BURST / 4);
    expect(await first.exited).toBe(0);
  });

  it('has committed every write it acknowledged before it exited', async () => {
    const db = await openDatabase(database.target);
    try {
      const stored = await db.prisma.network.findMany({ where: { id: { in: acknowledged } }, select: { id: true } });
      expect(stored.map((n) => n.id).sort()).toEqual([...acknowledged].sort());
    } finally {
      await db.close();
    }
  });

  it('keeps what the burst wrote, and prints no token on the next start', async () => {
    const second = await serve(database);
    try {
      expect(second.stdout()).not.toContain('ngt_');
      const res = await gql(second.url, '{ networks(filter: { nameContains: "burst-" }) { totalCount } }');
      expect(await res.json()).toEqual({ data: { networks: { totalCount: BURST - BURST / 4 } } });
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});
