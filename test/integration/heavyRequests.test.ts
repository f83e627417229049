// What-ifs never take the connections mutations and reads need, a request
// whose client went away stops running in the database, and a statement
// over its kind's statement_timeout is stopped with a clear error.
// PostgreSQL only: the embedded database has no pool to share, runs one
// statement at a time in this process (nothing to cancel), and ignores
// statement_timeout.
import pg from 'pg';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { usingPostgres } from '../support/database.js';
import { codesOf, PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';
import { bootInstance, createNetwork, createSubnet, registerHost } from '../support/fixtures.js';

const describePostgres = usingPostgres() ? describe : describe.skip;

/** A connection of the test's own, outside the server's pool, to the server's database. */
async function connectTo(s: TestServer): Promise<pg.Client> {
  const [{ name }] = await s.db.prisma.$queryRawUnsafe<{ name: string }[]>('SELECT current_database() AS name');
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

/** Holds ACCESS EXCLUSIVE locks on `tables` until the returned function commits. */
async function lockTables(client: pg.Client, tables: string[]): Promise<() => Promise<void>> {
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${tables.map((t) => `"${t}"`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await client.query('COMMIT');
  };
}

/** Statements of other backends of this database waiting for a lock. */
async function waitingOnLocks(client: pg.Client): Promise<number> {
  // Inside a transaction the statistics views would show the first look again.
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND wait_event_type = 'Lock'`,
  );
  return rows[0].n;
}

/** Polls until `check` holds (at most `tries` times, 50 ms apart); returns whether it did. */
async function eventually(check: () => Promise<boolean>, tries = 100): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const WHAT_IF = `query($p: String) { whatIf(changes: [], check: { projectId: $p }) { summary { pairs } userErrors { message } } }`;
const PATH = `{ path(from: { instance: "a1" }, to: { instance: "a2" }) { verdict } }`;

describePostgres('what-ifs beside mutations and reads', () => {
  let s: TestServer;
  let tokens: RoleTokens;
  let locker: pg.Client;
  beforeAll(async () => {
    // A pool of 3: one what-if at a time (ANALYSIS_SLOTS defaults to a third), two connections left.
    s = await startTestServer({ AUTH: 'on', DATABASE_POOL_SIZE: '3', WHATIF_STATEMENT_TIMEOUT_MS: '60000', STATEMENT_TIMEOUT_MS: '60000' });
    tokens = await roleTokens(s);
    await registerHost(s, 'compute-1', '10.0.0.11');
    const net = await createNetwork(s, { name: 'na', projectId: PROJECT_A });
    await createSubnet(s, { networkId: net.id, cidr: '10.2.0.0/24' });
    for (const name of ['a1', 'a2']) await bootInstance(s, { name, projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: net.id }] });
    locker = await connectTo(s);
  });
  afterAll(async () => {
    await locker?.end();
    await s?.stop();
  });

  it('serves a mutation and a read of another project while more what-ifs than the pool holds are in flight', async () => {
    // The what-ifs wait on the instances' lock: the pool would be theirs without their share.
    const release = await lockTables(locker, ['Instance']);
    const whatIfs = Array.from({ length: 4 }, () => requestAs(s, tokens.A, WHAT_IF, { p: PROJECT_A }));
    try {
      expect(await eventually(async () => (await waitingOnLocks(locker)) === 1)).toBe(true);
      const created = await requestAs(s, tokens.B, `mutation { createNetwork(input: { name: "nb" }) { network { name } userErrors { message } } }`);
      expect(created.body).toMatchObject({ data: { createNetwork: { network: { name: 'nb' }, userErrors: [] } } });
      const read = await requestAs(s, tokens.B, '{ networks(first: 5) { nodes { name } } }');
      expect(read.body).toMatchObject({ data: { networks: { nodes: [{ name: 'nb' }] } } });
    } finally {
      await release();
    }
    for (const { body } of await Promise.all(whatIfs)) expect(body).toEqual({ data: { whatIf: { summary: { pairs: 2 }, userErrors: [] } }, extensions: expect.anything() });
  });

  it.each([['a what-if', WHAT_IF, { p: PROJECT_A }], ['a path', PATH, {}]])('cancels in the database %s whose client went away', async (_, query, variables) => {
    const release = await lockTables(locker, ['Instance']);
    try {
      const abandoned = new AbortController();
      const sent = fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.admin}` },
        body: JSON.stringify({ query, variables }),
        signal: abandoned.signal,
      }).catch((error: unknown) => error);
      expect(await eventually(async () => (await waitingOnLocks(locker)) === 1)).toBe(true);
      abandoned.abort();
      expect(await sent).toMatchObject({ name: 'AbortError' });
      // Still locked: only the cancel ends the statement (its own timeouts are a minute).
      expect(await eventually(async () => (await waitingOnLocks(locker)) === 0)).toBe(true);
    } finally {
      await release();
    }
    // The server goes on answering, and nothing of the abandoned request holds a connection.
    expect((await requestAs(s, tokens.admin, WHAT_IF, { p: PROJECT_A })).body.data).toEqual({ whatIf: { summary: { pairs: 2 }, userErrors: [] } });
  });
});

describePostgres('statement_timeout per kind of request', () => {
  let s: TestServer;
  let locker: pg.Client;
  beforeAll(async () => {
    s = await startTestServer({ STATEMENT_TIMEOUT_MS: '300', MUTATION_STATEMENT_TIMEOUT_MS: '400', WHATIF_STATEMENT_TIMEOUT_MS: '500' });
    locker = await connectTo(s);
  });
  afterAll(async () => {
    await locker?.end();
    await s?.stop();
  });

  it('stops a read, a mutation and a what-if over theirs with STATEMENT_TIMEOUT, and serves them once free', async () => {
    const release = await lockTables(locker, ['Network', 'Instance']);
    try {
      expect(codesOf(await s.request('{ networks(first: 1) { totalCount } }'))).toEqual(['STATEMENT_TIMEOUT']);
      expect(codesOf(await s.request('mutation { createNetwork(input: { name: "late", projectId: "p1" }) { network { id } userErrors { message } } }'))).toEqual(['STATEMENT_TIMEOUT']);
      const whatIf = await s.request(WHAT_IF, { p: 'p1' });
      expect(whatIf.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('statement_timeout'), extensions: { code: 'STATEMENT_TIMEOUT' } })]);
    } finally {
      await release();
    }
    expect(await s.gql('{ networks(first: 1) { totalCount } }')).toEqual({ networks: { totalCount: 0 } });
    expect((await s.gql(WHAT_IF, { p: 'p1' })).whatIf.summary).toEqual({ pairs: 0 });
  });
});
