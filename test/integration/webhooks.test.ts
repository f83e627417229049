// Webhooks over a real server: createWebhook, then every committed change
// it selects is POSTed, in order, signed (HMAC-SHA256 over
// "<timestamp>.<body>"); a receiver that fails gets the same change again
// with backoff, and, across a server restart, gets it delivered; attempts
// are queryable; a project's webhook carries only its project's changes;
// WEBHOOK_PRIVATE_TARGETS keeps webhooks from non-public addresses, at
// creation and at delivery.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createToken } from '../../src/auth/tokenStore.js';
import { verifySignature } from '../../src/services/webhooks/signature.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { waitUntil } from '../support/subscriptions.js';

jest.setTimeout(120_000);

const SECRET = 'a-webhook-secret-of-some-length';

interface Received {
  body: { webhookId: string; change: { sequence: number; objectType: string; objectId: string; projectId: string | null; action: string } };
  signed: boolean;
}

/** A receiver on 127.0.0.1 that answers `status()` and keeps what it got. */
async function receiver(status: () => number) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const code = status();
      if (code === 200) {
        const signed = verifySignature(SECRET, String(req.headers['x-webhook-timestamp']), raw, String(req.headers['x-webhook-signature']));
        got.push({ body: JSON.parse(raw), signed });
      }
      res.writeHead(code).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, close: () => new Promise((r) => server.close(r)) };
}

let database: TestDatabase;
let db: Database;
let server: RunningServer;
let adminToken: string;
let projectToken: string;

/** The receivers are on 127.0.0.1: a project token's webhooks may reach them unless a test sets WEBHOOK_PRIVATE_TARGETS. */
const start = async (env: Record<string, string | undefined> = { WEBHOOK_PRIVATE_TARGETS: 'all' }) => {
  const config = { ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH: 'on', WEBHOOK_RETRY_BASE_MS: '50', ...env }), database: database.target };
  db = await openDatabase(config.database);
  server = await startServer(config, db, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
};
const stop = async () => {
  await server.stop();
  await db.close();
};
const gql = async (query: string, variables: Record<string, unknown> = {}, token = adminToken) => {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data: any; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};
const createWebhook = async (input: Record<string, unknown>, token = adminToken) => {
  const data = await gql(`mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id url projectId } userErrors { code message } } }`, { i: { secret: SECRET, ...input } }, token);
  expect(data.createWebhook.userErrors).toEqual([]);
  return data.createWebhook.webhook as { id: string; projectId: string | null };
};
const createGroup = async (name: string, projectId: string) =>
  (await gql(`mutation($i: CreateSecurityGroupInput!) { createSecurityGroup(input: $i) { securityGroup { id } } }`, { i: { name, projectId } })).createSecurityGroup.securityGroup.id as string;

beforeAll(async () => {
  database = await createTestDatabase();
  await start();
  adminToken = (await createToken(db.prisma, { admin: true, name: 'admin' })).secret;
  projectToken = (await createToken(db.prisma, { admin: false, projectId: 'proj-a', name: 'a' })).secret;
});
afterAll(async () => {
  await stop().catch(() => undefined);
  await database?.drop();
});

