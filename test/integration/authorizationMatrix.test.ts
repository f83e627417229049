// Every Query and Mutation field of the schema, called as admin, project A
// (read-write and read-only), project B and without a token. The list of
// fields comes from the schema: a field without an entry in QUERIES or
// MUTATIONS fails the first test. Adding a field is one line here.
import { jest } from '@jest/globals';
import { buildSchema } from '../../src/graphql/schema.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createPort, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';
import { createToken } from '../../src/auth/tokenStore.js';
import { codesOf, PROJECT_A, requestAs, ROLES, roleTokens, type Role, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

let s: TestServer;
let tokens: RoleTokens;
let ext: { id: string };
/** Objects of project A that the read cases look for. */
const seen: Record<string, string> = {};

// ------------------------------------------------------------ project A's objects, made fresh by admin

let cidrs = 0;
const nextCidr = () => `10.${1 + Math.floor(cidrs / 250)}.${cidrs++ % 250}.0/24`;
let names = 0;
const unique = (prefix: string) => `${prefix}-${++names}`;

async function netA(withSubnet = true) {
  const network = await createNetwork(s, { name: unique('net'), projectId: PROJECT_A });
  const subnet = withSubnet ? await createSubnet(s, { networkId: network.id, cidr: nextCidr(), enableDhcp: false }) : null;
  return { networkId: network.id, subnetId: subnet?.id ?? '' };
}

/**
 * A webhook whose filter selects nothing: no delivery attempt ever changes the row counts, and its
 * public address (a project token's webhook may reach only those) is never contacted.
 */
const QUIET_WEBHOOK = { url: 'http://93.184.215.14:9/hook', secret: 'a-webhook-secret-of-some-length', filter: { objectType: 'HOST', projectId: 'none' } };
const webhookA = async () => {
  const { body } = await requestAs(s, tokens.A, `mutation($i: CreateWebhookInput!) { createWebhook(input: $i) { webhook { id } ${USER_ERRORS} } }`, {
    i: QUIET_WEBHOOK,
  });
  return body.data.createWebhook.webhook.id as string;
};
const one = async (mutation: string, inputType: string, input: Record<string, unknown>, select: string) => {
  const data = await s.gql(`mutation($i: ${inputType}!) { ${mutation}(input: $i) { ${select} ${USER_ERRORS} } }`, { i: input });
  expect(data[mutation].userErrors).toEqual([]);
  return data[mutation];
};
const routerA = async () => (await one('createRouter', 'CreateRouterInput', { name: unique('r'), projectId: PROJECT_A }, 'router { id }')).router.id as string;
const groupA = async () => (await one('createSecurityGroup', 'CreateSecurityGroupInput', { name: unique('sg'), projectId: PROJECT_A }, 'securityGroup { id }')).securityGroup.id as string;
const portA = async () => (await createPort(s, { networkId: (await netA()).networkId, projectId: PROJECT_A })).id;
const instanceA = async () => (await bootInstance(s, { name: unique('vm'), projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: (await netA()).networkId }] })).id;
const fipA = async () =>
  (await one('createFloatingIp', 'CreateFloatingIpInput', { externalNetworkId: ext.id, projectId: PROJECT_A }, 'floatingIp { id }')).floatingIp.id as string;

async function routedA() {
  const routerId = await routerA();
  const net = await netA();
  await one('addRouterInterface', 'RouterInterfaceInput', { routerId, subnetId: net.subnetId }, 'router { id }');
  return { routerId, ...net };
}

async function gatewayA() {
  const routed = await routedA();
  await one('setRouterGateway', 'SetRouterGatewayInput', { routerId: routed.routerId, externalNetworkId: ext.id }, 'router { id }');
  return routed;
}

// ------------------------------------------------------------ the matrix

/**
 * Query outcomes: the object of A is in the answer, is not, the question is
 * refused as one naming a missing object would be (BAD_USER_INPUT), or the
 * field is refused.
 */
type Seen = 'sees' | 'hidden' | 'BAD_USER_INPUT' | 'FORBIDDEN';
interface QueryCase {
  query: string;
  variables?: () => Record<string, unknown>;
  sees: (data: any) => boolean; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect: { admin: Seen; A: Seen; B: Seen };
  /** A-ro, where it differs from A. */
  readOnly?: Seen;
}

