// Neutron's per-project quotas: defaults from neutron/conf/quota.py, usage
// counted from the project's objects, creations past the limit refused
// (in mutations and in what-ifs) whoever asks, limits set by admins only.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { createNetwork, createSubnet, registerHost, rowCounts, USER_ERRORS } from '../support/fixtures.js';
import { PROJECT_A, PROJECT_B, requestAs, roleTokens, type RoleTokens } from '../support/auth.js';

jest.setTimeout(120_000);

let s: TestServer;
let tokens: RoleTokens;

async function as(role: keyof RoleTokens, query: string, variables?: Record<string, unknown>) {
  const { status, body } = await requestAs(s, tokens[role], query, variables);
  return { status, body, data: body.data };
}
const setQuota = async (projectId: string, resource: string, limit: number | null) => {
  const { data } = await as('admin', `mutation($i: SetQuotaInput!) { setQuota(input: $i) { quotas { resource limit used } ${USER_ERRORS} } }`, { i: { projectId, resource, limit } });
  expect(data.setQuota.userErrors).toEqual([]);
  return data.setQuota.quotas as { resource: string; limit: number; used: number }[];
};
const quotaOf = async (role: keyof RoleTokens, resource: string, projectId?: string) => {
  const { body } = await as(role, `query($p: String) { quotas(projectId: $p) { resource limit used } }`, { p: projectId });
  expect(body.errors).toBeUndefined();
  return body.data.quotas.find((q: { resource: string }) => q.resource === resource);
};
const OVER = (resource: string) => [{ code: 'EXHAUSTED', field: null, message: `Quota exceeded for resources: ['${resource}'].` }];

beforeAll(async () => {
  s = await startTestServer({ AUTH: 'on' });
  tokens = await roleTokens(s);
  await registerHost(s, 'compute-1', '10.0.0.11');
  await registerHost(s, 'network-1', '10.0.0.21', ['NETWORK']);
});
afterAll(async () => s?.stop());

