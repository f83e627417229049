// Bearer tokens: who gets in, what a look-up costs, that a revocation
// bites at once, the first admin token, the token CLI and AUTH=off.
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/store/db.js';
import { startServer } from '../../src/server.js';
import { createFirstAdminToken, createToken, listTokens, revokeToken } from '../../src/auth/tokenStore.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { codesOf, requestAs } from '../support/auth.js';
import { tokenCommand } from '../../src/commands/token.js';

jest.setTimeout(120_000);

let s: TestServer;

beforeAll(async () => {
  // A cache longer than the file: a revocation that bites is not the TTL's doing.
  s = await startTestServer({ AUTH: 'on', AUTH_CACHE_TTL_MS: '60000' });
});
afterAll(async () => s?.stop());

const raw = (headers: Record<string, string>) =>
  fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });

describe('who gets in', () => {
  it('refuses a request without a token: HTTP 401, UNAUTHENTICATED, WWW-Authenticate: Bearer', async () => {
    const res = await raw({});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const body = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['an empty bearer', 'Bearer '],
    ['a malformed token', 'Bearer not-a-token'],
    ['an unknown token', `Bearer ngt_${'A'.repeat(43)}`],
    ['SQL in the token', "Bearer ngt_' OR 1=1 --"],
  ])('refuses %s', async (_, authorization) => {
    const res = await raw({ authorization });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('lets a valid token in, whatever the case of "Bearer"', async () => {
    const { secret } = await createToken(s.db.prisma, { admin: false, projectId: 'p-in' });
    expect((await requestAs(s, secret, '{ __typename }')).body).toMatchObject({ data: { __typename: 'Query' } });
    expect((await raw({ authorization: `bearer ${secret}` })).status).toBe(200);
  });
});

describe('the look-up cache', () => {
  it('reads the token from the database once, not on every request', async () => {
    const { secret } = await createToken(s.db.prisma, { admin: false, projectId: 'p-cache' });
    const first = await requestAs(s, secret, '{ __typename }');
    const second = await requestAs(s, secret, '{ __typename }');
    expect(first.body.extensions?.sqlStatements).toBe(1);
    expect(second.body.extensions?.sqlStatements).toBe(0);
  });

  it('forgets a token revoked in the database by another process (the CLI) when told, long before AUTH_CACHE_TTL_MS', async () => {
    const { token, secret } = await createToken(s.db.prisma, { admin: false, projectId: 'p-revoke' });
    expect((await requestAs(s, secret, '{ __typename }')).status).toBe(200);
    // Not through this server's API: only the database's notification tells it.
    await revokeToken(s.db.prisma, token.id);
    let after = await requestAs(s, secret, '{ __typename }');
    for (let i = 0; i < 50 && after.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await requestAs(s, secret, '{ __typename }');
    }
    expect(after.status).toBe(401);
    expect(codesOf(after.body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the first admin token', () => {
  let database: TestDatabase;
  afterAll(async () => database?.drop());

  it('is created only when there is no token at all, and only once', async () => {
    database = await createTestDatabase();
    const db = await openDatabase(database.target);
    try {
      const results = await Promise.all([createFirstAdminToken(db.prisma), createFirstAdminToken(db.prisma)]);
      const secrets = results.filter((r): r is string => r !== null);
      expect(secrets).toHaveLength(1);
      expect(secrets[0]).toMatch(/^ngt_[A-Za-z0-9_-]{43}$/);
      const [only] = await listTokens(db.prisma);
      expect(only).toMatchObject({ admin: true, projectId: null, readOnly: false, revokedAt: null });
      // Revoked, it still counts: no new admin token appears on the next start.
      await revokeToken(db.prisma, only.id);
      expect(await createFirstAdminToken(db.prisma)).toBeNull();
      expect(await listTokens(db.prisma)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});

describe('the token command', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = database.target;
    // No NG_URL and no server holding the folder: the command works in the database itself.
    env = { ...process.env, LOG_LEVEL: 'warn', NG_URL: '', ...(target.kind === 'postgres' ? { DATABASE_URL: target.url } : { DATABASE_URL: '', DATA_DIR: target.dataDir }) };
  });
  afterAll(async () => database?.drop());

  /** In-process, as the CLI's dispatch runs it. */
  const token = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await tokenCommand(args, env, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    return { code, stdout, stderr };
  };

  it('is a command of the CLI: the secret alone on stdout', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'token', 'create', '--admin', '--name', 'ops'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ngt_[A-Za-z0-9_-]{43}\n$/);
    expect(stderr).toContain('(admin, read-write); the secret below is shown only this once');
  });

  it('creates, lists without secrets, and revokes', async () => {
    const created = await token('create', '--project', 'proj-cli', '--read-only', '--name', 'dashboard');
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^ngt_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('project proj-cli, read-only');

    const listed = await token('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/dashboard\s+project proj-cli\s+read-only/);
    expect(listed.stdout).toMatch(/ops\s+admin\s+read-write/);
    expect(listed.stdout).not.toContain('ngt_');

    const id = /^([0-9a-f-]{36})\s+dashboard/m.exec(listed.stdout)![1];
    const revoked = await token('revoke', id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked token ${id}`);
    expect((await token('list')).stdout).toMatch(new RegExp(`${id}\\s+dashboard.*\\d{4}-\\d\\d-\\d\\dT.*\\d{4}-\\d\\d-\\d\\dT`));
  });

  it('refuses what it cannot do, with the usage', async () => {
    expect((await token('create')).stderr).toContain('give either --project <id> or --admin');
    expect((await token('create', '--admin', '--project', 'p')).code).toBe(1);
    const bad = await token('create', '--project', 'no spaces allowed');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('project id');
    expect((await token('revoke', '00000000-0000-4000-8000-000000000000')).stderr).toContain('no token has id');
    expect((await token('revoke', 'x')).stderr).toContain("'x' is not a token id");
    const unknown = await token('frobnicate');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('usage: token create');
  });
});

describe('AUTH=off', () => {
  it('serves every request as an admin and warns at start', async () => {
    const database = await createTestDatabase();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } }));
    const config = { ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH: 'off' }), database: database.target };
    const db = await openDatabase(config.database);
    const server = await startServer(config, db, logger);
    try {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hosts { totalCount } }' }) });
      expect(await res.json()).toEqual({ data: { hosts: { totalCount: 0 } } });
      expect(lines.some((l) => l.includes('AUTH=off') && l.includes('local development only'))).toBe(true);
    } finally {
      await server.stop();
      await db.close();
      await database.drop();
    }
  });

  it('accepts only on or off', () => {
    expect(() => loadConfig({ AUTH: 'maybe' })).toThrow("AUTH must be 'on' or 'off'");
    expect(loadConfig({}).auth.enabled).toBe(true);
  });
});
