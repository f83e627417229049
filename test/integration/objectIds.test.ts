// One id, one object: an id held by an object of any kind (another
// project's too) is refused as CONFLICT without saying what holds it, so
// that node(id:) always finds the one object and every later import and
// export round trip still works; a deleted object gives its id back; two
// transactions racing for one id leave exactly one winner.
import { jest } from '@jest/globals';
import { exportDocument } from '../../src/services/export.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';
import { PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let s: TestServer;
let tokens: RoleTokens;
let netA: { id: string };
let subnetA: { id: string };
let vmA: { id: string; ports: { id: string }[] };
let groupA: string;

const inUse = (id: string) => [{ code: 'CONFLICT', field: ['input', 'id'], message: `the id ${id} is already in use` }];

/** Every creation that takes a client-chosen id, for project `project` (a network of it given). */
const creations = (project: string, networkId: string, subnetId: string, groupId: string): [string, string, Record<string, unknown>][] => [
  ['createNetwork', 'CreateNetworkInput', { name: 'n', projectId: project }],
  ['createSubnet', 'CreateSubnetInput', { networkId, cidr: '10.200.0.0/24', enableDhcp: false }],
  ['createPort', 'CreatePortInput', { networkId, fixedIps: [{ subnetId }] }],
  ['createRouter', 'CreateRouterInput', { name: 'r', projectId: project }],
  ['createSecurityGroup', 'CreateSecurityGroupInput', { name: 'g', projectId: project }],
  ['createSecurityGroupRule', 'CreateSecurityGroupRuleInput', { securityGroupId: groupId, direction: 'INGRESS', protocol: 'tcp', portRangeMin: 1, portRangeMax: 2 }],
  ['bootInstance', 'BootInstanceInput', { name: 'vm', projectId: project, hostName: 'compute-1', networks: [{ networkId }] }],
];

async function create(role: keyof RoleTokens, mutation: string, inputType: string, input: Record<string, unknown>) {
  const { status, body } = await requestAs(s, tokens[role], `mutation($i: ${inputType}!) { ${mutation}(input: $i) { ${USER_ERRORS} } }`, { i: input });
  expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  return body.data[mutation].userErrors as { code: string; field: string[]; message: string }[];
}

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  await registerHost(s, 'compute-1', '10.0.0.11');
  netA = await createNetwork(s, { name: 'a', projectId: PROJECT_A });
  subnetA = await createSubnet(s, { networkId: netA.id, cidr: '10.1.0.0/24', enableDhcp: false });
  vmA = await bootInstance(s, { name: 'vm-a', projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: netA.id }] });
  groupA = (await s.gql(`mutation { createSecurityGroup(input: { name: "web", projectId: "${PROJECT_A}" }) { securityGroup { id } } }`)).createSecurityGroup.securityGroup.id;
});
afterAll(async () => s?.stop());

it("refuses another project's port id for every kind a project creates, and node(id:) still finds the port", async () => {
  const port = vmA.ports[0].id;
  const netB = await createNetwork(s, { name: 'b', projectId: PROJECT_B });
  const subnetB = await createSubnet(s, { networkId: netB.id, cidr: '10.2.0.0/24', enableDhcp: false });
  const groupB = (await s.gql(`mutation { createSecurityGroup(input: { name: "web", projectId: "${PROJECT_B}" }) { securityGroup { id } } }`)).createSecurityGroup.securityGroup.id;
  const before = await rowCounts(s);
  for (const [mutation, inputType, input] of creations(PROJECT_B, netB.id, subnetB.id, groupB)) {
    expect({ mutation, errors: await create('B', mutation, inputType, { ...input, id: port }) }).toEqual({ mutation, errors: inUse(port) });
  }
  expect(await rowCounts(s)).toEqual(before);
  const { body } = await requestAs(s, tokens.A, 'query($id: ID!) { node(id: $id) { __typename id } }', { id: port });
  expect(body.data.node).toEqual({ __typename: 'Port', id: port });
  expect((await requestAs(s, tokens.B, 'query($id: ID!) { node(id: $id) { id } }', { id: port })).body.data.node).toBeNull();
});

