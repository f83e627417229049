// Subscription.changes over WebSocket (graphql-ws) on a real server:
// changes arrive in sequence order; a reconnect with resumeAfter misses
// nothing; a project never sees another project's objects; tokens are
// checked on connection_init; limits per connection; a client that cannot
// keep up is dropped with the slow-consumer close code.
import { jest } from '@jest/globals';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';
import { PROJECT_A, PROJECT_B, roleTokens, type RoleTokens } from '../support/auth.js';
import { liveClient, waitUntil, wsUrl } from '../support/subscriptions.js';

jest.setTimeout(120_000);

const SUB = `subscription($filter: ChangeFilter, $resumeAfter: Sequence) {
  changes(filter: $filter, resumeAfter: $resumeAfter) { sequence action objectType objectId projectId after changeSet { source } } }`;

interface Change {
  sequence: number;
  action: string;
  objectType: string;
  objectId: string;
  projectId: string | null;
  after: Record<string, unknown> | null;
  changeSet: { source: string };
}
const pick = (data: { changes: Change }) => data.changes;

let s: TestServer;
let tokens: RoleTokens;
const clients: { close(): Promise<void> }[] = [];
const open = (token: string | null) => {
  const c = liveClient(s.url, token);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on', MAX_SUBSCRIPTIONS_PER_CONNECTION: '3' });
  tokens = await roleTokens(s);
  await registerHost(s, 'compute-1', '10.0.0.11');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await s?.stop();
});

const createSecurityGroup = async (token: string | null, name: string, projectId?: string) => {
  const res = await fetch(s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `mutation($i: CreateSecurityGroupInput!) { createSecurityGroup(input: $i) { securityGroup { id } ${USER_ERRORS} } }`, variables: { i: { name, ...(projectId ? { projectId } : {}) } } }),
  });
  const body = (await res.json()) as { data: { createSecurityGroup: { securityGroup: { id: string } } } };
  return body.data.createSecurityGroup.securityGroup.id;
};
const latest = async () =>
  (await s.gql(`{ changes(last: 1) { nodes { sequence } } }`)).changes.nodes[0]?.sequence ?? 0;
const isAscending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);

test('a subscriber receives every committed change in sequence order', async () => {
  const c = open(tokens.admin);
  const sub = c.subscribe(SUB, { resumeAfter: await latest() }, pick);
  const net = await createNetwork(s, { name: 'live-1', projectId: PROJECT_A });
  await createSubnet(s, { networkId: net.id, cidr: '10.50.0.0/24' });
  const events = await sub.until((e) => e.some((c) => c.objectType === 'SUBNET'));
  expect(isAscending(events.map((e) => e.sequence))).toBe(true);
  expect(events.map((e) => e.objectType)).toEqual(expect.arrayContaining(['NETWORK', 'SEGMENT', 'SUBNET']));
  expect(events.find((e) => e.objectType === 'NETWORK')).toMatchObject({ action: 'CREATED', objectId: net.id, changeSet: { source: 'createNetwork' } });
  // The log agrees with what arrived.
  const logged = (await s.gql(`query($f: ChangeFilter) { changes(first: 500, filter: $f) { nodes { sequence } } }`, {})).changes.nodes.map((n: { sequence: number }) => n.sequence);
  expect(logged.slice(-events.length)).toEqual(events.map((e) => e.sequence));
  sub.stop();
});

