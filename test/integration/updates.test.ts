// Updates as Neutron's PUT does them, over HTTP: refusals come back as
// userErrors naming the input field and write nothing, and an accepted
// update rewires the port and changes its paths. One server for the file.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createPort, createSubnet, registerHost, tableChecksums, USER_ERRORS } from '../support/fixtures.js';
import { qvoName, tapName } from '../../src/domain/naming.js';
import { PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

let s: TestServer;
let tokens: RoleTokens;
const ids = {} as Record<'net' | 'subnet' | 'otherSubnet' | 'closed' | 'defaultGroup' | 'portA' | 'portB' | 'portC' | 'foreignGroup' | 'router', string>;

const UPDATE_PORT = `mutation($i: UpdatePortInput!) { updatePort(input: $i) {
  port { id name status adminStateUp portSecurityEnabled securityGroups { id } allowedAddressPairs { ipAddress } fixedIps { ipAddress subnet { id } } }
  ${USER_ERRORS} } }`;
const PATH = `query($from: EndpointInput!, $to: EndpointInput!) { path(from: $from, to: $to, flow: { protocol: TCP, destinationPort: 22 }) { verdict dropReason explanation } }`;

const updatePort = async (input: Record<string, unknown>, token?: string | null) =>
  (token === undefined ? await s.request(UPDATE_PORT, { i: input }) : (await requestAs(s, token, UPDATE_PORT, { i: input })).body).data!.updatePort;
const path = async (from: string, to: string) => (await s.gql(PATH, { from: { instance: from }, to: { instance: to } })).path;

const UPDATE_SUBNET = `mutation($i: UpdateSubnetInput!) { updateSubnet(input: $i) {
  subnet { id name gatewayIp enableDhcp dnsNameservers hostRoutes { destination nexthop } allocationPools { start end } }
  ${USER_ERRORS} } }`;
const updateSubnet = async (input: Record<string, unknown>, token?: string | null) =>
  (token === undefined ? await s.request(UPDATE_SUBNET, { i: input }) : (await requestAs(s, token, UPDATE_SUBNET, { i: input })).body).data!.updateSubnet;

type Update = (input: Record<string, unknown>, token?: string | null) => Promise<Record<string, unknown>>;

/** An update refused with these errors (its payload's `object` null), and not a row changed. */
async function refused(input: Record<string, unknown>, errors: { field: string[]; code: string }[], token?: string | null, update: Update = updatePort, object = 'port') {
  const before = await tableChecksums(s);
  const result = await update(input, token);
  expect(result[object]).toBeNull();
  expect(result.userErrors).toEqual(errors.map((e) => expect.objectContaining(e)));
  expect(await tableChecksums(s)).toEqual(before);
  return result.userErrors as { message: string }[];
}

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  await registerHost(s, 'compute-1', '192.0.2.11');
  await registerHost(s, 'network-1', '192.0.2.21', ['NETWORK']);
  ids.net = (await createNetwork(s, { name: 'net', projectId: PROJECT_A })).id;
  ids.subnet = (await createSubnet(s, { networkId: ids.net, cidr: '10.1.0.0/24', enableDhcp: false })).id;
  ids.otherSubnet = (await createSubnet(s, { networkId: (await createNetwork(s, { name: 'other', projectId: PROJECT_A })).id, cidr: '10.2.0.0/24', enableDhcp: false })).id;
  const group = async (name: string, projectId: string) =>
    (await s.gql(`mutation($i: CreateSecurityGroupInput!) { createSecurityGroup(input: $i) { securityGroup { id } } }`, { i: { name, projectId } })).createSecurityGroup.securityGroup.id;
  ids.closed = await group('closed', PROJECT_A);
  ids.foreignGroup = await group('theirs', PROJECT_B);
  const boot = async (name: string, groups?: string[]) =>
    (await bootInstance(s, { name, projectId: PROJECT_A, hostName: 'compute-1', networks: [{ networkId: ids.net }], ...(groups ? { securityGroupIds: groups } : {}) })).ports[0].id;
  ids.portA = await boot('vm-a');
  ids.portB = await boot('vm-b', [ids.closed]);
  ids.portC = await boot('vm-c');
  ids.defaultGroup = (await s.gql(`{ securityGroups(filter: { name: "default" }) { nodes { id projectId } } }`))
    .securityGroups.nodes.find((g: { projectId: string }) => g.projectId === PROJECT_A).id;
});
afterAll(async () => s?.stop());

