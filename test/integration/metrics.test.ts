// /metrics is scraped after a few requests: requests counted by operation,
// type and outcome, latency and SQL histograms per operation, the pool's use
// on PostgreSQL, and Node's event-loop lag; no token in the text.
import { startTestServer, type TestServer } from '../support/testServer.js';
import { usingPostgres } from '../support/database.js';

/** The value of one sample line, e.g. `name{a="b"} 3`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(',') : [];
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  let s: TestServer;
  let text: string;
  const forged = 'ngt_' + 'Z'.repeat(43);

  beforeAll(async () => {
    s = await startTestServer({ AUTH: 'on' });
    await s.gql('query CountHosts { hosts { totalCount } }');
    await s.gql('query CountHosts { hosts { totalCount } }');
    await s.gql('mutation AddNet($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id } userErrors { message } } }', { i: { name: 'm1', projectId: 'p1' } });
    await s.request('{ nosuchfield }');
    await s.request('{ __typename }', {}, { authorization: `Bearer ${forged}` });
    const res = await fetch(s.url.replace('/graphql', '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await res.text();
  });
  afterAll(async () => s?.stop());

  it('counts requests by operation, type and outcome', () => {
    expect(sample(text, 'neutron_graph_graphql_requests_total', { operation: 'CountHosts', type: 'query', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'neutron_graph_graphql_requests_total', { operation: 'AddNet', type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'neutron_graph_graphql_requests_total', { operation: '(anonymous)', type: '(none)', outcome: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sample(text, 'neutron_graph_graphql_requests_total', { operation: '(anonymous)', type: '(none)', outcome: 'UNAUTHENTICATED' })).toBe(1);
  });

  it('has latency and SQL-statement histograms per operation', () => {
    expect(sample(text, 'neutron_graph_graphql_request_duration_seconds_count', { operation: 'CountHosts', type: 'query' })).toBe(2);
    expect(sample(text, 'neutron_graph_graphql_request_duration_seconds_sum', { operation: 'CountHosts', type: 'query' })).toBeGreaterThan(0);
    expect(sample(text, 'neutron_graph_graphql_sql_statements_count', { operation: 'AddNet', type: 'mutation' })).toBe(1);
    expect(sample(text, 'neutron_graph_graphql_sql_statements_sum', { operation: 'AddNet', type: 'mutation' })).toBeGreaterThan(0);
    expect(sample(text, 'neutron_graph_graphql_sql_statements_bucket', { le: '+Inf', operation: 'CountHosts', type: 'query' })).toBe(2);
  });

  it('shows the event-loop lag and, on PostgreSQL, the pool', () => {
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    if (usingPostgres()) {
      expect(sample(text, 'neutron_graph_db_pool_connections', { state: 'max' })).toBe(10);
      expect(sample(text, 'neutron_graph_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    } else {
      expect(text).not.toContain('neutron_graph_db_pool_connections{');
    }
  });

  it('carries no token', () => {
    expect(text).not.toContain('ngt_');
    expect(text).not.toContain(s.adminToken!);
  });
});
