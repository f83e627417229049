// What one request may ask for, and what a refusal looks like: depth,
// aliases, cost, page size, body size, CSRF, production hardening, and no
// stack trace or internal message in any response.
import { jest } from '@jest/globals';
import { MAX_PAGE } from '../../src/graphql/connection.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { codesOf } from '../support/auth.js';
import { createNetwork } from '../support/fixtures.js';

jest.setTimeout(120_000);

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ MAX_QUERY_DEPTH: '12', MAX_QUERY_ALIASES: '30', MAX_QUERY_COST: '50000' });
});
afterAll(async () => s?.stop());

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => fetch(s.url, { method: 'POST', headers, body });

/** A query `depth` fields deep, through Port > router > gateway > port > router > ... (no lists, so cheap). */
function deepQuery(depth: number): string {
  const cycle = ['router', 'gateway', 'port'];
  const chain = Array.from({ length: depth - 3 }, (_, i) => cycle[i % 3]);
  return `{ ports(first: 1) { nodes { ${chain.map((f) => `${f} { `).join('')}__typename${' }'.repeat(chain.length)} } } }`;
}

describe('query depth', () => {
  it('answers 12 levels and refuses 13 as a validation failure (HTTP 400)', async () => {
    expect((await s.request(deepQuery(12))).errors).toBeUndefined();
    const res = await post(JSON.stringify({ query: deepQuery(13) }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: expect.stringContaining('Query depth limit of 12 exceeded, found 13'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });
});

describe('aliases', () => {
  // __typename is exempt: an alias of it costs nothing.
  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: networks(first: 1) { totalCount }`).join(' ')} }`;
  it('answers 30 and refuses 31', async () => {
    expect((await s.request(aliases(30))).errors).toBeUndefined();
    const body = await s.request(aliases(31));
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringContaining('Aliases limit of 30 exceeded, found 31'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});

describe('cost', () => {
  const nested = 'query($n: Int, $m: Int) { networks(first: $n) { nodes { ports(first: $m) { nodes { id fixedIps { ipAddress } } } } } }';

  it('weighs page sizes from the variables: 500 x 500 is refused, 20 x 20 answered', async () => {
    const big = await post(JSON.stringify({ query: nested, variables: { n: MAX_PAGE, m: MAX_PAGE } }));
    expect(big.status).toBe(400);
    expect(((await big.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]).toEqual({
      message: expect.stringMatching(/^Query cost \d+ is above the limit of 50000\.$/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect((await s.request(nested, { n: 20, m: 20 })).errors).toBeUndefined();
  });

  it('leaves wrongly typed variables to the usual BAD_USER_INPUT', async () => {
    expect(codesOf(await s.request(nested, { n: 'many', m: 1 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps first capped at 500', async () => {
    expect(codesOf(await s.request('{ networks(first: 100000) { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('the request body', () => {
  it('refuses more than MAX_BODY_BYTES with 413 and a JSON error, without a stack', async () => {
    const res = await post(JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1_100_000) } }));
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'request body too large', extensions: { code: 'BAD_REQUEST' } }] });
    expect(text).not.toMatch(/\bat \w|node_modules|stack/i);
  });

  it('refuses a body that is not JSON with 400, without a stack', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
    expect(text).not.toMatch(/\bat \w|node_modules|stack/i);
  });
});

describe('CSRF prevention', () => {
  const url = () => `${s.url}?query=${encodeURIComponent('{ __typename }')}`;

  it('refuses a simple GET (no preflight header) and a form or text POST', async () => {
    const get = await fetch(url());
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('Cross-Site Request Forgery');
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await post('query=%7B__typename%7D', { 'content-type': type });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Cross-Site Request Forgery');
    }
  });

  it('answers a GET that carries apollo-require-preflight', async () => {
    const res = await fetch(url(), { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { __typename: 'Query' } });
  });
});

describe('internal faults', () => {
  it('answer with a fixed message and no stack trace', async () => {
    const net = await createNetwork(s, { name: 'corrupt' });
    // A row no service would write: the CIDR scalar cannot serialize it.
    await s.db.prisma.$executeRawUnsafe(
      `INSERT INTO "Subnet" (id, "networkId", "projectId", cidr, "ipVersion") VALUES ('00000000-0000-4000-8000-0000000000c1', '${net.id}', 'p1', 'not a cidr', 4)`,
    );
    const body = await s.request(`query($n: ID!) { node(id: $n) { ... on Network { subnets { cidr } } } }`, { n: net.id });
    expect(body.errors).toEqual([{ message: 'Internal server error', locations: expect.any(Array), path: ['node', 'subnets', 0, 'cidr'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|exception|not a cidr/i);
    await s.db.prisma.$executeRawUnsafe(`DELETE FROM "Subnet" WHERE id = '00000000-0000-4000-8000-0000000000c1'`);
  });
});

describe('NODE_ENV=production', () => {
  let prod: TestServer;
  beforeAll(async () => {
    prod = await startTestServer({ NODE_ENV: 'production', AUTH: 'on' });
  });
  afterAll(async () => prod?.stop());

  it('refuses introspection', async () => {
    const body = await prod.request('{ __schema { types { name } } }');
    expect(codesOf(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(body.errors?.[0].message).toContain('introspection');
  });

  it('serves no landing page', async () => {
    const res = await fetch(prod.url, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await res.text()).not.toMatch(/<html|<!doctype/i);
  });

  it('hides schema details: no "Did you mean" in errors', async () => {
    const dev = await s.request('{ network { id } }');
    expect(dev.errors?.[0].message).toContain('Did you mean');
    const body = await prod.request('{ network { id } }');
    expect(codesOf(body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(body.errors?.[0].message).not.toContain('Did you mean');
  });
});
