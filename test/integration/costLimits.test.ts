// What analyses cost: what-if, reachability and path are priced by the
// paths they trace, aliases add up, sets known only once resolved are billed
// then; and each token spends from a budget per minute (HTTP 429 beyond).
import { startTestServer, type TestServer } from '../support/testServer.js';
import { codesOf, requestAs } from '../support/auth.js';
import { bootInstance, createNetwork, createSubnet, registerHost } from '../support/fixtures.js';
import { createToken } from '../../src/auth/tokenStore.js';

const INSTANCES = 12;

describe('pricing by work', () => {
  let s: TestServer;
  let net: { id: string };
  beforeAll(async () => {
    s = await startTestServer({ MAX_QUERY_COST: '2000' });
    await registerHost(s, 'compute-1', '10.0.0.11');
    net = await createNetwork(s, { name: 'n1' });
    await createSubnet(s, { networkId: net.id, cidr: '10.1.0.0/24' });
    for (let i = 0; i < INSTANCES; i++) await bootInstance(s, { name: `vm${i}`, hostName: 'compute-1', networks: [{ networkId: net.id }] });
  });
  afterAll(async () => s?.stop());

  const pairs = (n: number) => Array.from({ length: n }, (_, i) => ({ from: { instance: `vm${i % INSTANCES}` }, to: { instance: `vm${(i + 1) % INSTANCES}` } }));
  const WHAT_IFS = (aliases: number) =>
    `query($check: WhatIfCheckInput) { ${Array.from({ length: aliases }, (_, i) => `w${i}: whatIf(changes: [], check: $check) { summary { pairs } }`).join(' ')} }`;

  it('prices a what-if by its pairs, and adds up aliased ones', async () => {
    // 100 pairs traced twice at 8 each: 1,600 and a few fields.
    const one = await s.request(WHAT_IFS(1), { check: { paths: pairs(100) } });
    expect(one.errors).toBeUndefined();
    expect(one.data.w0.summary.pairs).toBe(100);
    const two = await s.request(WHAT_IFS(2), { check: { paths: pairs(100) } });
    expect(two.errors).toEqual([{ message: expect.stringMatching(/^Query cost 32\d\d is above the limit of 2000\.$/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
  });

  it("bills a what-if's project pairs once they are counted, before any is traced", async () => {
    // 12 instances: 132 pairs, 2,112 > 2,000.
    const body = await s.request(WHAT_IFS(1), { check: { projectId: 'p1' } });
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({
      message: "comparing the 132 pairs of project p1 brings this request's cost to 2115, above the limit of 2000 (MAX_QUERY_COST)",
      extensions: { code: 'COST_LIMIT_EXCEEDED' },
    })]);
  });

  it("bills a what-if's set pairs once the sets are expanded", async () => {
    const ports = { networkId: net.id };
    const small = await s.request(WHAT_IFS(1), { check: { sets: [{ sources: { instances: ['vm0', 'vm1'] }, destinations: ports }] } });
    expect(small.data.w0.summary.pairs).toBe(22);
    // 12 ports: 132 pairs, 2,112 > 2,000.
    const big = await s.request(WHAT_IFS(1), { check: { sets: [{ sources: ports, destinations: ports }] } });
    expect(big.errors).toEqual([expect.objectContaining({
      message: "comparing the 132 pairs of check.sets brings this request's cost to 2115, above the limit of 2000 (MAX_QUERY_COST)",
      extensions: { code: 'COST_LIMIT_EXCEEDED' },
    })]);
  });

  const REACH = `query($s: EndpointSetInput!, $d: EndpointSetInput!, $f: [FlowInput!], $b: Boolean) {
    a: reachability(sources: $s, destinations: $d, flows: $f, bidirectional: $b) { pairCount } }`;
  const TWO_REACH = REACH.replace('} }', '} b: reachability(sources: $s, destinations: $d, flows: $f, bidirectional: $b) { pairCount } }');
  const flows = (n: number) => Array.from({ length: n }, (_, i) => ({ protocol: 'TCP', destinationPort: 1000 + i }));

  it('prices reachability by sources × destinations × flows from instance lists', async () => {
    const five = { instances: ['vm0', 'vm1', 'vm2', 'vm3', 'vm4'] };
    // 5 × 5 × 30 flows, twice for the replies: 1,500.
    const one = await s.request(REACH, { s: five, d: five, f: flows(30), b: true });
    expect(one.errors).toBeUndefined();
    expect(one.data.a.pairCount).toBe(600);
    const two = await s.request(TWO_REACH, { s: five, d: five, f: flows(30), b: true });
    expect(codesOf(two)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it("bills a set's members once resolved, naming the pairs and the limit", async () => {
    const project = { projectId: 'p1' };
    const small = await s.request(REACH, { s: project, d: project, f: flows(1), b: false });
    expect(small.data.a.pairCount).toBe(132);
    const big = await s.request(REACH, { s: project, d: project, f: flows(16), b: false });
    expect(big.errors).toEqual([expect.objectContaining({
      message: expect.stringMatching(/^tracing 2112 pairs \(12 sources × 12 destinations × 16 flows\) brings this request's cost to 2114, above the limit of 2000 \(MAX_QUERY_COST\)$/),
      extensions: { code: 'COST_LIMIT_EXCEEDED' },
    })]);
  });
  it("bills a what-if set's port range by its pieces when they are traced", async () => {
    const range = { protocol: 'TCP', destinationPort: 1, destinationPortMax: 65535 };
    const set = (flows: number) => ({ sources: { instances: ['vm0'] }, destinations: { networkId: net.id }, flows: Array(flows).fill(range) });
    // 33 pairs: 528 billed when counted, then 66 more packets (8 each) in each state.
    const fits = await s.request(WHAT_IFS(1), { check: { sets: [set(3)] } });
    expect(fits.data.w0.summary.pairs).toBe(33);
    const over = await s.request(WHAT_IFS(1), { check: { sets: [set(6)] } });
    expect(over.errors).toEqual([expect.objectContaining({
      message: expect.stringMatching(/^tracing the port ranges of check\.sets in 132 more packets brings this request's cost to \d+, above the limit of 2000 \(MAX_QUERY_COST\)$/),
      extensions: { code: 'COST_LIMIT_EXCEEDED' },
    })]);
  });

  it('bills a port range by the pieces its rules cut it into', async () => {
    // No rule of this cloud has a port range: the metadata port alone cuts 1-65535 into three pieces.
    const ranges = Array.from({ length: 6 }, () => ({ protocol: 'TCP', destinationPort: 1, destinationPortMax: 65535 }));
    const one = await s.request(REACH, { s: { instances: ['vm0'] }, d: { instances: ['vm1'] }, f: ranges.slice(0, 1), b: false });
    expect(one.data.a.pairCount).toBe(1);
    const big = await s.request(REACH, { s: { projectId: 'p1' }, d: { projectId: 'p1' }, f: ranges, b: false });
    expect(big.errors).toEqual([expect.objectContaining({
      message: expect.stringMatching(/^tracing 792 pairs \(12 sources × 12 destinations × 6 flows, 2376 packets over the port ranges' pieces\) brings this request's cost to \d+, above the limit of 2000 \(MAX_QUERY_COST\)$/),
      extensions: { code: 'COST_LIMIT_EXCEEDED' },
    })]);
  });
});

describe('the budget per token', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ AUTH: 'on', COST_BUDGET_PER_MINUTE: '100' });
  });
  afterAll(async () => s?.stop());

  // A path is priced by its trace, 8, and its fields 2: ten fit in the budget of 100, the eleventh does not.
  const PATH = '{ path(from: { instance: "a" }, to: { instance: "b" }) { verdict } }';
  const project = async (projectId: string) => (await createToken(s.db.prisma, { admin: false, projectId, readOnly: true, name: projectId })).secret;

  it('refuses a token over its budget with HTTP 429 and Retry-After, and leaves other tokens theirs', async () => {
    const spender = await project('spender');
    for (let i = 0; i < 10; i++) expect(codesOf((await requestAs(s, spender, PATH)).body)).toEqual(['BAD_USER_INPUT']);
    const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${spender}` }, body: JSON.stringify({ query: PATH }) });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toMatchObject({
      errors: [{
        message: `this query costs 10, more than is left of this token's budget of 100 per minute (COST_BUDGET_PER_MINUTE); retry after ${retryAfter} s`,
        extensions: { code: 'RATE_LIMITED', retryAfter },
      }],
    });
    // Another project's token, and the admin's, have their own budgets.
    expect(codesOf((await requestAs(s, await project('other'), PATH)).body)).toEqual(['BAD_USER_INPUT']);
    expect(codesOf((await requestAs(s, s.adminToken, PATH)).body)).toEqual(['BAD_USER_INPUT']);
  });
});