/** Mutation outcomes: done; past authorization (the service may still refuse); top-level FORBIDDEN; or exactly these userError codes. */
type Done = 'ok' | 'allowed' | 'FORBIDDEN' | string[];
interface MutationCase {
  input: () => Promise<Record<string, unknown>>;
  expect: { admin: Done; A: Done; B: Done };
}

const has = (id: () => string) => (list: { nodes: { id: string }[] }) => list.nodes.some((n) => n.id === id());
const listCase = (field: string, key: string): QueryCase => ({
  query: `{ ${field}(first: 500) { nodes { id } totalCount } }`,
  sees: (data) => has(() => seen[key])(data[field]),
  expect: { admin: 'sees', A: 'sees', B: 'hidden' },
});
const adminQuery = (query: string, sees: QueryCase['sees']): QueryCase => ({ query, sees, expect: { admin: 'sees', A: 'FORBIDDEN', B: 'FORBIDDEN' } });

const QUERIES: Record<string, QueryCase> = {
  // A reads its own objects' changes; B's log holds none of A's.
  changes: { query: '{ changes(first: 500) { nodes { objectId } } }', sees: (d) => d.changes.nodes.some((n: { objectId: string }) => n.objectId === seen.network), expect: { admin: 'sees', A: 'sees', B: 'hidden' } },
  changeSet: { query: 'query($id: ID!) { changeSet(id: $id) { id } }', variables: () => ({ id: seen.changeSet }), sees: (d) => d.changeSet?.id === seen.changeSet, expect: { admin: 'sees', A: 'sees', B: 'hidden' } },
  diff: { query: '{ diff(since: { sequence: 0 }) { objects { objectId } } }', sees: (d) => d.diff.objects.some((o: { objectId: string }) => o.objectId === seen.network), expect: { admin: 'sees', A: 'sees', B: 'hidden' } },
  webhooks: { query: '{ webhooks { id } }', sees: (d) => d.webhooks.some((w: { id: string }) => w.id === seen.webhook), expect: { admin: 'sees', A: 'sees', B: 'hidden' } },
  node: { query: 'query($id: ID!) { node(id: $id) { id } }', variables: () => ({ id: seen.network }), sees: (d) => d.node?.id === seen.network, expect: { admin: 'sees', A: 'sees', B: 'hidden' } },
  networks: listCase('networks', 'network'),
  subnets: listCase('subnets', 'subnet'),
  ports: listCase('ports', 'port'),
  instances: listCase('instances', 'instance'),
  routers: listCase('routers', 'router'),
  floatingIps: listCase('floatingIps', 'floatingIp'),
  securityGroups: listCase('securityGroups', 'securityGroup'),
  hosts: adminQuery('{ hosts { nodes { name } } }', (d) => d.hosts.nodes.length > 0),
  tokens: adminQuery('{ tokens { projectId } }', (d) => d.tokens.some((t: { projectId: string | null }) => t.projectId === PROJECT_A)),
  host: adminQuery('{ host(name: "compute-1") { name } }', (d) => d.host?.name === 'compute-1'),
  segmentPools: adminQuery('{ segmentPools { free } }', (d) => d.segmentPools.length > 0),
  // B cannot start at A's instance, and reads it as missing.
  path: { query: '{ path(from: { instance: "vm-a1" }, to: { instance: "vm-a2" }) { verdict } }', sees: (d) => Boolean(d.path?.verdict), expect: { admin: 'sees', A: 'sees', B: 'BAD_USER_INPUT' } },
  // B's what-if of a change for A fails that change as the mutation would; a read-only token tries no change.
  whatIf: {
    query: `{ whatIf(changes: [{ createNetwork: { name: "w", projectId: "${PROJECT_A}" } }]) { applied } }`,
    sees: (d) => d.whatIf?.applied === true,
    expect: { admin: 'sees', A: 'sees', B: 'hidden' },
    readOnly: 'FORBIDDEN',
  },
  impact: adminQuery('{ impact(hostName: "compute-1") { summary { pairs } } }', (d) => Boolean(d.impact?.summary)),
  // A reads its own project's quotas; B may not read A's.
  quotas: { query: `{ quotas(projectId: "${PROJECT_A}") { resource used } }`, sees: (d) => d.quotas.some((q: { used: number }) => q.used > 0), expect: { admin: 'sees', A: 'sees', B: 'FORBIDDEN' } },
  // B's sets hold only its own instances: A's read as missing.
  reachability: { query: '{ reachability(sources: { instances: ["vm-a1"] }, destinations: { instances: ["vm-a2"] }) { pairCount } }', sees: (d) => d.reachability?.pairCount === 1, expect: { admin: 'sees', A: 'sees', B: 'BAD_USER_INPUT' } },
  // A reads its own project's exposure; B may not read A's.
  exposure: { query: `{ exposure(projectId: "${PROJECT_A}") { portsChecked } }`, sees: (d) => d.exposure?.portsChecked > 0, expect: { admin: 'sees', A: 'sees', B: 'FORBIDDEN' } },
  securityGroupAudit: { query: `{ securityGroupAudit(projectId: "${PROJECT_A}") { groupsChecked } }`, sees: (d) => d.securityGroupAudit?.groupsChecked > 0, expect: { admin: 'sees', A: 'sees', B: 'FORBIDDEN' } },
};

