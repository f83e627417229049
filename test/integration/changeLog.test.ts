// The change log over HTTP: every committed mutation writes its changes in
// its own transaction (allocations included), attributed to its token and
// mutation; refused mutations and what-ifs write nothing; a project reads
// only its own objects' changes; pages run both ways; concurrent writers
// never let a reader that resumes "after N" miss a change; retention prunes.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';
import { PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

const CHANGE = 'sequence committedAt action objectType objectId parentId projectId before after changeSet { id source actor { system tokenId projectId } }';
const CHANGES = `query($first: Int, $after: String, $last: Int, $before: String, $order: ChangeOrder, $filter: ChangeFilter) {
  changes(first: $first, after: $after, last: $last, before: $before, order: $order, filter: $filter) {
    edges { cursor node { ${CHANGE} } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

interface Change {
  sequence: number;
  committedAt: string;
  action: string;
  objectType: string;
  objectId: string;
  parentId: string | null;
  projectId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changeSet: { id: string; source: string; actor: { system: boolean; tokenId: string | null; projectId: string | null } };
}

let s: TestServer;
let tokens: RoleTokens;

const changesAs = async (token: string | null, variables: Record<string, unknown> = {}) => {
  const { body } = await requestAs(s, token, CHANGES, { first: 500, ...variables });
  expect(body.errors).toBeUndefined();
  return body.data.changes as { edges: { cursor: string; node: Change }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } };
};
const allChanges = async (token: string | null = tokens.admin, filter: Record<string, unknown> = {}) => {
  const out: Change[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await changesAs(token, { filter, after });
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
};
const latest = async () => (await changesAs(tokens.admin, { first: 1, order: 'NEWEST_FIRST' })).edges[0]?.node.sequence ?? 0;

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on', CHANGES_PRUNE_INTERVAL_MS: '200' });
  tokens = await roleTokens(s);
  await registerHost(s, 'compute-1', '10.0.0.11');
  await registerHost(s, 'network-1', '10.0.0.21', ['NETWORK']);
});
afterAll(async () => s?.stop());

const adminTokenId = async () => (await s.db.prisma.apiToken.findFirstOrThrow({ where: { admin: true } })).id;

test('a mutation writes its objects and allocations as one change set, attributed to its token and mutation', async () => {
  const before = await latest();
  const net = await createNetwork(s, { name: 'log-net', projectId: PROJECT_A });
  const changes = (await allChanges()).filter((c) => c.sequence > before);
  expect(changes.map((c) => [c.objectType, c.action, c.objectId])).toEqual(
    expect.arrayContaining([
      ['NETWORK', 'CREATED', net.id],
      ['SEGMENT', 'CREATED', net.id],
    ]),
  );
  const network = changes.find((c) => c.objectType === 'NETWORK')!;
  expect(network.projectId).toBe(PROJECT_A);
  expect(network.before).toBeNull();
  expect(network.after).toMatchObject({ id: net.id, name: 'log-net' });
  // The network as its changes leave it: created, then given its segment.
  const state = Object.assign({}, ...changes.filter((c) => c.objectType === 'NETWORK').map((c) => c.after));
  expect(state).toMatchObject({ segmentationId: net.segmentationId });
  const segment = changes.find((c) => c.objectType === 'SEGMENT')!;
  expect(segment).toMatchObject({ projectId: null, parentId: net.id });
  // One set, numbered without gaps in the order it wrote.
  expect(new Set(changes.map((c) => c.changeSet.id)).size).toBe(1);
  expect(changes.map((c) => c.sequence)).toEqual(changes.map((_, i) => before + 1 + i));
  expect(network.changeSet).toMatchObject({ source: 'createNetwork', actor: { system: false, tokenId: await adminTokenId(), projectId: null } });
});

test('booting an instance logs its port, fixed IP, local VLAN and binding; the change set reads them together', async () => {
  const net = await createNetwork(s, { name: 'boot-net', projectId: PROJECT_A });
  await createSubnet(s, { networkId: net.id, cidr: '10.40.0.0/24' });
  const before = await latest();
  const vm = await bootInstance(s, { name: 'vm-log', projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: net.id }] });
  const changes = (await allChanges()).filter((c) => c.sequence > before);
  const kinds = new Set(changes.map((c) => c.objectType));
  for (const kind of ['INSTANCE', 'PORT', 'IP_ALLOCATION', 'LOCAL_VLAN']) expect(kinds).toContain(kind);
  const vlan = changes.find((c) => c.objectType === 'LOCAL_VLAN')!;
  expect(vlan.after).toMatchObject({ networkId: net.id, vlan: expect.any(Number) });
  const address = changes.find((c) => c.objectType === 'IP_ALLOCATION')!;
  expect(address).toMatchObject({ parentId: vm.ports[0].id, projectId: PROJECT_A });

  const setId = changes[0].changeSet.id;
  const { body } = await requestAs(s, tokens.admin, `query($id: ID!) { changeSet(id: $id) { id source firstSequence lastSequence changes { sequence objectType } } }`, { id: setId });
  expect(body.data.changeSet).toMatchObject({ id: setId, source: 'bootInstance', firstSequence: before + 1, lastSequence: changes.at(-1)!.sequence });
  expect(body.data.changeSet.changes.map((c: Change) => c.sequence)).toEqual(changes.map((c) => c.sequence));
});

test('an update logs only the fields that changed, before and after', async () => {
  const host = await registerHost(s, 'compute-flap', '10.0.0.31');
  const before = await latest();
  const data = await s.gql(`mutation { setHostStatus(input: { hostName: "compute-flap", up: false }) { host { up } ${USER_ERRORS} } }`);
  expect(data.setHostStatus.userErrors).toEqual([]);
  const changes = (await allChanges()).filter((c) => c.sequence > before);
  expect(changes).toHaveLength(1);
  expect(changes[0]).toMatchObject({ objectType: 'HOST', objectId: host.id, action: 'UPDATED', before: { up: true }, after: { up: false } });
});

test('a refused mutation and a what-if write nothing to the log', async () => {
  const before = await latest();
  const refused = await s.gql(`mutation { createSubnet(input: { networkId: "00000000-0000-4000-8000-000000000000", cidr: "10.9.0.0/24" }) { ${USER_ERRORS} } }`);
  expect(refused.createSubnet.userErrors.length).toBeGreaterThan(0);
  const whatIf = await s.gql(`query { whatIf(changes: [{ setHostStatus: { hostName: "compute-1", up: false } }]) { __typename } }`);
  expect(whatIf.whatIf.__typename).toBeDefined();
  expect(await latest()).toBe(before);
  expect(await s.db.prisma.change.count({ where: { sequence: null } })).toBe(0);
});

test('a project reads only its own objects changes: never another project, hosts, local VLANs or segments; host fields are cut', async () => {
  const netB = await createNetwork(s, { name: 'b-net', projectId: PROJECT_B });
  await createSubnet(s, { networkId: netB.id, cidr: '10.41.0.0/24' });
  await bootInstance(s, { name: 'vm-b', projectId: PROJECT_B, hostName: 'compute-1', networks: [{ networkId: netB.id }] });

  const seenByA = await allChanges(tokens.A);
  expect(seenByA.length).toBeGreaterThan(0);
  expect(seenByA.every((c) => c.projectId === PROJECT_A)).toBe(true);
  expect(seenByA.some((c) => ['HOST', 'LOCAL_VLAN', 'SEGMENT'].includes(c.objectType))).toBe(false);
  expect(seenByA.some((c) => JSON.stringify([c.before, c.after]).includes('hostId'))).toBe(false);
  // Not even by id, nor by asking for B's project.
  expect(await allChanges(tokens.A, { objectId: netB.id })).toEqual([]);
  expect(await allChanges(tokens.A, { projectId: PROJECT_B })).toEqual([]);
  const bSet = (await allChanges(tokens.admin, { objectId: netB.id }))[0].changeSet.id;
  const { body } = await requestAs(s, tokens.A, `query($id: ID!) { changeSet(id: $id) { id } }`, { id: bSet });
  expect(body.data.changeSet).toBeNull();
  // The admin sees B's changes and the host fields.
  const seenByAdmin = await allChanges(tokens.admin, { projectId: PROJECT_B });
  expect(seenByAdmin.some((c) => c.objectType === 'PORT' && c.after && 'hostId' in c.after)).toBe(true);
});

test('a project token is the actor of its own mutations; actor and type filters narrow the list', async () => {
  const { body } = await requestAs(s, tokens.A, `mutation { createSecurityGroup(input: { name: "mine" }) { securityGroup { id } ${USER_ERRORS} } }`);
  const groupId = body.data.createSecurityGroup.securityGroup.id;
  const tokenA = await s.db.prisma.apiToken.findFirstOrThrow({ where: { projectId: PROJECT_A, readOnly: false } });
  const mine = await allChanges(tokens.A, { actor: tokenA.id });
  expect(mine.map((c) => c.objectId)).toContain(groupId);
  expect(mine.every((c) => c.changeSet.actor.tokenId === tokenA.id && c.changeSet.actor.projectId === PROJECT_A)).toBe(true);
  const groups = await allChanges(tokens.admin, { objectType: 'SECURITY_GROUP' });
  expect(groups.length).toBeGreaterThan(0);
  expect(groups.every((c) => c.objectType === 'SECURITY_GROUP')).toBe(true);
  // Writes outside any request (here: a direct SQL update) are the system's.
  await s.db.prisma.host.update({ where: { name: 'compute-flap' }, data: { up: true } });
  const system = await allChanges(tokens.admin, { actor: 'system' });
  expect(system.at(-1)).toMatchObject({ objectType: 'HOST', changeSet: { source: 'system', actor: { system: true, tokenId: null } } });
});

test('since and until select by commit time', async () => {
  const all = await allChanges();
  const middle = all[Math.floor(all.length / 2)];
  const since = await allChanges(tokens.admin, { since: middle.committedAt });
  expect(since.length).toBeGreaterThan(0);
  expect(since.every((c) => c.committedAt >= middle.committedAt)).toBe(true);
  const until = await allChanges(tokens.admin, { until: middle.committedAt });
  expect(until.every((c) => c.committedAt < middle.committedAt)).toBe(true);
  expect(since.length + until.length).toBe(all.length);
});

test('pages run forward and backward, oldest or newest first, and agree with each other', async () => {
  const all = (await allChanges()).map((c) => c.sequence);
  expect(all.length).toBeGreaterThan(10);
  const walk = async (order: string, backward: boolean) => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await changesAs(tokens.admin, backward ? { first: null, last: 3, before: cursor, order } : { first: 3, after: cursor, order });
      const sequences = page.edges.map((e) => e.node.sequence);
      if (backward) seen.unshift(...sequences);
      else seen.push(...sequences);
      const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
      if (!more) return seen;
      cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
    }
  };
  expect(await walk('OLDEST_FIRST', false)).toEqual(all);
  expect(await walk('OLDEST_FIRST', true)).toEqual(all);
  const newest = [...all].reverse();
  expect(await walk('NEWEST_FIRST', false)).toEqual(newest);
  expect(await walk('NEWEST_FIRST', true)).toEqual(newest);
  const { body } = await requestAs(s, tokens.admin, CHANGES, { first: 2, last: 2 });
  expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('a reader that resumes after the last sequence it saw misses nothing while writers commit concurrently', async () => {
  const net = await createNetwork(s, { name: 'race-net', projectId: PROJECT_A });
  await createSubnet(s, { networkId: net.id, cidr: '10.42.0.0/24', enableDhcp: false });
  const start = await latest();
  const seen: number[] = [];
  let writing = true;
  const reader = (async () => {
    let after = start;
    const poll = async () => {
      for (;;) {
        const page = await changesAs(tokens.admin, { after: Buffer.from(`seq:${after}`).toString('base64url') });
        const sequences = page.edges.map((e) => e.node.sequence);
        seen.push(...sequences);
        if (sequences.length) after = sequences.at(-1)!;
        if (!page.pageInfo.hasNextPage) return;
      }
    };
    while (writing) await poll();
    await poll();
  })();
  await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      s.gql(`mutation($i: CreatePortInput!) { createPort(input: $i) { ${USER_ERRORS} } }`, { i: { networkId: net.id, projectId: PROJECT_A, name: `race-${i}` } }),
    ),
  );
  writing = false;
  await reader;
  const logged = (await allChanges()).map((c) => c.sequence).filter((n) => n > start);
  expect(logged.length).toBeGreaterThanOrEqual(24 * 2);
  expect(seen).toEqual(logged);
});

test('retention prunes change sets older than CHANGES_RETENTION_DAYS and keeps the rest', async () => {
  const sets = await s.db.prisma.changeSet.findMany({ orderBy: { lastSequence: 'asc' }, take: 3 });
  // Counted before they expire: the pruner may take them as soon as they have.
  const total = await s.db.prisma.changeSet.count();
  await s.db.prisma.$executeRaw`UPDATE "ChangeSet" SET "committedAt" = now() - interval '31 days' WHERE id = ANY(${sets.map((x) => x.id)}::uuid[])`;
  for (let i = 0; i < 200 && (await s.db.prisma.changeSet.count({ where: { id: { in: sets.map((x) => x.id) } } })) > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await s.db.prisma.changeSet.count({ where: { id: { in: sets.map((x) => x.id) } } })).toBe(0);
  expect(await s.db.prisma.change.count({ where: { changeSetId: { in: sets.map((x) => x.id) } } })).toBe(0);
  expect(await s.db.prisma.changeSet.count()).toBe(total - sets.length);
});

test('retention prunes webhook delivery attempts as old as expired changes', async () => {
  const webhook = await s.db.prisma.webhook.create({ data: { id: '00000000-0000-4000-8000-0000000000aa', url: 'http://127.0.0.1:9/x', secret: 'a-webhook-secret-of-some-length', filter: { objectType: 'HOST', projectId: 'none' }, cursor: 0n } });
  const old = await s.db.prisma.webhookAttempt.create({ data: { webhookId: webhook.id, sequence: 1n, status: 500, error: 'HTTP 500', delivered: false, attemptedAt: new Date(Date.now() - 31 * 86_400_000) } });
  const recent = await s.db.prisma.webhookAttempt.create({ data: { webhookId: webhook.id, sequence: 2n, status: 200, delivered: true } });
  for (let i = 0; i < 200 && (await s.db.prisma.webhookAttempt.count({ where: { id: old.id } })) > 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await s.db.prisma.webhookAttempt.count({ where: { id: old.id } })).toBe(0);
  expect(await s.db.prisma.webhookAttempt.count({ where: { id: recent.id } })).toBe(1);
});