test('signed deliveries, in order; a project webhook gets only its own project; a failing one is retried, then delivered after a restart', async () => {
  const ok = await receiver(() => 200);
  let failing = true;
  const flaky = await receiver(() => (failing ? 500 : 200));
  const all = await createWebhook({ url: ok.url, filter: { objectType: 'SECURITY_GROUP' } });
  const mine = await createWebhook({ url: ok.url.replace('/hook', '/mine'), filter: { objectType: 'SECURITY_GROUP' } }, projectToken);
  expect(mine.projectId).toBe('proj-a');
  const retried = await createWebhook({ url: flaky.url, filter: { objectType: 'SECURITY_GROUP' } });

  const groups = [await createGroup('g1', 'proj-a'), await createGroup('g2', 'proj-b'), await createGroup('g3', 'proj-a')];
  await waitUntil(() => ok.got.length >= 5, 30_000, 'deliveries');
  const toAll = ok.got.filter((g) => g.body.webhookId === all.id);
  const toMine = ok.got.filter((g) => g.body.webhookId === mine.id);
  expect(toAll.map((g) => g.body.change.objectId)).toEqual(groups);
  expect(toMine.map((g) => g.body.change.objectId)).toEqual([groups[0], groups[2]]);
  expect(ok.got.every((g) => g.signed)).toBe(true);
  const sequences = toAll.map((g) => g.body.change.sequence);
  expect(sequences).toEqual([...sequences].sort((a, b) => a - b));

  // The failing receiver has been tried more than once, and the attempts say so.
  const attempts = async () =>
    (await gql(`query { webhooks { id deliveredThrough failingSince attempts { sequence status delivered error } } }`)).webhooks.find((w: { id: string }) => w.id === retried.id);
  for (let i = 0; i < 200 && (await attempts()).attempts.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  const failed = await attempts();
  expect(failed.attempts.length).toBeGreaterThanOrEqual(2);
  expect(failed.attempts.every((a: { status: number; delivered: boolean }) => a.status === 500 && !a.delivered)).toBe(true);
  expect(failed.failingSince).not.toBeNull();

  // Restart while it fails; the receiver recovers; the new process delivers from where the log says.
  await stop();
  failing = false;
  await start();
  await waitUntil(() => flaky.got.length >= 3, 30_000, 'deliveries after the restart');
  expect(flaky.got.map((g) => g.body.change.objectId)).toEqual(groups);
  const after = await attempts();
  expect(after.failingSince).toBeNull();
  expect(after.deliveredThrough).toBe(toAll.at(-1)!.body.change.sequence);
  expect(after.attempts.filter((a: { delivered: boolean }) => a.delivered)).toHaveLength(3);

  // A project token sees and deletes only its own webhooks.
  const seenByA = (await gql(`{ webhooks { id } }`, {}, projectToken)).webhooks.map((w: { id: string }) => w.id);
  expect(seenByA).toEqual([mine.id]);
  const refused = await gql(`mutation($i: DeleteInput!) { deleteWebhook(input: $i) { deletedId userErrors { code } } }`, { i: { id: all.id } }, projectToken);
  expect(refused.deleteWebhook.userErrors.map((e: { code: string }) => e.code)).toEqual(['NOT_FOUND']);
  const deleted = await gql(`mutation($i: DeleteInput!) { deleteWebhook(input: $i) { deletedId userErrors { code } } }`, { i: { id: mine.id } }, projectToken);
  expect(deleted.deleteWebhook.deletedId).toBe(mine.id);
  await Promise.all([ok.close(), flaky.close()]);
});

test('the secret is never returned, and a project token cannot ask for another project', async () => {
  const data = await gql(`mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } userErrors { code field } } }`, { i: { url: 'http://127.0.0.1:9/x', secret: SECRET, projectId: 'proj-b', filter: { objectType: 'HOST' } } }, projectToken);
  expect(data.createWebhook.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'projectId'] }]);
  const short = await gql(`mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { userErrors { code field } } }`, { i: { url: 'http://127.0.0.1:9/x', secret: 'short' } });
  expect(short.createWebhook.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'secret'] }]);
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ query: '{ webhooks { secret } }' }) });
  expect(((await res.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
});

const CREATE = `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id privateTargets } userErrors { code field message } } }`;
const attemptsOf = async (id: string) =>
  (await gql(`query { webhooks { id attempts { delivered error } } }`)).webhooks.find((w: { id: string }) => w.id === id).attempts as { delivered: boolean; error: string | null }[];

test('by default only an admin webhook may target a non-public address; a project one is refused at creation, and at delivery when its address changes', async () => {
  await stop();
  await start({ WEBHOOK_PRIVATE_TARGETS: undefined });
  const local = await receiver(() => 200);
  const port = new URL(local.url).port;
  for (const url of [local.url, 'http://169.254.169.254/latest/meta-data', `http://[::1]:${port}/hook`, `http://localhost:${port}/hook`]) {
    const refused = (await gql(CREATE, { i: { url, secret: SECRET } }, projectToken)).createWebhook;
    expect(refused.webhook).toBeNull();
    expect(refused.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'url'], message: expect.stringContaining('(WEBHOOK_PRIVATE_TARGETS=admin)') }]);
  }
  const byName = (await gql(CREATE, { i: { url: `http://localhost:${port}/hook`, secret: SECRET } }, projectToken)).createWebhook.userErrors[0].message;
  expect(byName).toMatch(/^localhost resolves to an address that is not public;/);
  expect(byName).not.toContain('127.0.0.1');
  const admins = (await gql(CREATE, { i: { url: local.url, secret: SECRET } })).createWebhook;
  expect(admins.userErrors).toEqual([]);
  expect(admins.webhook.privateTargets).toBe(true);

  // Created for a public address, then its address is the receiver's (as a name that is pointed elsewhere would be).
  const filter = { objectType: 'SECURITY_GROUP' };
  const rebound: string[] = [];
  for (const url of [local.url, `http://localhost:${port}/hook`]) {
    const created = (await gql(CREATE, { i: { url: 'http://93.184.215.14/hook', secret: SECRET, filter } }, projectToken)).createWebhook.webhook;
    expect(created.privateTargets).toBe(false);
    await db.prisma.webhook.update({ where: { id: created.id }, data: { url } });
    rebound.push(created.id);
  }
  await createGroup('rebound', 'proj-a');
  const failed = async () => Promise.all(rebound.map(async (id) => (await attemptsOf(id)).at(0)));
  for (let i = 0; i < 200 && (await failed()).includes(undefined); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await failed()).toEqual([
    { delivered: false, error: 'the address 127.0.0.1 is not public (WEBHOOK_PRIVATE_TARGETS)' },
    { delivered: false, error: 'the address of localhost is not public (WEBHOOK_PRIVATE_TARGETS)' },
  ]);
  expect(local.got.filter((g) => rebound.includes(g.body.webhookId))).toEqual([]);
  await Promise.all(rebound.map((id) => gql(`mutation($i: DeleteInput!) { deleteWebhook(input: $i) { deletedId } }`, { i: { id } })));
  await gql(`mutation($i: DeleteInput!) { deleteWebhook(input: $i) { deletedId } }`, { i: { id: admins.webhook.id } });
  await local.close();
});

test('WEBHOOK_PRIVATE_TARGETS=none refuses an admin webhook to a non-public address too', async () => {
  await stop();
  await start({ WEBHOOK_PRIVATE_TARGETS: 'none' });
  const refused = (await gql(CREATE, { i: { url: 'http://127.0.0.1:9/hook', secret: SECRET } })).createWebhook;
  expect(refused.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'url'], message: expect.stringMatching(/^127\.0\.0\.1 is not a public address; no webhook may .*\(WEBHOOK_PRIVATE_TARGETS=none\)$/) }]);
});
