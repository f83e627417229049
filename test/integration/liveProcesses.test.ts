// Two server processes on one PostgreSQL: a subscriber on process A gets,
// in sequence order, every change of the mutations sent to process B
// (LISTEN/NOTIFY carries the news, the log the changes), including those
// of concurrent writers; and a subscriber that reconnects to B with
// resumeAfter misses none. PostgreSQL only: an embedded PGlite belongs to
// one process.
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { jest } from '@jest/globals';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../support/database.js';
import { liveClient, type LiveClient } from '../support/subscriptions.js';

jest.setTimeout(120_000);
const describePostgres = usingPostgres() ? describe : describe.skip;

const SUB = `subscription($resumeAfter: Sequence) { changes(resumeAfter: $resumeAfter) { sequence objectType objectId } }`;

describePostgres('changes committed through one process reach the subscribers of another', () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 2; i++) servers.push(await startServerProcess(database.target, { AUTH: 'off' }));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(servers.map((p) => p.stop()));
    await database?.drop();
  });

  const gql = async (i: number, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(servers[i].url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data: any; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const logged = async (i: number): Promise<number[]> =>
    (await gql(i, `{ changes(first: 500) { nodes { sequence } } }`)).changes.nodes.map((n: { sequence: number }) => n.sequence);

  it('a subscriber on A receives B\'s changes in order, concurrent writers included; a reconnect to B resumes without a gap', async () => {
    const onA = liveClient(servers[0].url, null);
    clients.push(onA);
    const sub = onA.subscribe<{ sequence: number; objectType: string; objectId: string }>(SUB, { resumeAfter: 0 }, (d) => d.changes);
    await gql(1, `mutation { registerHost(input: { name: "cc-1", tunnelIp: "10.200.0.1", roles: [COMPUTE] }) { userErrors { message } } }`);
    // Twenty networks at once through B, ten through A.
    await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        gql(n < 20 ? 1 : 0, `mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { userErrors { message } } }`, { i: { name: `net-${n}`, projectId: 'p' } }),
      ),
    );
    const all = await logged(1);
    await sub.until((events) => events.length >= all.length);
    expect(sub.events.map((e) => e.sequence)).toEqual(all);
    expect(new Set(sub.events.filter((e) => e.objectType === 'NETWORK').map((e) => e.objectId)).size).toBe(30);

    // Reconnect, to the other process, after the last sequence seen.
    const lastSeen = sub.events.at(-1)!.sequence;
    await onA.close();
    await gql(0, `mutation { createNetwork(input: { name: "while-away", projectId: "p" }) { userErrors { message } } }`);
    const onB = liveClient(servers[1].url, null);
    clients.push(onB);
    const resumed = onB.subscribe<{ sequence: number; objectType: string }>(SUB, { resumeAfter: lastSeen }, (d) => d.changes);
    await gql(0, `mutation { createNetwork(input: { name: "after-return", projectId: "p" }) { userErrors { message } } }`);
    const now = await logged(0);
    await resumed.until((events) => events.length >= now.length - all.length);
    expect(resumed.events.map((e) => e.sequence)).toEqual(now.filter((n) => n > lastSeen));
  });
});