it("reads Neutron's defaults and the project's usage", async () => {
  const { data } = await as('A', '{ quotas { resource limit used } }');
  expect(data.quotas).toEqual([
    { resource: 'NETWORK', limit: 100, used: 0 },
    { resource: 'SUBNET', limit: 100, used: 0 },
    { resource: 'PORT', limit: 500, used: 0 },
    { resource: 'ROUTER', limit: 10, used: 0 },
    { resource: 'FLOATINGIP', limit: 50, used: 0 },
    { resource: 'SECURITY_GROUP', limit: 10, used: 0 },
    { resource: 'SECURITY_GROUP_RULE', limit: 100, used: 0 },
  ]);
  const { body } = await as('A', `{ quotas(projectId: "${PROJECT_B}") { used } }`);
  expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  expect((await as('admin', '{ quotas { used } }')).body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
});

it('refuses the network past the limit, for the project and for an admin acting for it, and counts it back on delete', async () => {
  await setQuota(PROJECT_A, 'NETWORK', 2);
  const create = (role: keyof RoleTokens) => as(role, `mutation { createNetwork(input: { name: "n", projectId: "${PROJECT_A}" }) { network { id } ${USER_ERRORS} } }`);
  const first = (await create('A')).data.createNetwork.network.id;
  expect((await create('A')).data.createNetwork.userErrors).toEqual([]);
  const before = await rowCounts(s);
  expect((await create('A')).data.createNetwork.userErrors).toEqual(OVER('network'));
  expect((await create('admin')).data.createNetwork.userErrors).toEqual(OVER('network'));
  expect(await rowCounts(s)).toEqual(before);
  expect(await quotaOf('A', 'NETWORK')).toEqual({ resource: 'NETWORK', limit: 2, used: 2 });
  // Another project is not affected.
  expect((await as('B', `mutation { createNetwork(input: { name: "n" }) { ${USER_ERRORS} } }`)).data.createNetwork.userErrors).toEqual([]);
  await as('A', `mutation { deleteNetwork(input: { id: "${first}" }) { ${USER_ERRORS} } }`);
  expect((await create('A')).data.createNetwork.userErrors).toEqual([]);
  // Back to the default.
  expect((await setQuota(PROJECT_A, 'NETWORK', null)).find((q) => q.resource === 'NETWORK')).toEqual({ resource: 'NETWORK', limit: 100, used: 2 });
});

it('counts ports as Neutron does: router gateway and floating IP ports belong to no project', async () => {
  const ext = await createNetwork(s, { name: 'ext', projectId: 'admin', external: true });
  await createSubnet(s, { networkId: ext.id, cidr: '172.24.4.0/24', enableDhcp: false });
  const net = await createNetwork(s, { name: 'ports', projectId: PROJECT_B });
  const subnet = await createSubnet(s, { networkId: net.id, cidr: '10.5.0.0/24', enableDhcp: false });
  const router = (await as('B', `mutation { createRouter(input: { name: "r" }) { router { id } } }`)).data.createRouter.router.id;
  expect((await as('B', `mutation { addRouterInterface(input: { routerId: "${router}", subnetId: "${subnet.id}" }) { ${USER_ERRORS} } }`)).data.addRouterInterface.userErrors).toEqual([]);
  expect((await as('B', `mutation { setRouterGateway(input: { routerId: "${router}", externalNetworkId: "${ext.id}" }) { ${USER_ERRORS} } }`)).data.setRouterGateway.userErrors).toEqual([]);
  expect((await as('B', `mutation { createFloatingIp(input: { externalNetworkId: "${ext.id}" }) { ${USER_ERRORS} } }`)).data.createFloatingIp.userErrors).toEqual([]);
  // The router interface is B's port; the gateway and floating IP ports are no project's.
  expect(await quotaOf('B', 'PORT')).toEqual({ resource: 'PORT', limit: 500, used: 1 });
  expect(await quotaOf('B', 'FLOATINGIP')).toEqual({ resource: 'FLOATINGIP', limit: 50, used: 1 });
  await setQuota(PROJECT_B, 'PORT', 2);
  const port = () => as('B', `mutation { createPort(input: { networkId: "${net.id}" }) { ${USER_ERRORS} } }`);
  expect((await port()).data.createPort.userErrors).toEqual([]);
  expect((await port()).data.createPort.userErrors).toEqual([{ ...OVER('port')[0] }]);
  // A boot's ports count too.
  const boot = await as('B', `mutation { bootInstance(input: { name: "vm", networks: [{ networkId: "${net.id}" }] }) { ${USER_ERRORS} } }`);
  expect(boot.data.bootInstance.userErrors).toEqual(OVER('port'));
  // Unlimited.
  await setQuota(PROJECT_B, 'PORT', -1);
  expect((await port()).data.createPort.userErrors).toEqual([]);
});

it('refuses security groups and rules past their limits, and a what-if says so as the mutation would', async () => {
  await setQuota(PROJECT_A, 'SECURITY_GROUP', 1);
  const group = (await as('A', `mutation { createSecurityGroup(input: { name: "web" }) { securityGroup { id } ${USER_ERRORS} } }`)).data.createSecurityGroup;
  expect(group.userErrors).toEqual([]);
  expect((await as('A', `mutation { createSecurityGroup(input: { name: "db" }) { ${USER_ERRORS} } }`)).data.createSecurityGroup.userErrors).toEqual(OVER('security_group'));
  // A new group comes with its two egress rules.
  expect(await quotaOf('A', 'SECURITY_GROUP_RULE')).toEqual({ resource: 'SECURITY_GROUP_RULE', limit: 100, used: 2 });
  await setQuota(PROJECT_A, 'SECURITY_GROUP_RULE', 3);
  const rule = (port: number) => ({ createSecurityGroupRule: { securityGroupId: group.securityGroup.id, direction: 'INGRESS', protocol: 'tcp', portRangeMin: port, portRangeMax: port } });
  const q = `query($c: [ChangeInput!]!) { whatIf(changes: $c) { changes { status userErrors { field message code } } } }`;
  const { body } = await as('A', q, { c: [rule(22), rule(80)] });
  expect(body.errors).toBeUndefined();
  expect(body.data.whatIf.changes).toEqual([
    { status: 'APPLIED', userErrors: [] },
    { status: 'FAILED', userErrors: [{ field: ['changes', '1', 'createSecurityGroupRule'], code: 'EXHAUSTED', message: "Quota exceeded for resources: ['security_group_rule']." }] },
  ]);
});

it('takes limits from admins only, from -1 up', async () => {
  const { data } = await as('A', `mutation { setQuota(input: { projectId: "${PROJECT_A}", resource: ROUTER, limit: 99 }) { ${USER_ERRORS} } }`);
  expect(data).toBeNull();
  const bad = await as('admin', `mutation { setQuota(input: { projectId: "${PROJECT_A}", resource: ROUTER, limit: -2 }) { ${USER_ERRORS} } }`);
  expect(bad.data.setQuota.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'limit'], message: 'a quota is -1 (no limit) or a count from 0' }]);
});

it('lets no two concurrent creations overshoot a quota', async () => {
  await setQuota('proj-c', 'ROUTER', 3);
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) => as('admin', `mutation { createRouter(input: { name: "r${i}", projectId: "proj-c" }) { ${USER_ERRORS} } }`)),
  );
  const accepted = results.filter((r) => r.data.createRouter.userErrors.length === 0);
  expect(accepted).toHaveLength(3);
  expect(await quotaOf('admin', 'ROUTER', 'proj-c')).toEqual({ resource: 'ROUTER', limit: 3, used: 3 });
});