test('without resumeAfter a subscription starts at the changes committed after it', async () => {
  const before = await latest();
  const c = open(tokens.admin);
  const sub = c.subscribe(SUB, { filter: { objectType: 'SECURITY_GROUP' } }, pick);
  // The subscription is live once a change committed after it arrives; nothing older may come.
  await waitUntil(() => true);
  let n = 0;
  while (sub.events.length === 0) {
    await createSecurityGroup(tokens.admin, `probe-${n++}`, PROJECT_A);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(sub.events.every((e) => e.sequence > before && e.objectType === 'SECURITY_GROUP')).toBe(true);
  sub.stop();
});

test('a reconnect with resumeAfter loses nothing and repeats nothing', async () => {
  const start = await latest();
  const first = open(tokens.admin);
  const sub1 = first.subscribe(SUB, { resumeAfter: start, filter: { objectType: 'SECURITY_GROUP' } }, pick);
  await createSecurityGroup(tokens.admin, 'r-1', PROJECT_A);
  await createSecurityGroup(tokens.admin, 'r-2', PROJECT_A);
  await sub1.until((e) => e.length >= 2);
  const lastSeen = sub1.events.at(-1)!.sequence;
  await first.close();
  // Committed while nobody listens.
  const missed = [await createSecurityGroup(tokens.admin, 'r-3', PROJECT_A), await createSecurityGroup(tokens.admin, 'r-4', PROJECT_A)];
  const second = open(tokens.admin);
  const sub2 = second.subscribe(SUB, { resumeAfter: lastSeen, filter: { objectType: 'SECURITY_GROUP' } }, pick);
  await sub2.until((e) => e.length >= 2);
  const live = await createSecurityGroup(tokens.admin, 'r-5', PROJECT_A);
  const events = await sub2.until((e) => e.length >= 3);
  expect(events.map((e) => e.objectId)).toEqual([...missed, live]);
  expect(isAscending(events.map((e) => e.sequence))).toBe(true);
  expect(events[0].sequence).toBeGreaterThan(lastSeen);
  sub2.stop();
});

test('a project subscriber never sees another project or admin-only objects', async () => {
  const start = await latest();
  const a = open(tokens.A);
  const subA = a.subscribe(SUB, { resumeAfter: start }, pick);
  // Even when asking for B's objects by id or project.
  const spy = a.subscribe(SUB, { resumeAfter: start, filter: { projectId: PROJECT_B } }, pick);
  const netB = await createNetwork(s, { name: 'b-live', projectId: PROJECT_B });
  await createSecurityGroup(tokens.B, 'b-group');
  const mine = await createSecurityGroup(tokens.A, 'a-group');
  await registerHost(s, 'compute-live', '10.0.0.12');
  const events = await subA.until((e) => e.some((c) => c.objectId === mine));
  expect(events.every((e) => e.projectId === PROJECT_A)).toBe(true);
  expect(events.some((e) => e.objectId === netB.id)).toBe(false);
  // The admin's feed did carry B's network: A's silence is scoping, not lateness.
  const admin = open(tokens.admin).subscribe(SUB, { resumeAfter: start, filter: { objectId: netB.id } }, pick);
  await admin.until((e) => e.some((c) => c.objectType === 'NETWORK'));
  const lastA = await createSecurityGroup(tokens.A, 'a-group-2');
  await subA.until((e) => e.some((c) => c.objectId === lastA));
  expect(spy.events).toEqual([]);
});

test('connection_init without a valid token is refused with 4403', async () => {
  for (const token of [null, 'ng_not-a-real-token']) {
    const c = open(token);
    const sub = c.subscribe(SUB, {}, pick);
    await waitUntil(() => c.closes.length > 0 || sub.errors.length > 0, 20_000, 'the refusal');
    expect(c.closes[0]?.code).toBe(4403);
  }
});

test('a connection holds at most MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions', async () => {
  const c = open(tokens.admin);
  const subs = [0, 1, 2].map(() => c.subscribe(SUB, {}, pick));
  const extra = c.subscribe(SUB, {}, pick);
  await waitUntil(() => extra.errors.length > 0, 20_000, 'the refusal');
  expect(JSON.stringify(extra.errors)).toContain('MAX_SUBSCRIPTIONS_PER_CONNECTION');
  expect(subs.every((x) => x.errors.length === 0)).toBe(true);
  // Closing one makes room for another.
  subs[0].stop();
  await new Promise((r) => setTimeout(r, 200));
  const again = c.subscribe(SUB, { filter: { objectType: 'SECURITY_GROUP' } }, pick);
  const id = await createSecurityGroup(tokens.admin, 'room', PROJECT_A);
  await again.until((e) => e.some((x) => x.objectId === id));
});

test('a subscription over plain HTTP is refused', async () => {
  const body = await s.request(`subscription { changes { sequence } }`);
  expect(body.errors?.length).toBeGreaterThan(0);
});

test('resumeAfter older than what the log keeps is refused, not silently short', async () => {
  const oldest = await s.db.prisma.changeSet.findFirstOrThrow({ orderBy: { lastSequence: 'asc' } });
  await s.db.prisma.changeSet.delete({ where: { id: oldest.id } });
  const c = open(tokens.admin);
  const sub = c.subscribe(SUB, { resumeAfter: 0 }, pick);
  await waitUntil(() => sub.errors.length > 0, 20_000, 'the refusal');
  expect(JSON.stringify(sub.errors)).toContain('older than the change log keeps');
});

test('a client that leaves more than SUBSCRIPTION_MAX_BUFFERED_BYTES unread is dropped with close code 4503', async () => {
  const small = await startTestServer({ AUTH: 'off', SUBSCRIPTION_MAX_BUFFERED_BYTES: '1024' });
  try {
    const socket = new WebSocket(wsUrl(small.url), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { changes { sequence after } }' } }));
    await new Promise((r) => setTimeout(r, 200));
    // Stop reading: nothing the server sends is taken off the socket any more.
    (socket as unknown as { _socket: { pause(): void } })._socket.pause();
    await registerHost(small, 'compute-1', '10.0.0.11');
    const net = await createNetwork(small, { name: 'burst', projectId: 'p1' });
    await createSubnet(small, { networkId: net.id, cidr: '10.60.0.0/24' });
    for (let i = 0; i < 3; i++) {
      await small.gql(`mutation($i: CreatePortInput!) { createPort(input: $i) { ${USER_ERRORS} } }`, { i: { networkId: net.id, projectId: 'p1', name: `burst-${'x'.repeat(200)}-${i}` } });
    }
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(4503);
  } finally {
    await small.stop();
  }
});
