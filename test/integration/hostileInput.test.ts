// Hostile input against every mutation, through the real server: FUZZ_RUNS
// generated inputs in all (default 10,000), as admin and as a project
// token. Whatever comes in, the answer is a success, a userError or a
// BAD_USER_INPUT request error; never an internal error, and a refused call
// leaves every table's row count as it was.
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { buildSchema } from '../../src/graphql/schema.js';
import { MUTATION_RULES } from '../../src/graphql/authorization.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createPort, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';
import { PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';
import { mutationInputs, type Pools } from '../support/hostileInputs.js';

const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_122);

jest.setTimeout(15 * 60_000);

const schema = buildSchema();
const mutationFields = schema.getMutationType()!.getFields();
// Creations first, removals (and hosts going down) last: the pools of existing objects stay useful longer.
const removal = (m: string) => /^(delete|remove|clear|disassociate|unbind|setHostStatus|setQuota)/.test(m);
const names = Object.keys(mutationFields).sort((a, b) => Number(removal(a)) - Number(removal(b)));
const runsEach = Math.ceil(TOTAL_RUNS / names.length);

let s: TestServer;
let tokens: RoleTokens;
let pools: Pools;

interface Failure {
  mutation: string;
  role: string;
  input: unknown;
  why: string;
  response: unknown;
}
const figures = { tried: 0, accepted: 0, userErrors: 0, badUserInput: 0, failures: [] as Failure[], acceptedBy: {} as Record<string, number> };

const one = async (query: string, key: string) => {
  const data = await s.gql(query);
  expect(data[key].userErrors).toEqual([]);
  return data[key];
};

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  const hosts = ['compute-1', 'compute-2', 'network-1', 'down-1'];
  await registerHost(s, 'compute-1', '10.200.0.1');
  await registerHost(s, 'compute-2', '10.200.0.2');
  await registerHost(s, 'network-1', '10.200.0.3', ['NETWORK']);
  await registerHost(s, 'down-1', '10.200.0.4');
  await s.gql('mutation { setHostStatus(input: { hostName: "down-1", up: false }) { host { up } } }');
  const netA1 = await createNetwork(s, { name: 'a1', projectId: PROJECT_A });
  const netA2 = await createNetwork(s, { name: 'a2', projectId: PROJECT_A });
  const shared = await createNetwork(s, { name: 'shared', projectId: 'admin', shared: true });
  const ext = await createNetwork(s, { name: 'ext', projectId: 'admin', external: true });
  const netB = await createNetwork(s, { name: 'b1', projectId: PROJECT_B });
  const subnets = [
    await createSubnet(s, { networkId: netA1.id, cidr: '10.0.0.0/24' }),
    await createSubnet(s, { networkId: netA2.id, cidr: '10.1.0.0/24', enableDhcp: false }),
    await createSubnet(s, { networkId: netA2.id, cidr: '2001:db8:1::/64', enableDhcp: false }),
    await createSubnet(s, { networkId: shared.id, cidr: '10.2.0.0/24', enableDhcp: false }),
    await createSubnet(s, { networkId: ext.id, cidr: '172.24.4.0/24', enableDhcp: false }),
    await createSubnet(s, { networkId: netB.id, cidr: '10.3.0.0/24', enableDhcp: false }),
  ];
  const router = (await one(`mutation { createRouter(input: { name: "r", projectId: "${PROJECT_A}" }) { router { id } ${USER_ERRORS} } }`, 'createRouter')).router.id;
  await one(`mutation { addRouterInterface(input: { routerId: "${router}", subnetId: "${subnets[0].id}" }) { ${USER_ERRORS} } }`, 'addRouterInterface');
  await one(`mutation { setRouterGateway(input: { routerId: "${router}", externalNetworkId: "${ext.id}" }) { ${USER_ERRORS} } }`, 'setRouterGateway');
  const groupA = (await one(`mutation { createSecurityGroup(input: { name: "web", projectId: "${PROJECT_A}" }) { securityGroup { id } ${USER_ERRORS} } }`, 'createSecurityGroup')).securityGroup.id;
  const groupB = (await one(`mutation { createSecurityGroup(input: { name: "web", projectId: "${PROJECT_B}" }) { securityGroup { id } ${USER_ERRORS} } }`, 'createSecurityGroup')).securityGroup.id;
  const rule = (await one(`mutation { createSecurityGroupRule(input: { securityGroupId: "${groupA}", direction: INGRESS, protocol: "tcp", portRangeMin: 80, portRangeMax: 80 }) { rule { id } ${USER_ERRORS} } }`, 'createSecurityGroupRule')).rule.id;
  const portA = await createPort(s, { networkId: netA1.id, projectId: PROJECT_A });
  const portB = await createPort(s, { networkId: netB.id, projectId: PROJECT_B });
  const vm = await bootInstance(s, { name: 'vm', projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: netA1.id }, { networkId: netA2.id }] });
  const fip = (await one(`mutation { createFloatingIp(input: { externalNetworkId: "${ext.id}", projectId: "${PROJECT_A}", portId: "${portA.id}" }) { floatingIp { id } ${USER_ERRORS} } }`, 'createFloatingIp')).floatingIp.id;
  pools = {
    hosts,
    networks: [netA1.id, netA2.id, shared.id, ext.id, netB.id],
    externalNetworks: [ext.id],
    subnets: subnets.map((x) => x.id),
    ports: [portA.id, portB.id, ...vm.ports.map((p) => p.id)],
    routers: [router],
    groups: [groupA, groupB],
    rules: [rule],
    instances: [vm.id],
    floatingIps: [fip],
    projects: [PROJECT_A, PROJECT_B, 'admin'],
  };
});