it('refuses every id in use to an admin too, for hosts, floating IPs and the upper-case spelling', async () => {
  expect(await create('admin', 'registerHost', 'RegisterHostInput', { id: netA.id, name: 'h', tunnelIp: '10.0.0.99', roles: ['COMPUTE'] })).toEqual(inUse(netA.id));
  expect(await create('admin', 'createNetwork', 'CreateNetworkInput', { id: vmA.id.toUpperCase(), name: 'x', projectId: PROJECT_A })).toEqual(inUse(vmA.id));
  for (const [mutation, inputType, input] of creations(PROJECT_A, netA.id, subnetA.id, groupA)) {
    expect({ mutation, errors: await create('admin', mutation, inputType, { ...input, id: groupA }) }).toEqual({ mutation, errors: inUse(groupA) });
  }
});

it('gives an id back when its object is deleted', async () => {
  const id = '0b1d0000-0000-4000-8000-000000000001';
  expect(await create('A', 'createNetwork', 'CreateNetworkInput', { id, name: 'short-lived', projectId: PROJECT_A })).toEqual([]);
  expect((await requestAs(s, tokens.A, `mutation { deleteNetwork(input: { id: "${id}" }) { ${USER_ERRORS} } }`)).body.data.deleteNetwork.userErrors).toEqual([]);
  expect(await create('A', 'createRouter', 'CreateRouterInput', { id, name: 'heir', projectId: PROJECT_A })).toEqual([]);
  expect((await requestAs(s, tokens.A, 'query($id: ID!) { node(id: $id) { __typename } }', { id })).body.data.node).toEqual({ __typename: 'Router' });
});

it('lets exactly one of many concurrent creations of different kinds take one id', async () => {
  for (let round = 0; round < 3; round++) {
    const id = `0c0c0000-0000-4000-8000-00000000000${round}`;
    const results = await Promise.all(
      creations(PROJECT_A, netA.id, subnetA.id, groupA).map(([mutation, inputType, input]) => create('A', mutation, inputType, { ...input, id })),
    );
    const winners = results.filter((errors) => errors.length === 0);
    expect(winners).toHaveLength(1);
    for (const errors of results.filter((e) => e.length > 0)) expect(errors).toEqual(inUse(id));
    const held = await s.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM (SELECT id FROM "Network" UNION ALL SELECT id FROM "Subnet" UNION ALL SELECT id FROM "Port" UNION ALL SELECT id FROM "Router"
        UNION ALL SELECT id FROM "SecurityGroup" UNION ALL SELECT id FROM "SecurityGroupRule" UNION ALL SELECT id FROM "Instance") t WHERE id = $1::uuid`,
      id,
    );
    expect(Number(held[0].n)).toBe(1);
  }
});

it('exports and imports back; a REPLACE may hand a removed object\'s id to an object of another kind', async () => {
  const IMPORT = `mutation($i: ImportNeutronInput!) { importNeutron(input: $i) { ${USER_ERRORS} } }`;
  const doc = (await exportDocument(s.db.prisma)) as unknown as Json;
  expect((await s.gql(IMPORT, { i: { document: doc, mode: 'MERGE' } })).importNeutron.userErrors).toEqual([]);
  // The network goes, a security group takes its id, in one import.
  const lonely = await createNetwork(s, { name: 'lonely', projectId: PROJECT_A });
  const replaced = (await exportDocument(s.db.prisma)) as unknown as Json;
  replaced.networks = replaced.networks.filter((n: Json) => n.id !== lonely.id);
  const template = replaced.security_groups.find((g: Json) => g.id === groupA);
  replaced.security_groups.push({ ...template, id: lonely.id, name: 'heir', security_group_rules: [] });
  expect((await s.gql(IMPORT, { i: { document: replaced, mode: 'REPLACE' } })).importNeutron.userErrors).toEqual([]);
  expect((await s.gql('query($id: ID!) { node(id: $id) { __typename } }', { id: lonely.id })).node).toEqual({ __typename: 'SecurityGroup' });
  // Creating anything with that id is still refused: the id table followed the import.
  expect(await create('admin', 'createNetwork', 'CreateNetworkInput', { id: lonely.id, name: 'x', projectId: PROJECT_A })).toEqual(inUse(lonely.id));
});
