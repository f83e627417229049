// securityGroupAudit over HTTP, on a cloud built to have exactly one finding
// of each kind; and a flow universe that leaves rules without a pair.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';

// Building the cloud takes a while on PGlite.
jest.setTimeout(240_000);

let s: TestServer;
const rules: Record<string, string> = {};
const groups: Record<string, string> = {};

async function ok(mutation: string, type: string, input: Record<string, unknown>, select: string) {
  const data = await s.gql(`mutation($i: ${type}!) { ${mutation}(input: $i) { ${select} ${USER_ERRORS} } }`, { i: input });
  expect(data[mutation].userErrors).toEqual([]);
  return data[mutation];
}

const group = async (name: string) => {
  const { securityGroup } = await ok('createSecurityGroup', 'CreateSecurityGroupInput', { name, projectId: 'audit' }, 'securityGroup { id }');
  groups[name] = securityGroup.id;
};
const rule = async (key: string, groupName: string, extra: Record<string, unknown>) => {
  const input = { securityGroupId: groups[groupName], direction: 'INGRESS', protocol: 'tcp', ...extra };
  rules[key] = (await ok('createSecurityGroupRule', 'CreateSecurityGroupRuleInput', input, 'rule { id }')).rule.id;
};

beforeAll(async () => {
  s = await startTestServer();
  await registerHost(s, 'compute-1', '10.0.0.11');
  const network = await createNetwork(s, { name: 'app-net', projectId: 'audit' });
  await createSubnet(s, { networkId: network.id, cidr: '10.20.0.0/24' });
  await group('app');
  await group('empty');
  await rule('ssh', 'app', { portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' });
  await rule('range', 'app', { portRangeMin: 8000, portRangeMax: 8100, remoteIpPrefix: '10.20.0.0/24' });
  await rule('narrow', 'app', { portRangeMin: 8080, portRangeMax: 8080, remoteIpPrefix: '10.20.0.0/25' });
  await rule('https', 'app', { portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: '0.0.0.0/0' });
  await rule('httpsAgain', 'app', { portRangeMin: 443, portRangeMax: 443 });
  await rule('fromEmpty', 'app', { portRangeMin: 5000, portRangeMax: 5000, remoteGroupId: groups.empty });
  await rule('office', 'app', { portRangeMin: 9000, portRangeMax: 9000, remoteIpPrefix: '192.168.77.0/24' });
  await bootInstance(s, { name: 'app', projectId: 'audit', hostName: 'compute-1', networks: [{ networkId: network.id }], securityGroupIds: [groups.app] });
});
afterAll(async () => s?.stop());

const AUDIT = `query($p: String, $flows: [FlowInput!]) { securityGroupAudit(projectId: $p, flows: $flows) {
  projectId groupsChecked rulesChecked adminPorts findings { kind ruleId subject securityGroups ports relatedRuleId why } } }`;

interface Finding { kind: string; ruleId: string | null; subject: string; securityGroups: string[]; ports: string[]; relatedRuleId: string | null; why: string }

it('finds exactly one of each kind, naming the rule, its groups, its ports and why', async () => {
  const { securityGroupAudit: audit } = await s.gql(AUDIT, { p: 'audit' });
  expect(audit.groupsChecked).toBe(2);
  expect(audit.adminPorts).toEqual(expect.arrayContaining([22, 3389, 5900, 3306, 5432, 6379, 27017, 9200, 2379]));
  const byKind = Object.fromEntries(audit.findings.map((f: Finding) => [f.kind, f]));
  expect(audit.findings.map((f: Finding) => f.kind).sort()).toEqual(
    ['ALLOWS_NO_PAIR', 'DUPLICATE_RULE', 'EMPTY_REMOTE_GROUP', 'OPEN_ADMIN_PORT', 'SHADOWED_RULE', 'UNUSED_GROUP']);

  expect(byKind.OPEN_ADMIN_PORT).toMatchObject({ ruleId: rules.ssh, securityGroups: ['app'], ports: ['app'], why: 'it opens admin port 22 to every address (0.0.0.0/0)' });
  expect(byKind.SHADOWED_RULE).toMatchObject({ ruleId: rules.narrow, relatedRuleId: rules.range, ports: ['app'] });
  expect(byKind.SHADOWED_RULE.why).toBe(`on each of its 1 port(s) rule ${rules.range} of security group app: ingress tcp 8000-8100 from 10.20.0.0/24 already allows everything it allows`);
  // The later of the two (ids are random) is the duplicate of the earlier.
  const [earlier, later] = [rules.https, rules.httpsAgain].sort();
  expect(byKind.DUPLICATE_RULE).toMatchObject({ ruleId: later, relatedRuleId: earlier });
  expect(byKind.EMPTY_REMOTE_GROUP).toMatchObject({ ruleId: rules.fromEmpty, why: 'its remote group empty has no member port, so the rule matches no address' });
  expect(byKind.UNUSED_GROUP).toMatchObject({ ruleId: null, securityGroups: ['empty'], ports: [] });
  expect(byKind.ALLOWS_NO_PAIR).toMatchObject({ ruleId: rules.office });
  expect(byKind.ALLOWS_NO_PAIR.why).toContain('no port of the cloud has an address in 192.168.77.0/24');
});

it('within a flow universe, rules that match none of its flows allow no pair', async () => {
  const { securityGroupAudit: audit } = await s.gql(AUDIT, { p: 'audit', flows: [{ protocol: 'TCP', destinationPort: 22 }] });
  const none = audit.findings.filter((f: Finding) => f.kind === 'ALLOWS_NO_PAIR').map((f: Finding) => f.ruleId).sort();
  expect(none).toEqual([rules.range, rules.narrow, rules.https, rules.httpsAgain, rules.office].sort());
});

it('reads a constant number of statements, and an admin must name the project', async () => {
  const body = await s.request(AUDIT, { p: 'audit' });
  expect(body.extensions?.sqlStatements).toBeLessThanOrEqual(8);
  const refused = await s.request(AUDIT, {});
  expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});
