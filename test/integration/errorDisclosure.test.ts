// What refusals tell the caller: addresses in use answer as Neutron does,
// without naming the port (or project) that holds them; a project token
// learns nothing about hosts, whichever way a host is unfit; refusals
// because of the caller's own objects name them, by id and device owner.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createNetwork, createPort, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';
import { PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

let s: TestServer;
let tokens: RoleTokens;
let shared: { id: string };
let sharedSubnet: { id: string };
let ext: { id: string };
let netA: { id: string };
let portB: { id: string; macAddress: string };
let fipB: string;

type UserError = { field: string[] | null; message: string; code: string };

/** Runs the mutation as `role` and returns its userErrors (there must be no request error). */
async function errorsOf(role: keyof RoleTokens, mutation: string, inputType: string, input: Record<string, unknown>): Promise<UserError[]> {
  const { body } = await requestAs(s, tokens[role], `mutation($i: ${inputType}!) { ${mutation}(input: $i) { ${USER_ERRORS} } }`, { i: input });
  expect(body.errors).toBeUndefined();
  return body.data[mutation].userErrors;
}

async function okAs(role: keyof RoleTokens, query: string, variables?: Record<string, unknown>) {
  const { body } = await requestAs(s, tokens[role], query, variables);
  expect(body.errors).toBeUndefined();
  const [payload] = Object.values(body.data as Record<string, { userErrors?: UserError[] }>);
  expect(payload.userErrors ?? []).toEqual([]);
  return payload as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  await registerHost(s, 'compute-1', '10.0.0.11');
  await registerHost(s, 'network-1', '10.0.0.21', ['NETWORK']);
  await registerHost(s, 'down-1', '10.0.0.31');
  await s.gql('mutation { setHostStatus(input: { hostName: "down-1", up: false }) { host { up } } }');
  shared = await createNetwork(s, { name: 'shared', projectId: 'admin', shared: true });
  sharedSubnet = await createSubnet(s, { networkId: shared.id, cidr: '10.9.0.0/24', enableDhcp: false });
  ext = await createNetwork(s, { name: 'ext', projectId: 'admin', external: true });
  await createSubnet(s, { networkId: ext.id, cidr: '172.24.4.0/24', enableDhcp: false });
  netA = await createNetwork(s, { name: 'a', projectId: PROJECT_A });
  await createSubnet(s, { networkId: netA.id, cidr: '10.1.0.0/24', enableDhcp: false });
  portB = (await okAs('B', `mutation($i: CreatePortInput!) { createPort(input: $i) { port { id macAddress } ${USER_ERRORS} } }`, {
    i: { networkId: shared.id, fixedIps: [{ subnetId: sharedSubnet.id, ipAddress: '10.9.0.50' }] },
  })).port;
  fipB = (await okAs('B', `mutation { createFloatingIp(input: { externalNetworkId: "${ext.id}", floatingIpAddress: "172.24.4.50" }) { floatingIp { id } ${USER_ERRORS} } }`)).floatingIp.id;
});
afterAll(async () => s?.stop());

/** Every id the message must not carry: another project's objects. */
const hidden = () => [portB.id, fipB, PROJECT_B];

describe("another project's addresses", () => {
  it('a fixed IP in use answers with IpAddressInUse, naming no port', async () => {
    const errors = await errorsOf('A', 'createPort', 'CreatePortInput', { networkId: shared.id, fixedIps: [{ subnetId: sharedSubnet.id, ipAddress: '10.9.0.50' }] });
    expect(errors).toEqual([
      { code: 'CONFLICT', field: ['input', 'fixedIps', '0', 'ipAddress'], message: `Unable to complete operation for network ${shared.id}. The IP address 10.9.0.50 is in use.` },
    ]);
  });

  it('a MAC in use answers with MacAddressInUse, naming no port', async () => {
    const errors = await errorsOf('A', 'createPort', 'CreatePortInput', { networkId: shared.id, macAddress: portB.macAddress });
    expect(errors).toEqual([
      { code: 'CONFLICT', field: ['input', 'macAddress'], message: `Unable to complete operation for network ${shared.id}. The mac address ${portB.macAddress} is in use.` },
    ]);
  });

  it('a floating IP address in use answers with IpAddressInUse on the external network', async () => {
    const errors = await errorsOf('A', 'createFloatingIp', 'CreateFloatingIpInput', { externalNetworkId: ext.id, floatingIpAddress: '172.24.4.50' });
    expect(errors).toEqual([
      { code: 'CONFLICT', field: ['input', 'floatingIpAddress', 'fixedIps', '0', 'ipAddress'], message: `Unable to complete operation for network ${ext.id}. The IP address 172.24.4.50 is in use.` },
    ]);
    for (const id of hidden()) expect(JSON.stringify(errors)).not.toContain(id);
  });
});

