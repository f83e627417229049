// Tenancy as in Neutron: a project sees its own objects plus shared and
// external networks; lists are narrowed in SQL (pages and totalCount count
// only visible rows); another project's object reads exactly like a missing
// one; admin-only fields are null; shared networks take ports, external
// ones gateways and floating IPs.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createPort, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';
import { codesOf, PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

let s: TestServer;
let tokens: RoleTokens;
let shared: { id: string };
let sharedSubnet: { id: string };
let ext: { id: string };
const netsA: string[] = [];
let netB: { id: string };
let vmA: { id: string; ports: { id: string }[] };

const as = (role: keyof RoleTokens, query: string, variables?: Record<string, unknown>) => requestAs(s, tokens[role], query, variables);
const dataAs = async (role: keyof RoleTokens, query: string, variables?: Record<string, unknown>) => {
  const { body } = await as(role, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data;
};

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  await registerHost(s, 'compute-1', '10.0.0.11');
  await registerHost(s, 'network-1', '10.0.0.21', ['NETWORK']);
  shared = await createNetwork(s, { name: 'shared', projectId: 'admin', shared: true });
  sharedSubnet = await createSubnet(s, { networkId: shared.id, cidr: '10.99.0.0/24' });
  ext = await createNetwork(s, { name: 'ext', projectId: 'admin', external: true });
  await createSubnet(s, { networkId: ext.id, cidr: '172.24.4.0/24', enableDhcp: false });
  for (let i = 0; i < 3; i++) {
    const net = await createNetwork(s, { name: `a-${i}`, projectId: PROJECT_A });
    await createSubnet(s, { networkId: net.id, cidr: `10.1.${i}.0/24`, enableDhcp: false });
    netsA.push(net.id);
  }
  netB = await createNetwork(s, { name: 'b-0', projectId: PROJECT_B });
  await createSubnet(s, { networkId: netB.id, cidr: '10.2.0.0/24', enableDhcp: false });
  vmA = await bootInstance(s, { name: 'vm-a', projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: netsA[0] }] });
  // B has a port on the shared network: A must not see it.
  await createPort(s, { networkId: shared.id, projectId: PROJECT_B });
});
afterAll(async () => s?.stop());

