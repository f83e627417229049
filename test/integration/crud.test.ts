// Objects that need no allocation: create, read back by node(id:) and
// connections, and every refusal leaves the database as it was.
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createNetwork, createPort, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';

let s: TestServer;
let networkId: string;
let subnetId: string;

beforeAll(async () => {
  s = await startTestServer();
  networkId = (await createNetwork(s, { name: 'net1' })).id;
  subnetId = (await createSubnet(s, { networkId, cidr: '10.0.0.0/24', name: 'sub1' })).id;
});
afterAll(async () => s?.stop());

/** Runs a mutation that must be refused and checks that no row changed. */
async function refused(mutation: string, input: Record<string, unknown>, inputType: string, payloadField: string) {
  const before = await rowCounts(s);
  const data = await s.gql(`mutation($i: ${inputType}!) { ${mutation}(input: $i) { ${payloadField} { id } ${USER_ERRORS} } }`, { i: input });
  expect(data[mutation][payloadField]).toBeNull();
  expect(await rowCounts(s)).toEqual(before);
  return data[mutation].userErrors as { field: string[]; code: string; message: string }[];
}

describe('create and read back', () => {
  it('answers { __typename }', async () => {
    expect(await s.gql('{ __typename }')).toEqual({ __typename: 'Query' });
  });

  it('reads a network, subnet and port through node(id:) and connections', async () => {
    const port = await createPort(s, { networkId, name: 'web' });
    expect(port.fixedIps).toEqual([{ ipAddress: '10.0.0.2', subnet: { id: subnetId } }]);
    expect(port.macAddress).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);

    const data = await s.gql(
      `query($n: ID!, $s: ID!, $p: ID!) {
        n: node(id: $n) { __typename ... on Network { name networkType mtu subnets { cidr gatewayIp ipVersion enableDhcp } } }
        s: node(id: $s) { __typename ... on Subnet { network { id } } }
        p: node(id: $p) { __typename ... on Port { name status network { id } securityGroups { name } } }
        networks(filter: { nameContains: "net" }) { totalCount nodes { id } }
        ports(filter: { networkId: $n, deviceOwner: "" }) { totalCount edges { cursor node { id } } }
      }`,
      { n: networkId, s: subnetId, p: port.id },
    );
    expect(data.n).toEqual({ __typename: 'Network', name: 'net1', networkType: 'VXLAN', mtu: 1450, subnets: [{ cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1', ipVersion: 4, enableDhcp: true }] });
    expect(data.s).toEqual({ __typename: 'Subnet', network: { id: networkId } });
    expect(data.p).toEqual({ __typename: 'Port', name: 'web', status: 'DOWN', network: { id: networkId }, securityGroups: [{ name: 'default' }] });
    expect(data.networks.nodes).toEqual([{ id: networkId }]);
    expect(data.ports.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([port.id]);
  });

  it('pages with first/after and reports hasNextPage', async () => {
    const net = await createNetwork(s, { name: 'paged' });
    await createSubnet(s, { networkId: net.id, cidr: '10.9.0.0/24' });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createPort(s, { networkId: net.id })).id);
    ids.sort();
    const q = `query($n: ID!, $after: String) { ports(first: 2, after: $after, filter: { networkId: $n, deviceOwner: "" }) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const p1 = (await s.gql(q, { n: net.id })).ports;
    expect(p1.totalCount).toBe(5);
    expect(p1.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(0, 2));
    const p2 = (await s.gql(q, { n: net.id, after: p1.pageInfo.endCursor })).ports;
    expect(p2.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(2, 4));
    const p3 = (await s.gql(q, { n: net.id, after: p2.pageInfo.endCursor })).ports;
    expect(p3.nodes.map((n: { id: string }) => n.id)).toEqual(ids.slice(4));
    expect(p3.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a page larger than 500 as a bad request', async () => {
    const body = await s.request('{ ports(first: 501) { totalCount } }');
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('gives the first free address, skipping network, gateway and broadcast', async () => {
    const net = await createNetwork(s, { name: 'tiny' });
    await createSubnet(s, { networkId: net.id, cidr: '192.168.5.0/30' });
    expect((await createPort(s, { networkId: net.id })).fixedIps[0].ipAddress).toBe('192.168.5.2');
    const errors = await refused('createPort', { networkId: net.id }, 'CreatePortInput', 'port');
    expect(errors).toEqual([{ code: 'EXHAUSTED', field: ['input', 'fixedIps', '0', 'ipAddress'], message: expect.stringContaining('no free address') }]);
  });

  it('returns null for node ids that name nothing', async () => {
    const data = await s.gql('{ a: node(id: "00000000-0000-0000-0000-000000000000") { id } b: node(id: "nope") { id } }');
    expect(data).toEqual({ a: null, b: null });
  });
});

describe('bad input is a userError and changes nothing', () => {
  it('bad CIDR', async () => {
    expect(await refused('createSubnet', { networkId, cidr: '10.1.0.0/33' }, 'CreateSubnetInput', 'subnet')).toEqual([
      { code: 'INVALID', field: ['input', 'cidr'], message: expect.any(String) },
    ]);
    expect((await refused('createSubnet', { networkId, cidr: '10.1.0.5/24' }, 'CreateSubnetInput', 'subnet'))[0]).toMatchObject({
      code: 'INVALID', field: ['input', 'cidr'], message: expect.stringContaining("use '10.1.0.0/24'"),
    });
    expect((await refused('createSubnet', { networkId, cidr: 'banana' }, 'CreateSubnetInput', 'subnet'))[0].code).toBe('INVALID');
  });

  it('gateway outside the subnet', async () => {
    expect(await refused('createSubnet', { networkId, cidr: '10.2.0.0/24', gatewayIp: '10.3.0.1' }, 'CreateSubnetInput', 'subnet')).toEqual([
      { code: 'INVALID', field: ['input', 'gatewayIp'], message: 'gateway 10.3.0.1 is outside 10.2.0.0/24' },
    ]);
  });

  it('overlapping subnets in one network', async () => {
    expect(await refused('createSubnet', { networkId, cidr: '10.0.0.128/25' }, 'CreateSubnetInput', 'subnet')).toEqual([
      { code: 'CONFLICT', field: ['input', 'cidr'], message: `Requested subnet with cidr: 10.0.0.128/25 for network: ${networkId} overlaps with another subnet` },
    ]);
  });

  it('bad MAC and a MAC already used on the network', async () => {
    expect((await refused('createPort', { networkId, macAddress: 'fa:16:3e:zz:00:01' }, 'CreatePortInput', 'port'))[0]).toMatchObject({ code: 'INVALID', field: ['input', 'macAddress'] });
    expect((await refused('createPort', { networkId, macAddress: '01:00:5e:00:00:01' }, 'CreatePortInput', 'port'))[0]).toMatchObject({ code: 'INVALID', field: ['input', 'macAddress'] });
    const port = await createPort(s, { networkId, macAddress: 'FA:16:3E:00:00:42' });
    expect(port.macAddress).toBe('fa:16:3e:00:00:42');
    expect((await refused('createPort', { networkId, macAddress: 'fa:16:3e:00:00:42' }, 'CreatePortInput', 'port'))[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'macAddress'] });
  });

  it('IP outside its subnet, or already used', async () => {
    expect(await refused('createPort', { networkId, fixedIps: [{ subnetId, ipAddress: '10.5.0.9' }] }, 'CreatePortInput', 'port')).toEqual([
      { code: 'INVALID', field: ['input', 'fixedIps', '0', 'ipAddress'], message: expect.stringContaining('not an assignable address') },
    ]);
    await createPort(s, { networkId, fixedIps: [{ subnetId, ipAddress: '10.0.0.50' }] });
    expect(await refused('createPort', { networkId, fixedIps: [{ subnetId, ipAddress: '10.0.0.50' }] }, 'CreatePortInput', 'port')).toEqual([
      { code: 'CONFLICT', field: ['input', 'fixedIps', '0', 'ipAddress'], message: `Unable to complete operation for network ${networkId}. The IP address 10.0.0.50 is in use.` },
    ]);
  });

  it('unknown ids', async () => {
    expect(await refused('createSubnet', { networkId: '00000000-0000-4000-8000-000000000000', cidr: '10.7.0.0/24' }, 'CreateSubnetInput', 'subnet')).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'networkId'], message: expect.stringContaining('does not exist') },
    ]);
    expect((await refused('createPort', { networkId: 'not-a-uuid' }, 'CreatePortInput', 'port'))[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'networkId'] });
    expect((await refused('createPort', { networkId, securityGroupIds: ['00000000-0000-4000-8000-000000000001'] }, 'CreatePortInput', 'port'))[0]).toMatchObject({
      code: 'NOT_FOUND', field: ['input', 'securityGroupIds', '0'],
    });
  });

  it('duplicate names where Neutron forbids them', async () => {
    await registerHost(s, 'compute-dup', '10.0.0.77');
    expect(await refused('registerHost', { name: 'compute-dup', tunnelIp: '10.0.0.78', roles: ['COMPUTE'] }, 'RegisterHostInput', 'host')).toEqual([
      { code: 'CONFLICT', field: ['input', 'name'], message: "host 'compute-dup' already exists" },
    ]);
    await s.gql(`mutation { createSecurityGroup(input: { name: "web", projectId: "p1" }) { ${USER_ERRORS} } }`);
    expect((await refused('createSecurityGroup', { name: 'default', projectId: 'p1' }, 'CreateSecurityGroupInput', 'securityGroup'))[0]).toMatchObject({
      code: 'CONFLICT', field: ['input', 'name'],
    });
  });

  it('a client-supplied id that already exists', async () => {
    expect((await refused('createNetwork', { id: networkId, name: 'again', projectId: 'p1' }, 'CreateNetworkInput', 'network'))[0]).toMatchObject({
      code: 'CONFLICT', field: ['input', 'id'],
    });
  });
});

describe('SQL statements of a list', () => {
  const LIST = `query($n: ID!, $first: Int) { ports(first: $first, filter: { networkId: $n }) {
    nodes { id macAddress network { id name } fixedIps { ipAddress subnet { id cidr } } host { name } securityGroups { id name } } } }`;

  it('is the same for 10 and for 100 ports with network, subnets, host and groups', async () => {
    const net = await createNetwork(s, { name: 'many' });
    await createSubnet(s, { networkId: net.id, cidr: '10.50.0.0/24' });
    for (let i = 0; i < 100; i++) await createPort(s, { networkId: net.id });
    const ten = await s.request(LIST, { n: net.id, first: 10 });
    const hundred = await s.request(LIST, { n: net.id, first: 100 });
    expect(ten.errors).toBeUndefined();
    expect(hundred.data.ports.nodes).toHaveLength(100);
    expect(hundred.data.ports.nodes[99].securityGroups[0].name).toBe('default');
    expect(hundred.extensions?.sqlStatements).toBe(ten.extensions?.sqlStatements);
    expect(hundred.extensions?.sqlStatements).toBeLessThanOrEqual(6);
  });
});