describe('updatePort refuses, naming the field, and writes nothing', () => {
  it('port security off while the port keeps its groups', async () => {
    const [error] = await refused({ id: ids.portA, portSecurityEnabled: false }, [{ field: ['input', 'portSecurityEnabled'], code: 'INVALID' }]);
    expect(error.message).toMatch(/security group associated/);
  });

  it('groups or address pairs on a port without port security', async () => {
    await refused({ id: ids.portA, portSecurityEnabled: false, securityGroupIds: [ids.closed] }, [{ field: ['input', 'securityGroupIds'], code: 'INVALID' }]);
    await refused({ id: ids.portA, portSecurityEnabled: false, securityGroupIds: [], allowedAddressPairs: [{ ipAddress: '10.1.0.200' }] }, [
      { field: ['input', 'allowedAddressPairs'], code: 'INVALID' },
    ]);
  });

  it('a group that does not exist, a group of another project, an address off the network', async () => {
    await refused({ id: ids.portA, securityGroupIds: [ids.closed, '00000000-0000-4000-8000-000000000000'] }, [{ field: ['input', 'securityGroupIds', '1'], code: 'NOT_FOUND' }]);
    await refused({ id: ids.portA, securityGroupIds: [ids.foreignGroup] }, [{ field: ['input', 'securityGroupIds', '0'], code: 'INVALID' }]);
    await refused({ id: ids.portA, fixedIps: [{ subnetId: ids.otherSubnet }] }, [{ field: ['input', 'fixedIps', '0', 'subnetId'], code: 'INVALID' }]);
    await refused({ id: ids.portA, fixedIps: [{ subnetId: ids.subnet, ipAddress: '10.9.9.9' }] }, [{ field: ['input', 'fixedIps', '0', 'ipAddress'], code: 'INVALID' }]);
  });

  it("a project token: another project's port and group are refused without naming anything of theirs", async () => {
    const theirs = await refused({ id: ids.portA, name: 'mine' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }], tokens.B);
    const unseen = await refused({ id: ids.portA, securityGroupIds: [ids.foreignGroup] }, [{ field: ['input', 'securityGroupIds', '0'], code: 'NOT_FOUND' }], tokens.A);
    for (const { message } of [...theirs, ...unseen]) expect(message).not.toMatch(new RegExp(`${PROJECT_A}|${PROJECT_B}`));
    expect((await requestAs(s, tokens['A-ro'], UPDATE_PORT, { i: { id: ids.portA, name: 'x' } })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('updatePort changes the port, its plumbing and its paths', () => {
  it('admin state down drops the traffic of the port at the dead VLAN (PORT_DOWN); up again delivers', async () => {
    expect(await path('vm-a', 'vm-c')).toMatchObject({ verdict: 'DELIVERED' });
    const down = await updatePort({ id: ids.portC, adminStateUp: false }, tokens.A);
    expect(down.userErrors).toEqual([]);
    expect(down.port).toMatchObject({ adminStateUp: false, status: 'DOWN' });
    const dropped = await path('vm-a', 'vm-c');
    expect(dropped).toMatchObject({ verdict: 'DROPPED', dropReason: 'PORT_DOWN' });
    expect(dropped.explanation).toMatch(/administratively down.*dead VLAN 4095/);
    const tagOf = async () => {
      const { host } = await s.gql(`{ host(name: "compute-1") { bridges { name ports { name tag } } } }`);
      const brInt = host.bridges.find((b: { name: string }) => b.name === 'br-int');
      return brInt.ports.find((p: { name: string }) => p.name === qvoName(ids.portC)).tag;
    };
    expect(await tagOf()).toBe(4095);

    const up = await updatePort({ id: ids.portC, adminStateUp: true });
    expect(up.port).toMatchObject({ adminStateUp: true, status: 'ACTIVE' });
    expect(await path('vm-a', 'vm-c')).toMatchObject({ verdict: 'DELIVERED' });
    expect(await tagOf()).not.toBe(4095);
  });

  it('a new security group changes the verdict; port security off and on again', async () => {
    expect(await path('vm-a', 'vm-b')).toMatchObject({ verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' });
    const open = await updatePort({ id: ids.portB, securityGroupIds: [ids.closed, ids.defaultGroup], name: 'b' });
    expect(open.userErrors).toEqual([]);
    expect(open.port.securityGroups.map((g: { id: string }) => g.id).sort()).toEqual([ids.closed, ids.defaultGroup].sort());
    expect(open.port.name).toBe('b');
    expect(await path('vm-a', 'vm-b')).toMatchObject({ verdict: 'DELIVERED' });

    const unfiltered = await updatePort({ id: ids.portB, portSecurityEnabled: false, securityGroupIds: [] });
    expect(unfiltered.port).toMatchObject({ portSecurityEnabled: false, securityGroups: [] });
    const refiltered = await updatePort({ id: ids.portB, portSecurityEnabled: true, securityGroupIds: [ids.closed], allowedAddressPairs: [{ ipAddress: '10.1.0.0/28' }] });
    expect(refiltered.port).toMatchObject({ portSecurityEnabled: true, securityGroups: [{ id: ids.closed }], allowedAddressPairs: [{ ipAddress: '10.1.0.0/28' }] });
    expect(await path('vm-a', 'vm-b')).toMatchObject({ verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' });
  });

  it('fixed IPs: a listed address is kept, a new one allocated, the rest released', async () => {
    const { port } = await s.gql(`query($id: ID!) { port: node(id: $id) { ... on Port { fixedIps { ipAddress } } } }`, { id: ids.portC });
    const held = port.fixedIps[0].ipAddress;
    const both = await updatePort({ id: ids.portC, fixedIps: [{ subnetId: ids.subnet, ipAddress: held }, { subnetId: ids.subnet, ipAddress: '10.1.0.77' }] });
    expect(both.userErrors).toEqual([]);
    expect(both.port.fixedIps.map((f: { ipAddress: string }) => f.ipAddress).sort()).toEqual([held, '10.1.0.77'].sort());
    const moved = await updatePort({ id: ids.portC, fixedIps: [{ subnetId: ids.subnet, ipAddress: '10.1.0.77' }] });
    expect(moved.port.fixedIps.map((f: { ipAddress: string }) => f.ipAddress)).toEqual(['10.1.0.77']);
    // The released address is free again: another port may take it.
    const taken = await updatePort({ id: ids.portA, fixedIps: [{ subnetId: ids.subnet }, { subnetId: ids.subnet, ipAddress: held }] });
    expect(taken.userErrors).toEqual([]);
    expect(taken.port.fixedIps.map((f: { ipAddress: string }) => f.ipAddress)).toContain(held);
    await refused({ id: ids.portB, fixedIps: [{ subnetId: ids.subnet, ipAddress: '10.1.0.77' }] }, [{ field: ['input', 'fixedIps', '0', 'ipAddress'], code: 'CONFLICT' }]);
  });
});

it('what-if: attaching a group to a port changes the path verdict, and nothing is committed', async () => {
  const before = await tableChecksums(s);
  const { whatIf } = await s.gql(
    `query($changes: [ChangeInput!]!, $check: WhatIfCheckInput) { whatIf(changes: $changes, check: $check) {
      applied changes { status userErrors { field message } } paths { change before { verdict dropReason } after { verdict } } } }`,
    {
      changes: [{ updatePort: { id: ids.portB, securityGroupIds: [ids.closed, ids.defaultGroup] } }],
      check: { paths: [{ from: { instance: 'vm-a' }, to: { instance: 'vm-b' }, flow: { protocol: 'TCP', destinationPort: 22 } }] },
    },
  );
  expect(whatIf.applied).toBe(true);
  expect(whatIf.paths).toEqual([{ change: 'FIXED', before: { verdict: 'DROPPED', dropReason: 'SECURITY_GROUP_INGRESS' }, after: { verdict: 'DELIVERED' } }]);
  expect(await tableChecksums(s)).toEqual(before);
  expect(await path('vm-a', 'vm-b')).toMatchObject({ verdict: 'DROPPED' });
});

describe('updateSubnet', () => {
  const refusedSubnet = (input: Record<string, unknown>, errors: { field: string[]; code: string }[], token?: string | null) => refused(input, errors, token, updateSubnet, 'subnet');

  it('refuses, naming the field, and writes nothing', async () => {
    const [conflict] = await refusedSubnet({ id: ids.subnet, gatewayIp: '10.1.0.9' }, [{ field: ['input', 'gatewayIp'], code: 'INVALID' }]);
    expect(conflict.message).toBe('Gateway ip 10.1.0.9 conflicts with allocation pool 10.1.0.2-10.1.0.254');
    await refusedSubnet({ id: ids.subnet, gatewayIp: '10.2.0.1' }, [{ field: ['input', 'gatewayIp'], code: 'INVALID' }]);
    await refusedSubnet({ id: ids.subnet, allocationPools: [{ start: '10.1.0.10', end: '10.1.1.20' }] }, [{ field: ['input', 'allocationPools', '0'], code: 'INVALID' }]);
    await refusedSubnet({ id: ids.subnet, allocationPools: [{ start: '10.1.0.10', end: '10.1.0.20' }, { start: '10.1.0.20', end: '10.1.0.30' }] }, [
      { field: ['input', 'allocationPools', '1'], code: 'INVALID' },
    ]);
    await refusedSubnet({ id: ids.subnet, allocationPools: [{ start: '10.1.0.1', end: '10.1.0.20' }] }, [{ field: ['input', 'allocationPools'], code: 'INVALID' }]);
    await refusedSubnet({ id: ids.subnet, dnsNameservers: ['2001:db8::53'] }, [{ field: ['input', 'dnsNameservers', '0'], code: 'INVALID' }]);
    await refusedSubnet({ id: ids.subnet, dnsNameservers: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'] }, [{ field: ['input', 'dnsNameservers'], code: 'INVALID' }]);
    await refusedSubnet({ id: ids.subnet, hostRoutes: [{ destination: '192.168.0.5/24', nexthop: '10.1.0.5' }] }, [{ field: ['input', 'hostRoutes', '0', 'destination'], code: 'INVALID' }]);
    await refusedSubnet({ id: ids.subnet, name: 'theirs' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }], tokens.B);
  });

  it('takes pools, gateway, DNS servers and host routes; new ports get addresses of the pools', async () => {
    const updated = await updateSubnet(
      { id: ids.subnet, name: 'pooled', allocationPools: [{ start: '10.1.0.100', end: '10.1.0.150' }], gatewayIp: '10.1.0.254', dnsNameservers: ['10.1.0.53'], hostRoutes: [{ destination: '192.168.0.0/24', nexthop: '10.1.0.5' }] },
      tokens.A,
    );
    expect(updated).toEqual({
      subnet: {
        id: ids.subnet, name: 'pooled', gatewayIp: '10.1.0.254', enableDhcp: false, dnsNameservers: ['10.1.0.53'],
        hostRoutes: [{ destination: '192.168.0.0/24', nexthop: '10.1.0.5' }], allocationPools: [{ start: '10.1.0.100', end: '10.1.0.150' }],
      },
      userErrors: [],
    });
    const port = await createPort(s, { networkId: ids.net });
    expect(port.fixedIps.map((f) => f.ipAddress)).toEqual(['10.1.0.100']);
  });

  it('DHCP on schedules the qdhcp port and namespace on the network host; off removes them', async () => {
    const dhcpPorts = async () => (await s.gql(`query($net: ID!) { ports(filter: { networkId: $net, deviceOwner: "network:dhcp" }) { nodes { id status fixedIps { ipAddress } } } }`, { net: ids.net })).ports.nodes;
    const namespaces = async () => (await s.gql(`{ host(name: "network-1") { namespaces { name } } }`)).host.namespaces.map((n: { name: string }) => n.name);
    const on = await updateSubnet({ id: ids.subnet, enableDhcp: true });
    expect(on.subnet.enableDhcp).toBe(true);
    expect(await dhcpPorts()).toEqual([expect.objectContaining({ status: 'ACTIVE', fixedIps: [{ ipAddress: '10.1.0.101' }] })]);
    expect(await namespaces()).toContain(`qdhcp-${ids.net}`);
    await updateSubnet({ id: ids.subnet, enableDhcp: false });
    expect(await dhcpPorts()).toEqual([]);
    expect(await namespaces()).not.toContain(`qdhcp-${ids.net}`);
  });

  it('a gateway a router interface holds cannot move', async () => {
    const router = (await s.gql(`mutation { createRouter(input: { name: "r", projectId: "${PROJECT_A}" }) { router { id } } }`)).createRouter.router.id;
    const added = await s.gql(`mutation($r: ID!, $s: ID!) { addRouterInterface(input: { routerId: $r, subnetId: $s }) { port { id } ${USER_ERRORS} } }`, { r: router, s: ids.subnet });
    expect(added.addRouterInterface.userErrors).toEqual([]);
    const [error] = await refusedSubnet({ id: ids.subnet, gatewayIp: '10.1.0.253' }, [{ field: ['input', 'gatewayIp'], code: 'IN_USE' }]);
    expect(error.message).toContain(added.addRouterInterface.port.id);
    ids.router = router;
  });
});

describe('updateRouter, updateNetwork and updateSecurityGroup', () => {
  const UPDATE_ROUTER = `mutation($i: UpdateRouterInput!) { updateRouter(input: $i) { router { id name extraRoutes { destination nexthop } } ${USER_ERRORS} } }`;
  const updateRouter = async (input: Record<string, unknown>, token?: string | null) =>
    (token === undefined ? await s.request(UPDATE_ROUTER, { i: input }) : (await requestAs(s, token, UPDATE_ROUTER, { i: input })).body).data!.updateRouter;
  const UPDATE_GROUP = `mutation($i: UpdateSecurityGroupInput!) { updateSecurityGroup(input: $i) { securityGroup { id name description } ${USER_ERRORS} } }`;
  const updateGroup = async (input: Record<string, unknown>, token?: string | null) =>
    (token === undefined ? await s.request(UPDATE_GROUP, { i: input }) : (await requestAs(s, token, UPDATE_GROUP, { i: input })).body).data!.updateSecurityGroup;
  const refusedWith = (update: Update, object: string) => (input: Record<string, unknown>, errors: { field: string[]; code: string }[], token?: string | null) =>
    refused(input, errors, token, update, object);

  it('extra routes: a next hop off the router refused; one on its subnet rewrites the namespace and the path', async () => {
    const vmA = (await s.gql(`query($id: ID!) { port: node(id: $id) { ... on Port { fixedIps { ipAddress } } } }`, { id: ids.portA })).port.fixedIps[0].ipAddress;
    const outside = async () => (await s.gql(`{ path(from: { instance: "vm-c" }, to: { ipAddress: "192.168.5.10" }) { verdict dropReason } }`)).path;
    expect(await outside()).toMatchObject({ verdict: 'DROPPED', dropReason: 'NO_GATEWAY' });
    const refusedRouter = refusedWith(updateRouter, 'router');
    await refusedRouter({ id: ids.router, routes: [{ destination: '192.168.5.0/24', nexthop: '10.9.9.9' }] }, [{ field: ['input', 'routes', '0', 'nexthop'], code: 'INVALID' }]);
    await refusedRouter({ id: ids.router, routes: [{ destination: '192.168.5.0/24', nexthop: '10.1.0.254' }] }, [{ field: ['input', 'routes', '0', 'nexthop'], code: 'INVALID' }]);
    await refusedRouter({ id: ids.router, routes: [{ destination: '192.168.5.1/24', nexthop: vmA }] }, [{ field: ['input', 'routes', '0', 'destination'], code: 'INVALID' }]);
    await refusedRouter({ id: ids.router, enableSnat: false }, [{ field: ['input', 'enableSnat'], code: 'INVALID' }]);
    await refusedRouter({ id: ids.router, name: 'theirs' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }], tokens.B);

    const updated = await updateRouter({ id: ids.router, name: 'edge', routes: [{ destination: '192.168.5.0/24', nexthop: vmA }] }, tokens.A);
    expect(updated).toEqual({ router: { id: ids.router, name: 'edge', extraRoutes: [{ destination: '192.168.5.0/24', nexthop: vmA }] }, userErrors: [] });
    expect(await outside()).toMatchObject({ verdict: 'EXITED' });
    const { host } = await s.gql(`{ host(name: "network-1") { namespaces { name routes { destination gateway } } } }`);
    expect(host.namespaces.find((n: { name: string }) => n.name === `qrouter-${ids.router}`).routes).toContainEqual({ destination: '192.168.5.0/24', gateway: vmA });
  });

  it('networks: MTU within the encapsulation, sharing only for an admin, kept while other projects use the network', async () => {
    const UPDATE_NETWORK = `mutation($i: UpdateNetworkInput!) { updateNetwork(input: $i) { network { id name shared mtu } ${USER_ERRORS} } }`;
    const updateNetwork: Update = async (input, token) =>
      (token === undefined ? await s.request(UPDATE_NETWORK, { i: input }) : (await requestAs(s, token, UPDATE_NETWORK, { i: input })).body).data!.updateNetwork;
    const refusedNetwork = refusedWith(updateNetwork, 'network');
    const [tooBig] = await refusedNetwork({ id: ids.net, mtu: 1451 }, [{ field: ['input', 'mtu'], code: 'INVALID' }]);
    expect(tooBig.message).toBe('Requested MTU is too big, maximum is 1450');
    await refusedNetwork({ id: ids.net, mtu: 67 }, [{ field: ['input', 'mtu'], code: 'INVALID' }]);
    await refusedNetwork({ id: ids.net, shared: true }, [{ field: ['input', 'shared'], code: 'FORBIDDEN' }], tokens.A);
    await refusedNetwork({ id: ids.net, name: 'theirs' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }], tokens.B);

    expect((await updateNetwork({ id: ids.net, shared: true })).network).toMatchObject({ shared: true });
    const theirs = await requestAs(s, tokens.B, `mutation($i: CreatePortInput!) { createPort(input: $i) { port { id } ${USER_ERRORS} } }`, { i: { networkId: ids.net } });
    expect(theirs.body.data!.createPort.userErrors).toEqual([]);
    const [inUse] = await refusedNetwork({ id: ids.net, shared: false }, [{ field: ['input', 'shared'], code: 'IN_USE' }]);
    expect(inUse.message).not.toContain(PROJECT_B);
    expect(await updateNetwork({ id: ids.net, name: 'net-1400', mtu: 1400 }, tokens.A)).toEqual({ network: { id: ids.net, name: 'net-1400', shared: true, mtu: 1400 }, userErrors: [] });
  });

  it('security groups: renamed and described; the default group keeps its name and no other takes it', async () => {
    const refusedGroup = refusedWith(updateGroup, 'securityGroup');
    await refusedGroup({ id: ids.defaultGroup, name: 'open' }, [{ field: ['input', 'name'], code: 'INVALID' }]);
    await refusedGroup({ id: ids.closed, name: 'default' }, [{ field: ['input', 'name'], code: 'CONFLICT' }]);
    await refusedGroup({ id: ids.closed, name: '' }, [{ field: ['input', 'name'], code: 'INVALID' }]);
    await refusedGroup({ id: ids.closed, description: 'x' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }], tokens.B);
    const updated = await updateGroup({ id: ids.closed, name: 'shut', description: 'egress only' }, tokens.A);
    expect(updated).toEqual({ securityGroup: { id: ids.closed, name: 'shut', description: 'egress only' }, userErrors: [] });
  });
});

describe('updateHost', () => {
  const UPDATE_HOST = `mutation($i: UpdateHostInput!) { updateHost(input: $i) { host { name tunnelIp roles firewallDriver } ${USER_ERRORS} } }`;
  const updateHost: Update = async (input, token) =>
    (token === undefined ? await s.request(UPDATE_HOST, { i: input }) : (await requestAs(s, token, UPDATE_HOST, { i: input })).body).data!.updateHost;
  const brPorts = async (host: string, bridge: string) =>
    (await s.gql(`query($h: String!) { host(name: $h) { bridges { name ports { name remoteIp } } } }`, { h: host })).host.bridges.find((b: { name: string }) => b.name === bridge).ports;

  it('refuses, naming the field, and writes nothing; a project token may not call it', async () => {
    await refused({ hostName: 'compute-1', roles: [] }, [{ field: ['input', 'roles'], code: 'INVALID' }], undefined, updateHost, 'host');
    await refused({ hostName: 'compute-1', roles: ['NETWORK'] }, [{ field: ['input', 'roles'], code: 'IN_USE' }], undefined, updateHost, 'host');
    await refused({ hostName: 'network-1', roles: ['COMPUTE'] }, [{ field: ['input', 'roles'], code: 'IN_USE' }], undefined, updateHost, 'host');
    await refused({ hostName: 'compute-1', tunnelIp: '192.0.2' }, [{ field: ['input', 'tunnelIp'], code: 'INVALID' }], undefined, updateHost, 'host');
    const before = await tableChecksums(s);
    const { body } = await requestAs(s, tokens.A, UPDATE_HOST, { i: { hostName: 'compute-1', l2Population: true } });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await tableChecksums(s)).toEqual(before);
  });

  it('another firewall driver plugs the VM ports again and the path follows; a new tunnel IP moves the tunnels of the other hosts', async () => {
    const devices = async () => (await s.gql(`{ path(from: { instance: "vm-a" }, to: { instance: "vm-c" }) { verdict hops { kind device } } }`)).path;
    expect((await devices()).hops.map((h: { kind: string }) => h.kind)).toContain('LINUX_BRIDGE');
    expect((await updateHost({ hostName: 'compute-1', firewallDriver: 'OPENVSWITCH' })).host).toMatchObject({ firewallDriver: 'OPENVSWITCH' });
    const after = await devices();
    expect(after.verdict).toBe('DELIVERED');
    expect(after.hops.map((h: { kind: string }) => h.kind)).not.toContain('LINUX_BRIDGE');
    const names = (await brPorts('compute-1', 'br-int')).map((p: { name: string }) => p.name);
    expect(names).toContain(tapName(ids.portC));
    expect(names).not.toContain(qvoName(ids.portC));

    expect((await brPorts('compute-1', 'br-tun')).map((p: { remoteIp: string | null }) => p.remoteIp)).toContain('192.0.2.21');
    expect((await updateHost({ hostName: 'network-1', tunnelIp: '192.0.2.22' })).host).toMatchObject({ tunnelIp: '192.0.2.22' });
    const remotes = (await brPorts('compute-1', 'br-tun')).map((p: { remoteIp: string | null }) => p.remoteIp);
    expect(remotes).toContain('192.0.2.22');
    expect(remotes).not.toContain('192.0.2.21');
  });
});
