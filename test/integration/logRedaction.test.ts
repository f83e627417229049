// The server's logger writes into a stream read here: a token sent in a
// request (header, cookie, secret-named variable, or quoted in a plain
// string), or created by one, never appears in any log line, while each request's line still
// carries its request id, operation name, token id and duration.
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createToken } from '../../src/auth/tokenStore.js';
import { createLogger } from '../../src/log/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('log lines', () => {
  let database: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let secret: string;
  let tokenId: string;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = { ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH: 'on' }), database: database.target };
    db = await openDatabase(config.database);
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
    server = await startServer(config, db, logger);
    const created = await createToken(db.prisma, { admin: true, name: 'logged' });
    secret = created.secret;
    tokenId = created.token.id;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
    await database?.drop();
  });

  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('never carry a token sent in a request, wherever it was', async () => {
    const query = 'query FindNetworks($token: String, $password: String, $label: String) { a: networks(filter: { nameContains: $token }) { totalCount } b: networks(filter: { nameContains: $password }) { totalCount } c: networks(filter: { nameContains: $label }) { totalCount } }';
    const res = await post(
      { query, operationName: 'FindNetworks', variables: { token: secret, password: `pw-${secret}`, label: `plain-label Bearer ${secret}` } },
      { authorization: `Bearer ${secret}`, cookie: `session=${secret}`, 'x-request-id': 'req-redaction-1' },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { a: { totalCount: number } } }).data.a.totalCount).toBe(0);
    // A well-formed token nobody issued: refused, and not logged either.
    const forged = 'ngt_' + 'Q'.repeat(43);
    expect((await post({ query: '{ __typename }' }, { authorization: `Bearer ${forged}` })).status).toBe(401);

    const log = lines.join('');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(secret.slice(4));
    expect(log).not.toContain(forged);
    // Not vacuous: the request and its variables were logged, with the secrets replaced.
    const operationLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'graphql operation');
    expect(operationLine.variables).toEqual({ token: '[Redacted]', password: '[Redacted]', label: 'plain-label Bearer [Redacted]' });
    const requestLine = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-redaction-1' && l.msg === 'request completed');
    expect(requestLine.req.headers.authorization).toBe('[Redacted]');
    expect(requestLine.req.headers.cookie).toBe('[Redacted]');
  });

  it('never carry the secret createToken answers with, at the debug level either', async () => {
    const res = await post({ query: 'mutation NewToken { createToken(input: { projectId: "p-logged" }) { secret userErrors { message } } }', operationName: 'NewToken' }, { authorization: `Bearer ${secret}` });
    const created = ((await res.json()) as { data: { createToken: { secret: string } } }).data.createToken.secret;
    expect(created).toMatch(/^ngt_/);
    expect(lines.some((l) => l.includes('NewToken'))).toBe(true);
    expect(lines.join('')).not.toContain(created.slice(4));
  });

  it('carry request id, operation name, token id, duration and SQL statements', async () => {
    const res = await post({ query: 'query CountHosts { hosts { totalCount } }' }, { authorization: `Bearer ${secret}`, 'x-request-id': 'req-facts-1' });
    expect(res.status).toBe(200);
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === 'req-facts-1' && l.msg === 'request completed');
    expect(line).toMatchObject({ requestId: 'req-facts-1', operationName: 'CountHosts', operationType: 'query', tokenId });
    expect(typeof line.durationMs).toBe('number');
    expect(line.sqlStatements).toBeGreaterThan(0);
    expect(line.res.statusCode).toBe(200);
  });
});
