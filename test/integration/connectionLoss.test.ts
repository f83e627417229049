// The database connection of a mutation dies half-way: bootInstance with
// three networks has written the instance and two ports when it waits for a
// row lock held here; its backend is then terminated. Nothing of it may
// remain, and the server goes on serving. PostgreSQL only: PGlite has no
// second connection to kill from.
import { jest } from '@jest/globals';
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

  it('leaves nothing partial behind, and the next request works', async () => {
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
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(body.errors?.[0].message).toBe('Internal server error');
    expect(await rowCounts(s)).toEqual(before);
    expect(await s.db.prisma.instance.count({ where: { name: 'victim' } })).toBe(0);

    const next = await boot('survivor');
    expect(next.errors).toBeUndefined();
    expect(next.data.bootInstance.userErrors).toEqual([]);
    expect(next.data.bootInstance.instance.ports).toHaveLength(3);
  });
});