const ADMIN_ONLY = { admin: 'ok', A: 'FORBIDDEN', B: 'FORBIDDEN' } as const;
const OWN = (refusedForB: string[]) => ({ admin: 'ok' as const, A: 'ok' as const, B: refusedForB });

const MUTATIONS: Record<string, MutationCase> = {
  registerHost: { input: async () => ({ name: unique('host'), tunnelIp: `10.250.0.${names % 250}`, roles: ['COMPUTE'] }), expect: ADMIN_ONLY },
  setHostStatus: { input: async () => ({ hostName: 'spare', up: true }), expect: ADMIN_ONLY },
  updateHost: { input: async () => ({ hostName: 'spare', l2Population: true }), expect: ADMIN_ONLY },
  createNetwork: { input: async () => ({ name: unique('net'), projectId: PROJECT_A }), expect: OWN(['FORBIDDEN']) },
  updateNetwork: { input: async () => ({ id: (await netA(false)).networkId, name: unique('net') }), expect: OWN(['NOT_FOUND']) },
  deleteNetwork: { input: async () => ({ id: (await netA()).networkId }), expect: OWN(['NOT_FOUND']) },
  createSubnet: { input: async () => ({ networkId: (await netA(false)).networkId, cidr: nextCidr() }), expect: OWN(['NOT_FOUND']) },
  updateSubnet: { input: async () => ({ id: (await netA()).subnetId, name: unique('subnet') }), expect: OWN(['NOT_FOUND']) },
  deleteSubnet: { input: async () => ({ id: (await netA()).subnetId }), expect: OWN(['NOT_FOUND']) },
  createRouter: { input: async () => ({ name: unique('r'), projectId: PROJECT_A }), expect: OWN(['FORBIDDEN']) },
  updateRouter: { input: async () => ({ id: await routerA(), name: unique('r') }), expect: OWN(['NOT_FOUND']) },
  deleteRouter: { input: async () => ({ id: await routerA() }), expect: OWN(['NOT_FOUND']) },
  addRouterInterface: { input: async () => ({ routerId: await routerA(), subnetId: (await netA()).subnetId }), expect: OWN(['NOT_FOUND', 'NOT_FOUND']) },
  removeRouterInterface: {
    input: async () => {
      const { routerId, subnetId } = await routedA();
      return { routerId, subnetId };
    },
    expect: OWN(['NOT_FOUND', 'NOT_FOUND']),
  },
  setRouterGateway: { input: async () => ({ routerId: (await routedA()).routerId, externalNetworkId: ext.id }), expect: OWN(['NOT_FOUND']) },
  clearRouterGateway: { input: async () => ({ routerId: (await gatewayA()).routerId }), expect: OWN(['NOT_FOUND']) },
  createSecurityGroup: { input: async () => ({ name: unique('sg'), projectId: PROJECT_A }), expect: OWN(['FORBIDDEN']) },
  updateSecurityGroup: { input: async () => ({ id: await groupA(), description: unique('sg') }), expect: OWN(['NOT_FOUND']) },
  deleteSecurityGroup: { input: async () => ({ id: await groupA() }), expect: OWN(['NOT_FOUND']) },
  createSecurityGroupRule: {
    input: async () => ({ securityGroupId: await groupA(), direction: 'INGRESS', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 }),
    expect: OWN(['NOT_FOUND']),
  },
  deleteSecurityGroupRule: {
    input: async () => {
      const securityGroupId = await groupA();
      const rule = await one('createSecurityGroupRule', 'CreateSecurityGroupRuleInput', { securityGroupId, direction: 'INGRESS', protocol: 'udp', portRangeMin: 53, portRangeMax: 53 }, 'rule { id }');
      return { id: rule.rule.id };
    },
    expect: OWN(['NOT_FOUND']),
  },
  createPort: { input: async () => ({ networkId: (await netA()).networkId }), expect: OWN(['NOT_FOUND']) },
  updatePort: { input: async () => ({ id: await portA(), name: unique('port') }), expect: OWN(['NOT_FOUND']) },
  deletePort: { input: async () => ({ id: await portA() }), expect: OWN(['NOT_FOUND']) },
  bindPort: { input: async () => ({ portId: await portA(), hostName: 'compute-1' }), expect: ADMIN_ONLY },
  unbindPort: { input: async () => ({ portId: await portA() }), expect: ADMIN_ONLY },
  bootInstance: {
    input: async () => ({ name: unique('vm'), projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: (await netA()).networkId }] }),
    expect: OWN(['FORBIDDEN', 'NOT_FOUND']),
  },
  migrateInstance: { input: async () => ({ instanceId: await instanceA(), hostName: 'compute-2' }), expect: ADMIN_ONLY },
  deleteInstance: { input: async () => ({ id: await instanceA() }), expect: OWN(['NOT_FOUND']) },
  createFloatingIp: { input: async () => ({ externalNetworkId: ext.id, projectId: PROJECT_A }), expect: OWN(['FORBIDDEN']) },
  associateFloatingIp: {
    input: async () => {
      const { networkId } = await gatewayA();
      const port = await createPort(s, { networkId, projectId: PROJECT_A });
      return { floatingIpId: await fipA(), portId: port.id };
    },
    expect: OWN(['NOT_FOUND', 'NOT_FOUND']),
  },
  disassociateFloatingIp: { input: async () => ({ floatingIpId: await fipA() }), expect: OWN(['NOT_FOUND']) },
  deleteFloatingIp: { input: async () => ({ id: await fipA() }), expect: OWN(['NOT_FOUND']) },
  importNeutron: { input: async () => ({ document: {} }), expect: { admin: 'allowed', A: 'FORBIDDEN', B: 'FORBIDDEN' } },
  setQuota: { input: async () => ({ projectId: PROJECT_A, resource: 'NETWORK', limit: 100 }), expect: ADMIN_ONLY },
  createWebhook: { input: async () => ({ ...QUIET_WEBHOOK, projectId: PROJECT_A }), expect: OWN(['FORBIDDEN']) },
  deleteWebhook: { input: async () => ({ id: await webhookA() }), expect: OWN(['NOT_FOUND']) },
  createToken: { input: async () => ({ projectId: PROJECT_A }), expect: ADMIN_ONLY },
  revokeToken: { input: async () => ({ id: (await createToken(s.db.prisma, { admin: false, projectId: PROJECT_A })).token.id }), expect: ADMIN_ONLY },
};