describe('hosts, for a project token', () => {
  const boot = (role: keyof RoleTokens, hostName: string) =>
    errorsOf(role, 'bootInstance', 'BootInstanceInput', { name: 'vm', projectId: PROJECT_A, hostName, networks: [{ networkId: netA.id }] });
  const refusedHosts = ['compute-9', 'network-1', 'down-1', 'bad name!'];

  it('every refused host reads alike: missing, without COMPUTE, down or unnamable', async () => {
    const before = await rowCounts(s);
    const answers = await Promise.all(refusedHosts.map(async (host) => JSON.stringify(await boot('A', host)).replaceAll(host, '<host>')));
    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0])).toEqual([{ code: 'INVALID', field: ['input', 'hostName'], message: 'No valid host was found. There are not enough hosts available.' }]);
    expect(await rowCounts(s)).toEqual(before);
  });

  it('an admin keeps the precise reason', async () => {
    expect((await boot('admin', 'compute-9'))[0]).toMatchObject({ code: 'NOT_FOUND', message: "host 'compute-9' does not exist" });
    expect((await boot('admin', 'network-1'))[0]).toMatchObject({ code: 'INVALID', message: "host 'network-1' has no COMPUTE role" });
    expect((await boot('admin', 'down-1'))[0]).toMatchObject({ code: 'INVALID', message: "host 'down-1' is down" });
  });

  it('reads alike inside a what-if too', async () => {
    const q = `query($c: [ChangeInput!]!) { whatIf(changes: $c) { changes { status userErrors { field message code } } } }`;
    const messages = await Promise.all(['compute-9', 'network-1', 'down-1'].map(async (hostName) => {
      const { body } = await requestAs(s, tokens.A, q, { c: [{ bootInstance: { name: 'vm', projectId: PROJECT_A, hostName, networks: [{ networkId: netA.id }] } }] });
      expect(body.errors).toBeUndefined();
      const [change] = body.data.whatIf.changes;
      expect(change.status).toBe('FAILED');
      return JSON.stringify(change.userErrors).replaceAll(hostName, '<host>');
    }));
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toContain('No valid host was found. There are not enough hosts available.');
  });
});

describe("refusals name the caller's own objects", () => {
  it("deleteNetwork names the project's ports with their device owners, and only counts another project's", async () => {
    const net = await createNetwork(s, { name: 'a-shared', projectId: PROJECT_A, shared: true });
    const subnet = await createSubnet(s, { networkId: net.id, cidr: '10.3.0.0/24', enableDhcp: false });
    const mine = await okAs('A', `mutation { createPort(input: { networkId: "${net.id}", deviceOwner: "compute:nova" }) { port { id } ${USER_ERRORS} } }`);
    const theirs = await okAs('B', `mutation { createPort(input: { networkId: "${net.id}" }) { port { id } ${USER_ERRORS} } }`);
    const errors = await errorsOf('A', 'deleteNetwork', 'DeleteInput', { id: net.id });
    expect(errors).toEqual([{
      code: 'IN_USE',
      field: ['input', 'id'],
      message: `Unable to complete operation on network ${net.id}. There are one or more ports still in use on the network: port ${mine.port.id} (compute:nova) and 1 port of other projects.`,
    }]);
    expect(JSON.stringify(errors)).not.toContain(theirs.port.id);
    // The admin reads both.
    const admin = await errorsOf('admin', 'deleteNetwork', 'DeleteInput', { id: net.id });
    expect(admin[0].message).toContain(`port ${theirs.port.id} (no device owner)`);
    const subnetErrors = await errorsOf('A', 'deleteSubnet', 'DeleteInput', { id: subnet.id });
    expect(subnetErrors[0]).toMatchObject({ code: 'IN_USE', message: expect.stringContaining(`port ${mine.port.id} (compute:nova) and 1 port of other projects`) });
  });

  it('deleteSecurityGroup names the ports that use the group', async () => {
    const group = (await okAs('A', `mutation { createSecurityGroup(input: { name: "web", projectId: "${PROJECT_A}" }) { securityGroup { id } ${USER_ERRORS} } }`)).securityGroup.id;
    const port = await createPort(s, { networkId: netA.id, projectId: PROJECT_A, securityGroupIds: [group] });
    expect(await errorsOf('A', 'deleteSecurityGroup', 'DeleteInput', { id: group })).toEqual([
      { code: 'IN_USE', field: ['input', 'id'], message: `Security Group ${group} in use by port ${port.id} (no device owner).` },
    ]);
  });

  it('deleteRouter names its interface ports', async () => {
    const router = (await okAs('A', `mutation { createRouter(input: { name: "r", projectId: "${PROJECT_A}" }) { router { id } ${USER_ERRORS} } }`)).router.id;
    const subnet = await createSubnet(s, { networkId: netA.id, cidr: '10.4.0.0/24', enableDhcp: false });
    const { port } = await okAs('A', `mutation { addRouterInterface(input: { routerId: "${router}", subnetId: "${subnet.id}" }) { port { id } ${USER_ERRORS} } }`);
    expect(await errorsOf('A', 'deleteRouter', 'DeleteInput', { id: router })).toEqual([
      { code: 'IN_USE', field: ['input', 'id'], message: `Router ${router} still has ports: port ${port.id} (network:router_interface).` },
    ]);
  });
});