afterAll(async () => {
  const { tried, accepted, userErrors, badUserInput, failures, acceptedBy } = figures;
  console.log(
    `hostile input: ${tried} inputs tried over ${names.length} mutations (seed ${SEED}): ${accepted} accepted, ` +
      `${userErrors + badUserInput} refused (${userErrors} with userErrors, ${badUserInput} as BAD_USER_INPUT), ${failures.length} failures\n` +
      `accepted per mutation (of ${runsEach}): ${names.map((m) => `${m} ${acceptedBy[m] ?? 0}`).join(', ')}`,
  );
  await s?.stop();
});

/** Sends one input and records what it gave; a failure is an internal error, an unexpected code, or a refusal that wrote. */
async function attempt(mutation: string, input: unknown, asProject: boolean) {
  const role = asProject ? 'A' : 'admin';
  const inputType = mutationFields[mutation].args[0].type.toString();
  const before = await rowCounts(s);
  const { status, body } = await requestAs(s, tokens[role], `mutation($i: ${inputType}) { ${mutation}(input: $i) { ${USER_ERRORS} } }`, { i: input });
  figures.tried++;
  const fail = (why: string) => figures.failures.push({ mutation, role, input, why, response: { status, body } });
  const codes = (body.errors ?? []).map((e) => e.extensions?.code);
  if (status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) return fail('internal error');
  if (codes.some((c) => c !== 'BAD_USER_INPUT')) return fail(`unexpected error codes ${codes.join(', ')}`);
  const userErrors = body.data?.[mutation]?.userErrors ?? [];
  if (codes.length === 0 && userErrors.length === 0) {
    figures.accepted++;
    figures.acceptedBy[mutation] = (figures.acceptedBy[mutation] ?? 0) + 1;
    return;
  }
  if (codes.length > 0) figures.badUserInput++;
  else figures.userErrors++;
  const after = await rowCounts(s);
  if (JSON.stringify(after) !== JSON.stringify(before)) fail(`refused but wrote: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
}

describe('shapes that once failed inside the server', () => {
  const aNetwork = () => pools.networks[0];
  /** Each input is refused with one userError on `field`, as admin and as project A, and writes nothing. */
  const refusals: [string, string, string, () => Record<string, unknown>, string[]][] = [
    ['a lone surrogate in a bridge mapping', 'registerHost', 'RegisterHostInput!', () => ({ name: 'h-surrogate', tunnelIp: '10.200.9.1', roles: ['COMPUTE'], bridgeMappings: [{ physicalNetwork: '\uD800', bridge: 'br-ex' }] }), ['input', 'bridgeMappings', '0', 'physicalNetwork']],
    ['an IPv6 zone as tunnel IP', 'registerHost', 'RegisterHostInput!', () => ({ name: 'h-zone', tunnelIp: 'fe80::1%eth0', roles: ['COMPUTE'] }), ['input', 'tunnelIp']],
    ['a CIDR with two prefixes', 'createSubnet', 'CreateSubnetInput!', () => ({ networkId: aNetwork(), cidr: '10.9.0.0/24/24' }), ['input', 'cidr']],
    ['a /0 IPv6 subnet', 'createSubnet', 'CreateSubnetInput!', () => ({ networkId: aNetwork(), cidr: '::/0' }), ['input', 'cidr']],
    ['a /0 IPv4 subnet', 'createSubnet', 'CreateSubnetInput!', () => ({ networkId: aNetwork(), cidr: '0.0.0.0/0' }), ['input', 'cidr']],
    ['an IPv6 subnet at ::', 'createSubnet', 'CreateSubnetInput!', () => ({ networkId: aNetwork(), cidr: '::/64' }), ['input', 'cidr']],
    ['the all-zero MAC', 'createPort', 'CreatePortInput!', () => ({ networkId: aNetwork(), macAddress: '00:00:00:00:00:00' }), ['input', 'macAddress']],
    ['an IPv6 zone in an address pair', 'createPort', 'CreatePortInput!', () => ({ networkId: aNetwork(), allowedAddressPairs: [{ ipAddress: 'fe80::1%eth0' }] }), ['input', 'allowedAddressPairs', '0', 'ipAddress']],
    ['a CIDR with two prefixes in an address pair', 'createPort', 'CreatePortInput!', () => ({ networkId: aNetwork(), allowedAddressPairs: [{ ipAddress: '10.0.0.0/24/24' }] }), ['input', 'allowedAddressPairs', '0', 'ipAddress']],
    ['an IPv6 zone as next hop', 'createRouter', 'CreateRouterInput!', () => ({ name: 'r-zone', projectId: PROJECT_A, routes: [{ destination: '10.8.0.0/24', nexthop: 'fe80::1%eth0' }] }), ['input', 'routes', '0', 'nexthop']],
  ];

  it.each(refusals)('refuses %s (%s) on its field', async (_what, mutation, inputType, input, field) => {
    const roles = mutation === 'registerHost' ? (['admin'] as const) : (['admin', 'A'] as const);
    for (const role of roles) {
      const before = await rowCounts(s);
      const { status, body } = await requestAs(s, tokens[role], `mutation($i: ${inputType}) { ${mutation}(input: $i) { ${USER_ERRORS} } }`, { i: input() });
      expect({ role, status, errors: body.errors }).toEqual({ role, status: 200, errors: undefined });
      expect(body.data[mutation].userErrors).toEqual([{ field, code: 'INVALID', message: expect.any(String) }]);
      expect(await rowCounts(s)).toEqual(before);
    }
  });

  it('refuses a cursor that does not hold a UUID as BAD_USER_INPUT', async () => {
    const { status, body } = await requestAs(s, tokens.A, '{ ports(after: "aWQ6enp6") { nodes { id } } }');
    expect(status).toBe(200);
    expect(body.errors).toEqual([expect.objectContaining({ message: "'aWQ6enp6' is not a cursor of this list", extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('refuses a subscription of no field with a 400, never an internal error', async () => {
    const { status, body } = await requestAs(s, tokens.A, 'subscription { x }');
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
  });
});

it('covers every mutation of the schema', () => {
  expect(Object.keys(mutationInputs({ hosts: ['h'], networks: [], externalNetworks: [], subnets: [], ports: [], routers: [], groups: [], rules: [], instances: [], floatingIps: [], projects: ['p'] })).sort()).toEqual([...names].sort());
});

describe.each(names)('%s', (mutation) => {
  it(`answers ${runsEach} hostile inputs with successes, userErrors or BAD_USER_INPUT, and writes nothing when it refuses`, async () => {
    const before = figures.failures.length;
    // Project tokens only where they may call the mutation at all.
    const projectMayCall = Array.isArray(MUTATION_RULES[mutation]);
    const arbitrary = fc.tuple(mutationInputs(pools)[mutation], projectMayCall ? fc.boolean() : fc.constant(false));
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([input, asProject]) => {
        await attempt(mutation, input, asProject);
      }),
      { numRuns: runsEach, seed: SEED + names.indexOf(mutation) },
    );
    expect(figures.failures.slice(before).slice(0, 5)).toEqual([]);
  });
});