// ------------------------------------------------------------ running it

const schema = buildSchema();
const queryFields = Object.keys(schema.getQueryType()!.getFields());
const mutationFields = Object.keys(schema.getMutationType()!.getFields());

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  // Every case makes its own objects of A: more routers and groups than Neutron's default quotas allow.
  for (const resource of ['ROUTER', 'SECURITY_GROUP', 'SECURITY_GROUP_RULE']) {
    await s.gql(`mutation { setQuota(input: { projectId: "${PROJECT_A}", resource: ${resource}, limit: -1 }) { userErrors { message } } }`);
  }
  await registerHost(s, 'compute-1', '10.0.0.11');
  await registerHost(s, 'compute-2', '10.0.0.12');
  await registerHost(s, 'spare', '10.0.0.13');
  await registerHost(s, 'network-1', '10.0.0.21', ['NETWORK']);
  ext = await createNetwork(s, { name: 'ext', projectId: 'admin', external: true });
  await createSubnet(s, { networkId: ext.id, cidr: '172.24.4.0/24', enableDhcp: false });
  const net = await netA();
  Object.assign(seen, { network: net.networkId, subnet: net.subnetId, port: await portA(), instance: await instanceA(), router: await routerA(), floatingIp: await fipA(), securityGroup: await groupA() });
  await bootInstance(s, { name: 'vm-a1', projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: net.networkId }] });
  await bootInstance(s, { name: 'vm-a2', projectId: PROJECT_A, hostName: 'compute-2', networks: [{ networkId: net.networkId }] });
  seen.changeSet = (await s.db.prisma.change.findFirstOrThrow({ where: { objectId: net.networkId } })).changeSetId;
  seen.webhook = await webhookA();
});
afterAll(async () => s?.stop());

