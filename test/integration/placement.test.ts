// Booting without a host, as a portal with a project token does: nova's
// default filter scheduler in this model (an up COMPUTE host, of the zone
// when one is asked for, the fewest instances first, ties by name); hosts
// carry an availability zone (default nova); projectId defaults to the
// token's project.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createNetwork, createSubnet, USER_ERRORS } from '../support/fixtures.js';
import { PROJECT_A, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

let s: TestServer;
let tokens: RoleTokens;
let netA: { id: string };

async function as(role: keyof RoleTokens, query: string, variables?: Record<string, unknown>) {
  const { status, body } = await requestAs(s, tokens[role], query, variables);
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  return body.data;
}

const BOOT = `mutation($i: BootInstanceInput!) { bootInstance(input: $i) { instance { id projectId } ${USER_ERRORS} } }`;
const boot = async (role: keyof RoleTokens, input: Record<string, unknown>) => (await as(role, BOOT, { i: { name: 'vm', networks: [{ networkId: netA.id }], ...input } })).bootInstance;
const hostOf = async (instanceId: string) => (await s.gql(`query($id: ID!) { node(id: $id) { ... on Instance { host { name } } } }`, { id: instanceId })).node.host.name as string;

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  const register = async (name: string, tunnelIp: string, extra: Record<string, unknown> = {}) => {
    const data = await s.gql(`mutation($i: RegisterHostInput!) { registerHost(input: $i) { host { name availabilityZone } ${USER_ERRORS} } }`, {
      i: { name, tunnelIp, roles: ['COMPUTE'], ...extra },
    });
    expect(data.registerHost.userErrors).toEqual([]);
    return data.registerHost.host;
  };
  expect(await register('compute-b', '10.0.0.12')).toEqual({ name: 'compute-b', availabilityZone: 'nova' });
  await register('compute-a', '10.0.0.11');
  expect(await register('compute-z', '10.0.0.13', { availabilityZone: 'az2' })).toEqual({ name: 'compute-z', availabilityZone: 'az2' });
  await register('compute-down', '10.0.0.14');
  await register('network-1', '10.0.0.21', { roles: ['NETWORK'] });
  await s.gql('mutation { setHostStatus(input: { hostName: "compute-down", up: false }) { host { up } } }');
  netA = await createNetwork(s, { name: 'a', projectId: PROJECT_A });
  await createSubnet(s, { networkId: netA.id, cidr: '10.1.0.0/24', enableDhcp: false });
});
afterAll(async () => s?.stop());

it("spreads a project's instances over the up COMPUTE hosts of every zone: fewest instances first, ties by name", async () => {
  const placed: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { instance, userErrors } = await boot('A', {});
    expect(userErrors).toEqual([]);
    expect(instance.projectId).toBe(PROJECT_A);
    placed.push(await hostOf(instance.id));
  }
  expect(placed).toEqual(['compute-a', 'compute-b', 'compute-z', 'compute-a', 'compute-b']);
});

it('keeps to the availability zone asked for, and names it in its ports\' device owner as nova does', async () => {
  const { instance } = await boot('A', { availabilityZone: 'az2' });
  expect(await hostOf(instance.id)).toBe('compute-z');
  const ports = await s.gql(`query($id: ID!) { node(id: $id) { ... on Instance { ports { deviceOwner } } } }`, { id: instance.id });
  expect(ports.node.ports).toEqual([{ deviceOwner: 'compute:az2' }]);
  // compute-z now holds 2, compute-a and compute-b 2 each: a tie again, broken by name.
  expect(await hostOf((await boot('A', {})).instance.id)).toBe('compute-a');
});

it('answers NoValidHost when no host passes, and writes nothing', async () => {
  const noHost = [{ code: 'EXHAUSTED', field: ['input', 'availabilityZone'], message: 'No valid host was found. There are not enough hosts available.' }];
  for (const role of ['A', 'admin'] as const) expect((await boot(role, { projectId: PROJECT_A, availabilityZone: 'nowhere' })).userErrors).toEqual(noHost);
  const { instances } = await as('A', '{ instances { totalCount } }');
  expect(instances.totalCount).toBe(7);
});

it('checks a named host against the zone: precisely for an admin, as NoValidHost for a project', async () => {
  const input = { projectId: PROJECT_A, hostName: 'compute-a', availabilityZone: 'az2' };
  expect((await boot('admin', input)).userErrors).toEqual([{ code: 'INVALID', field: ['input', 'hostName'], message: "host 'compute-a' is in availability zone 'nova', not 'az2'" }]);
  expect((await boot('A', input)).userErrors).toEqual([{ code: 'INVALID', field: ['input', 'hostName'], message: 'No valid host was found. There are not enough hosts available.' }]);
  expect(await hostOf((await boot('A', { hostName: 'compute-z', availabilityZone: 'az2' })).instance.id)).toBe('compute-z');
});

it("fills in the token's project wherever projectId is left out; an admin token must name one", async () => {
  const made = await as('A', `mutation {
    createNetwork(input: { name: "n" }) { network { projectId } ${USER_ERRORS} }
    createRouter(input: { name: "r" }) { router { projectId } ${USER_ERRORS} }
    createSecurityGroup(input: { name: "g" }) { securityGroup { projectId } ${USER_ERRORS} }
  }`);
  expect(made).toEqual({
    createNetwork: { network: { projectId: PROJECT_A }, userErrors: [] },
    createRouter: { router: { projectId: PROJECT_A }, userErrors: [] },
    createSecurityGroup: { securityGroup: { projectId: PROJECT_A }, userErrors: [] },
  });
  const refused = await as('admin', `mutation {
    createNetwork(input: { name: "n" }) { network { id } ${USER_ERRORS} }
    bootInstance(input: { name: "vm", networks: [{ networkId: "${netA.id}" }] }) { instance { id } ${USER_ERRORS} }
  }`);
  const needsProject = { code: 'INVALID', field: ['input', 'projectId'], message: 'an admin token belongs to no project: give projectId' };
  expect(refused).toEqual({ createNetwork: { network: null, userErrors: [needsProject] }, bootInstance: { instance: null, userErrors: [needsProject] } });
});
