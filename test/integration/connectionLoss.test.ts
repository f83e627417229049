// The database connection of a mutation dies half-way: bootInstance with
// three networks has written the instance and two ports when it waits for a
// row lock held here; its backend is then terminated (SQLSTATE 57P01). The
// transaction died before its commit, so the mutation runs again on a fresh
// connection: the client sees one success, never an internal error, and the
// database holds exactly one instance with its ports. Then backends are
// killed over and over under a stream of reads and writes: every request
// still succeeds. PostgreSQL only: PGlite has no second connection to kill
// from.
import { jest } from '@jest/globals';
import pg from 'pg';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createNetwork, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';
import { usingPostgres } from '../support/database.js';

const describePostgres = usingPostgres() ? describe : describe.skip;
jest.setTimeout(120_000);

describePostgres('a mutation whose database connection is killed', () => {
  let s: TestServer;
  const networks: string[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    await registerHost(s, 'compute-1', '10.0.0.11');
    for (let i = 0; i < 3; i++) {
      const net = await createNetwork(s, { name: `n${i}` });
      await createSubnet(s, { networkId: net.id, cidr: `10.${i}.0.0/24`, enableDhcp: false });
      networks.push(net.id);
    }
  });
  afterAll(async () => s?.stop());

  const boot = (name: string) =>
    s.request(`mutation($i: BootInstanceInput!) { bootInstance(input: $i) { instance { id ports { id status } } ${USER_ERRORS} } }`, {
      i: { name, projectId: 'p1', hostName: 'compute-1', networks: networks.map((networkId) => ({ networkId })) },
    });

  async function waitingBackend(exceptPid: number): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const rows = await s.db.prisma.$queryRaw<{ pid: number }[]>`
        SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> ${exceptPid}`;
      if (rows.length > 0) return rows[0].pid;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the mutation never waited for the lock');
  }

  it('runs the mutation again on a fresh connection: one instance, all its ports, no error', async () => {
    const before = await rowCounts(s);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: (pid: number) => void;
    const lockerPid = new Promise<number>((r) => (locked = r));
    // Holds the third network's row lock: the boot stops there, with the first two ports written.
    const locker = s.db.prisma.$transaction(
      async (tx) => {
        const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        await tx.$queryRaw`SELECT 1 FROM "Network" WHERE id = ${networks[2]}::uuid FOR UPDATE`;
        locked(pid);
        await released;
      },
      { timeout: 60_000 },
    );
    const pid = await lockerPid;
    const pending = boot('victim');
    const victim = await waitingBackend(pid);
    const [{ partial }] = await s.db.prisma.$queryRaw<{ partial: bigint }[]>`
      SELECT count(*) AS partial FROM pg_locks WHERE pid = ${victim} AND locktype = 'relation' AND mode = 'RowExclusiveLock'`;
    expect(Number(partial)).toBeGreaterThan(0); // it has written rows by now
    await s.db.prisma.$queryRaw`SELECT pg_terminate_backend(${victim}::int)`;
    release();
    await locker;

    const body = await pending;
    expect(body.errors).toBeUndefined();
    expect(body.data.bootInstance.userErrors).toEqual([]);
    expect(body.data.bootInstance.instance.ports).toHaveLength(3);
    expect(await s.db.prisma.instance.count({ where: { name: 'victim' } })).toBe(1);
    const after = await rowCounts(s);
    expect(after.Instance).toBe(before.Instance + 1);
    expect(after.Port).toBe(before.Port + 3);

    const next = await boot('survivor');
    expect(next.errors).toBeUndefined();
    expect(next.data.bootInstance.userErrors).toEqual([]);
    expect(next.data.bootInstance.instance.ports).toHaveLength(3);
  });

  it('answers every read and write while backends are terminated under them', async () => {
    // The killer has a connection of its own, outside the server's pool.
    const [{ name }] = await s.db.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    let killing = true;
    let killed = 0;
    const killer = (async () => {
      while (killing) {
        // One backend at a time, every 200 ms: connections die under running statements, idle ones and open transactions.
        const { rows } = await admin.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
           ORDER BY random() LIMIT 1`,
        );
        killed += rows.filter((r) => r.ok).length;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const answers = [];
    try {
      for (let round = 0; round < 12; round++) {
        answers.push(
          ...(await Promise.all([
            s.request('{ networks { totalCount edges { node { id name subnets { cidr } } } } }'),
            s.request('{ hosts { totalCount edges { node { name localVlans { vlan } } } } }'),
            s.request('{ instances { totalCount } }'),
            s.request(`mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id } ${USER_ERRORS} } }`, { i: { name: `churn-${round}`, projectId: 'p1' } }),
          ])),
        );
      }
    } finally {
      killing = false;
      await killer;
      await admin.end();
    }
    expect(killed).toBeGreaterThan(0);
    const failures = answers.filter((a) => a.errors);
    // A commit whose connection died is the one case that cannot be repeated blindly; it says so.
    expect(failures.flatMap((a) => a.errors!.map((e) => e.extensions?.code)).filter((code) => code !== 'COMMIT_IN_DOUBT')).toEqual([]);
    const created = answers.filter((a) => a.data?.createNetwork?.network).length;
    expect(await s.db.prisma.network.count({ where: { name: { startsWith: 'churn-' } } })).toBeGreaterThanOrEqual(created);
  });
});