it('has an entry for every Query and Mutation field of the schema, and none for a field it lacks', () => {
  expect(queryFields.filter((f) => !(f in QUERIES))).toEqual([]);
  expect(mutationFields.filter((f) => !(f in MUTATIONS))).toEqual([]);
  expect(Object.keys(QUERIES).filter((f) => !queryFields.includes(f))).toEqual([]);
  expect(Object.keys(MUTATIONS).filter((f) => !mutationFields.includes(f))).toEqual([]);
});

/** A-ro reads like A and writes nothing; no token is always UNAUTHENTICATED. */
const derive = <T>(expect: { admin: T; A: T; B: T }, role: Role, readOnlyWrite: T | null): T | 'UNAUTHENTICATED' =>
  role === 'none' ? 'UNAUTHENTICATED' : role === 'A-ro' ? (readOnlyWrite ?? expect.A) : expect[role];

describe.each(Object.keys(QUERIES))('query %s', (field) => {
  it.each(ROLES)('as %s', async (role) => {
    const c = QUERIES[field];
    const { status, body } = await requestAs(s, tokens[role], c.query, c.variables?.());
    const want = derive(c.expect, role, c.readOnly ?? null);
    if (want === 'UNAUTHENTICATED') {
      expect(status).toBe(401);
      expect(codesOf(body)).toEqual(['UNAUTHENTICATED']);
    } else if (want === 'FORBIDDEN' || want === 'BAD_USER_INPUT') {
      expect(codesOf(body)).toEqual([want]);
    } else {
      expect(body.errors).toBeUndefined();
      expect(c.sees(body.data)).toBe(want === 'sees');
    }
  });
});

describe.each(Object.keys(MUTATIONS))('mutation %s', (field) => {
  it.each(ROLES)('as %s', async (role) => {
    const c = MUTATIONS[field];
    const inputType = schema.getMutationType()!.getFields()[field].args[0].type.toString();
    const input = await c.input();
    const before = await rowCounts(s);
    const { status, body } = await requestAs(s, tokens[role], `mutation($i: ${inputType}) { ${field}(input: $i) { ${USER_ERRORS} } }`, { i: input });
    const want = derive(c.expect, role, 'FORBIDDEN');
    const userErrors: { code: string }[] = body.data?.[field]?.userErrors ?? [];
    if (want === 'ok' || want === 'allowed') {
      expect(body.errors).toBeUndefined();
      if (want === 'ok') expect(userErrors).toEqual([]);
      else expect(userErrors.filter((e) => e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND')).toEqual([]);
      return;
    }
    if (want === 'UNAUTHENTICATED') {
      expect(status).toBe(401);
      expect(codesOf(body)).toEqual(['UNAUTHENTICATED']);
    } else if (want === 'FORBIDDEN') {
      expect(codesOf(body)).toEqual(['FORBIDDEN']);
    } else {
      expect(body.errors).toBeUndefined();
      expect(userErrors.map((e) => e.code).sort()).toEqual([...want].sort());
    }
    expect(await rowCounts(s)).toEqual(before);
  });
});
