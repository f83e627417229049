// The dashboard and GraphiQL served by the same server, and CORS for
// /graphql: the listed origins' preflights are answered, others refused,
// while Apollo's CSRF prevention still refuses requests sent without one.
import { spawnSync } from 'node:child_process';
import { loadConfig, ConfigError } from '../../src/config.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

const ALLOWED = 'https://dashboard.example.org';
const OTHER = 'https://elsewhere.example.com';

let server: TestServer;
let base: string;

beforeAll(async () => {
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs'], { encoding: 'utf8', timeout: 300_000 });
  if (build.status !== 0) throw new Error(`building the dashboard failed: ${build.stderr}`);
  server = await startTestServer({ CORS_ORIGINS: `${ALLOWED}, http://localhost:5173` });
  base = server.url.replace(/graphql$/, '');
}, 300_000);
afterAll(() => server?.stop());

describe('the dashboard', () => {
  it('is served at / with its bundled script, which is cached for good', async () => {
    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    const script = html.match(/src="\.\/(assets\/index-[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(base + script);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toContain('cytoscape');
  });

  it('answers 404 for an asset that does not exist', async () => {
    expect((await fetch(`${base}assets/nothing-here.js`)).status).toBe(404);
  });
});

describe('GraphiQL', () => {
  it('is served at /graphiql and at /graphql to a browser, from our own assets only', async () => {
    for (const [url, headers] of [[`${base}graphiql`, {}], [`${base}graphql`, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }]] as const) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('id="graphiql"');
      expect(html).not.toMatch(/https?:\/\//);
    }
  });

  it('leaves GET queries and JSON clients of /graphql to GraphQL', async () => {
    const get = await fetch(`${base}graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html, application/json;q=0.9', 'apollo-require-preflight': 'true' } });
    expect(((await get.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
    const json = await fetch(`${base}graphql`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(400);
    expect(await json.text()).not.toContain('id="graphiql"');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(server.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });

  it('answers the preflight of a listed origin', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('refuses the preflight of any other origin, with no CORS header', async () => {
    const res = await preflight(OTHER);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a listed origin read answers, and gives no other origin the header', async () => {
    const ask = (origin: string) =>
      fetch(server.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    const allowed = await ask(ALLOWED);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(((await allowed.json()) as { data: unknown }).data).toEqual({ __typename: 'Query' });
    const other = await ask(OTHER);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("keeps Apollo's CSRF prevention: a request a browser sends without preflight is refused, from a listed origin too", async () => {
    const res = await fetch(server.url, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: ALLOWED } });
    expect(get.status).toBe(400);
  });

  it('is off by default, and CORS_ORIGINS takes origins only', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://b.example:8080' }).corsOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/not an origin/);
  });
});