describe('lists are narrowed in SQL', () => {
  it('pages through exactly the visible networks, with their totalCount', async () => {
    const visible = [...netsA, shared.id, ext.id].sort();
    const q = `query($after: String) { networks(first: 2, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const { networks } = await dataAs('A', q, { after });
      expect(networks.totalCount).toBe(5);
      seen.push(...networks.nodes.map((n: { id: string }) => n.id));
      expect(networks.pageInfo.hasNextPage).toBe(page < 2);
      after = networks.pageInfo.endCursor;
    }
    expect(seen).toEqual(visible);
    expect((await dataAs('admin', '{ networks { totalCount } }')).networks.totalCount).toBe(6);
    expect((await dataAs('B', '{ networks { totalCount } }')).networks.totalCount).toBe(3);
  });

  it("counts only the project's own ports on a shared network", async () => {
    const mine = await createPort(s, { networkId: shared.id, projectId: PROJECT_A });
    const q = `query($n: ID!) { node(id: $n) { ... on Network { ports { totalCount nodes { id } } subnets { id } } } ports(filter: { networkId: $n }) { totalCount } }`;
    const a = await dataAs('A', q, { n: shared.id });
    // The network's DHCP port belongs to its owner, B's port to B.
    expect(a.node.ports).toEqual({ totalCount: 1, nodes: [{ id: mine.id }] });
    expect(a.ports.totalCount).toBe(1);
    expect(a.node.subnets).toEqual([{ id: sharedSubnet.id }]);
    expect((await dataAs('admin', q, { n: shared.id })).ports.totalCount).toBe(3);
  });

  it('filters by project id only within what the token sees', async () => {
    const { networks } = await dataAs('A', `{ networks(filter: { projectId: "${PROJECT_B}" }) { totalCount } }`);
    expect(networks.totalCount).toBe(0);
  });
});

describe('another project reads like nothing', () => {
  it('answers node(id:) for an object of another project exactly as for a missing id', async () => {
    const q = 'query($id: ID!) { node(id: $id) { id } }';
    const other = await as('A', q, { id: netB.id });
    const missing = await as('A', q, { id: '00000000-0000-4000-8000-00000000beef' });
    expect(other.body).toEqual({ data: { node: null }, extensions: expect.any(Object) });
    expect({ ...other.body, extensions: undefined }).toEqual({ ...missing.body, extensions: undefined });
    expect((await dataAs('A', q, { id: (await hostId()) })).node).toBeNull();
  });

  it("refuses another project's id as in use, without saying what holds it, and node(id:) still finds the object", async () => {
    const port = vmA.ports[0].id;
    const { createNetwork: taken } = await dataAs('B', `mutation { createNetwork(input: { id: "${port}", name: "squatter", projectId: "${PROJECT_B}" }) { network { id } ${USER_ERRORS} } }`);
    expect(taken).toEqual({ network: null, userErrors: [{ code: 'CONFLICT', field: ['input', 'id'], message: `the id ${port} is already in use` }] });
    const q = `query($id: ID!) { node(id: $id) { __typename id } }`;
    expect((await dataAs('A', q, { id: port })).node).toEqual({ __typename: 'Port', id: port });
    expect((await dataAs('B', q, { id: port })).node).toBeNull();
  });

  const hostId = async () => (await s.gql('{ host(name: "compute-1") { id } }')).host.id as string;

  /** Each mutation that names an object: B's object and a missing id must give the same answer, with the id swapped. */
  const cases: [string, string, (id: string) => Record<string, unknown>][] = [
    ['deleteNetwork', 'DeleteInput', (id) => ({ id })],
    ['createSubnet', 'CreateSubnetInput', (id) => ({ networkId: id, cidr: '10.77.0.0/24' })],
    ['createPort', 'CreatePortInput', (id) => ({ networkId: id })],
    ['bootInstance', 'BootInstanceInput', (id) => ({ name: 'x', projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: id, fixedIp: '10.2.0.9' }] })],
    ['setRouterGateway', 'SetRouterGatewayInput', (id) => ({ routerId: '00000000-0000-4000-8000-000000000001', externalNetworkId: id })],
  ];

  it.each(cases)('%s on a network of another project reads as NOT_FOUND, like a missing one', async (mutation, inputType, input) => {
    const missingId = '00000000-0000-4000-8000-00000000cafe';
    const run = (id: string) => as('A', `mutation($i: ${inputType}!) { ${mutation}(input: $i) { ${USER_ERRORS} } }`, { i: input(id) });
    const before = await rowCounts(s);
    const other = await run(netB.id);
    const missing = await run(missingId);
    expect(await rowCounts(s)).toEqual(before);
    expect(other.body.data[mutation].userErrors.map((e: { code: string }) => e.code)).toContain('NOT_FOUND');
    expect(JSON.stringify(other.body.data).replaceAll(netB.id, missingId)).toBe(JSON.stringify(missing.body.data));
  });

  it('refuses a remote group of another project as NOT_FOUND', async () => {
    const groupOf = async (projectId: string) =>
      (await s.gql(`mutation { createSecurityGroup(input: { name: "g", projectId: "${projectId}" }) { securityGroup { id } } }`)).createSecurityGroup.securityGroup.id;
    const mine = await groupOf(PROJECT_A);
    const theirs = await groupOf(PROJECT_B);
    const { createSecurityGroupRule } = await dataAs('A', `mutation($i: CreateSecurityGroupRuleInput!) { createSecurityGroupRule(input: $i) { rule { id } ${USER_ERRORS} } }`, {
      i: { securityGroupId: mine, direction: 'INGRESS', remoteGroupId: theirs },
    });
    expect(createSecurityGroupRule).toEqual({ rule: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'remoteGroupId'], message: `security group '${theirs}' does not exist` }] });
  });
});

describe('admin-only fields', () => {
  const q = `query($vm: ID!, $n: ID!) {
    vm: node(id: $vm) { ... on Instance { status host { name } ports { host { name } localVlan status } } }
    net: node(id: $n) { ... on Network { localVlans { vlan } dhcpHosts { name } } }
  }`;

  it('are null for a project token and filled for admin', async () => {
    const vars = { vm: vmA.id, n: shared.id };
    expect(await dataAs('A', q, vars)).toEqual({
      vm: { status: 'ACTIVE', host: null, ports: [{ host: null, localVlan: null, status: 'ACTIVE' }] },
      net: { localVlans: null, dhcpHosts: null },
    });
    expect(await dataAs('admin', q, vars)).toEqual({
      vm: { status: 'ACTIVE', host: { name: 'compute-1' }, ports: [{ host: { name: 'compute-1' }, localVlan: 1, status: 'ACTIVE' }] },
      net: { localVlans: [{ vlan: 1 }], dhcpHosts: [{ name: 'network-1' }] },
    });
  });

  it("hides the router's host", async () => {
    const router = (await s.gql(`mutation { createRouter(input: { name: "r", projectId: "${PROJECT_A}" }) { router { id } } }`)).createRouter.router;
    const subnet = (await dataAs('admin', `query($n: ID!) { node(id: $n) { ... on Network { subnets { id } } } }`, { n: netsA[1] })).node.subnets[0];
    await s.gql(`mutation($i: RouterInterfaceInput!) { addRouterInterface(input: $i) { ${USER_ERRORS} } }`, { i: { routerId: router.id, subnetId: subnet.id } });
    const rq = `query($r: ID!) { node(id: $r) { ... on Router { host { name } namespace interfaces { subnet { id } } } } }`;
    expect((await dataAs('A', rq, { r: router.id })).node).toEqual({ host: null, namespace: `qrouter-${router.id}`, interfaces: [{ subnet: { id: subnet.id } }] });
    expect((await dataAs('admin', rq, { r: router.id })).node.host).toEqual({ name: 'network-1' });
  });

  it.each([
    ['ports', '{ ports(filter: { hostName: "compute-1" }) { totalCount } }'],
    ['instances', '{ instances(filter: { hostName: "compute-1" }) { totalCount } }'],
  ])('refuses a filter by host on %s', async (_, query) => {
    expect(codesOf((await as('A', query)).body)).toEqual(['FORBIDDEN']);
    expect((await as('admin', query)).body.errors).toBeUndefined();
  });
});

describe('writing', () => {
  const createPortAs = (role: keyof RoleTokens, input: Record<string, unknown>) =>
    as(role, `mutation($i: CreatePortInput!) { createPort(input: $i) { port { id projectId } ${USER_ERRORS} } }`, { i: input });

  it('puts a port of its own project on a shared network, not on an external one', async () => {
    const onShared = (await createPortAs('A', { networkId: shared.id })).body.data.createPort;
    expect(onShared).toMatchObject({ port: { projectId: PROJECT_A }, userErrors: [] });
    const onExternal = (await createPortAs('A', { networkId: ext.id })).body.data.createPort;
    expect(onExternal.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'networkId'], message: expect.stringContaining('is not shared') }]);
    const asOther = (await createPortAs('A', { networkId: shared.id, projectId: PROJECT_B })).body.data.createPort;
    expect(asOther.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'projectId'], message: expect.stringContaining(`cannot act for project '${PROJECT_B}'`) }]);
    const dhcp = (await createPortAs('A', { networkId: netsA[2], deviceOwner: 'network:dhcp' })).body.data.createPort;
    expect(dhcp.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'deviceOwner'], message: 'only an admin may set deviceOwner' }]);
  });

  it('boots an instance on a shared network', async () => {
    const { bootInstance: boot } = await dataAs('A', `mutation($i: BootInstanceInput!) { bootInstance(input: $i) { instance { projectId ports { projectId network { id } } } ${USER_ERRORS} } }`, {
      i: { name: 'on-shared', projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: shared.id }] },
    });
    expect(boot).toEqual({ instance: { projectId: PROJECT_A, ports: [{ projectId: PROJECT_A, network: { id: shared.id } }] }, userErrors: [] });
  });

  it('may not change a shared network it does not own', async () => {
    const before = await rowCounts(s);
    const subnet = (await as('A', `mutation { createSubnet(input: { networkId: "${shared.id}", cidr: "10.98.0.0/24" }) { ${USER_ERRORS} } }`)).body.data.createSubnet;
    expect(subnet.userErrors).toEqual([{ code: 'FORBIDDEN', field: ['input', 'networkId'], message: `network ${shared.id} belongs to another project` }]);
    const deleted = (await as('A', `mutation { deleteNetwork(input: { id: "${shared.id}" }) { deletedId ${USER_ERRORS} } }`)).body.data.deleteNetwork;
    expect(deleted).toEqual({ deletedId: null, userErrors: [{ code: 'FORBIDDEN', field: ['input', 'id'], message: `network ${shared.id} belongs to another project` }] });
    expect(await rowCounts(s)).toEqual(before);
  });

  it('sets a router gateway and takes a floating IP on an external network, for its own project', async () => {
    const router = (await dataAs('A', `mutation { createRouter(input: { name: "edge", projectId: "${PROJECT_A}" }) { router { id } } }`)).createRouter.router;
    const gw = (await dataAs('A', `mutation { setRouterGateway(input: { routerId: "${router.id}", externalNetworkId: "${ext.id}" }) { router { gateway { network { id } } } ${USER_ERRORS} } }`)).setRouterGateway;
    expect(gw).toEqual({ router: { gateway: { network: { id: ext.id } } }, userErrors: [] });
    const fip = (await dataAs('A', `mutation { createFloatingIp(input: { externalNetworkId: "${ext.id}" }) { floatingIp { projectId externalNetwork { id } } ${USER_ERRORS} } }`)).createFloatingIp;
    expect(fip).toEqual({ floatingIp: { projectId: PROJECT_A, externalNetwork: { id: ext.id } }, userErrors: [] });
    expect((await dataAs('B', '{ floatingIps { totalCount } routers { totalCount } }'))).toEqual({ floatingIps: { totalCount: 0 }, routers: { totalCount: 0 } });
  });

  it.each([
    ['shared', { shared: true }],
    ['external', { external: true }],
    ['segmentationId', { segmentationId: 4000 }],
    ['physicalNetwork', { networkType: 'VXLAN', physicalNetwork: 'physnet1' }],
    ['networkType', { networkType: 'GRE' }],
  ])('leaves %s of a new network to admin', async (field, extra) => {
    const before = await rowCounts(s);
    const { createNetwork: created } = await dataAs('A', `mutation($i: CreateNetworkInput!) { createNetwork(input: $i) { network { id } ${USER_ERRORS} } }`, {
      i: { name: 'provider', projectId: PROJECT_A, ...extra },
    });
    expect(created).toEqual({ network: null, userErrors: [{ code: 'FORBIDDEN', field: ['input', field], message: `only an admin may set ${field}` }] });
    expect(await rowCounts(s)).toEqual(before);
  });

  it('lets a read-only token read but change nothing', async () => {
    expect((await dataAs('A-ro', '{ networks { totalCount } }')).networks.totalCount).toBeGreaterThan(0);
    const { body } = await as('A-ro', `mutation { createRouter(input: { name: "ro", projectId: "${PROJECT_A}" }) { ${USER_ERRORS} } }`);
    expect(body).toMatchObject({ data: null, errors: [{ message: 'this token is read-only', extensions: { code: 'FORBIDDEN' } }] });
  });
});
