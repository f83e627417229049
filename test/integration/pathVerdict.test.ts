// Subscription.pathVerdict over WebSocket: the path now, then again when a
// committed change alters its verdict, drop reason or hops (a security
// group rule deleted, then created again); changes elsewhere in the cloud
// send nothing; a project token watches only what its path query may ask.
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { bootInstance, createNetwork, createSubnet, registerHost, USER_ERRORS } from '../support/fixtures.js';
import { liveClient, waitUntil, type LiveClient } from '../support/subscriptions.js';

jest.setTimeout(120_000);

const WATCH = `subscription($from: EndpointInput!, $to: EndpointInput!, $flow: FlowInput) {
  pathVerdict(from: $from, to: $to, flow: $flow) { verdict dropReason hops { kind } } }`;
interface Verdict {
  verdict: string;
  dropReason: string | null;
  hops: { kind: string }[];
}

let s: TestServer;
let client: LiveClient;
let webGroup: string;
let ruleId: string;

const createRule = async (portRangeMax = 80) => {
  const data = await s.gql(`mutation($i: CreateSecurityGroupRuleInput!) { createSecurityGroupRule(input: $i) { rule { id } ${USER_ERRORS} } }`, {
    i: { securityGroupId: webGroup, direction: 'INGRESS', protocol: 'tcp', portRangeMin: 80, portRangeMax, remoteIpPrefix: '0.0.0.0/0' },
  });
  expect(data.createSecurityGroupRule.userErrors).toEqual([]);
  return data.createSecurityGroupRule.rule.id as string;
};

beforeAll(async () => {
  s = await startTestServer();
  await registerHost(s, 'compute-1', '10.0.0.11');
  await registerHost(s, 'compute-2', '10.0.0.12');
  const net = await createNetwork(s, { name: 'web-net', projectId: 'p1' });
  await createSubnet(s, { networkId: net.id, cidr: '10.70.0.0/24' });
  webGroup = (await s.gql(`mutation { createSecurityGroup(input: { name: "web", projectId: "p1" }) { securityGroup { id } } }`)).createSecurityGroup.securityGroup.id;
  ruleId = await createRule();
  await bootInstance(s, { name: 'client', projectId: 'p1', hostName: 'compute-1', networks: [{ networkId: net.id }] });
  await bootInstance(s, { name: 'server', projectId: 'p1', hostName: 'compute-2', networks: [{ networkId: net.id }], securityGroupIds: [webGroup] });
  client = liveClient(s.url, null);
});
afterAll(async () => {
  await client?.close();
  await s?.stop();
});

test('DELIVERED, then DROPPED when the rule is deleted, then DELIVERED when it is created again; unrelated changes send nothing', async () => {
  const watch = client.subscribe<Verdict>(WATCH, { from: { instance: 'client' }, to: { instance: 'server' }, flow: { protocol: 'TCP', destinationPort: 80 } }, (d) => d.pathVerdict);
  await watch.until((e) => e.length === 1);
  expect(watch.events[0].verdict).toBe('DELIVERED');

  // Elsewhere in the cloud: another network and its instance. The path is not sent again.
  const other = await createNetwork(s, { name: 'elsewhere', projectId: 'p2' });
  await createSubnet(s, { networkId: other.id, cidr: '10.71.0.0/24' });
  await s.gql(`mutation { deleteSecurityGroupRule(input: { id: "${ruleId}" }) { ${USER_ERRORS} } }`);
  const dropped = await watch.until((e) => e.length === 2);
  expect(dropped[1].verdict).toBe('DROPPED');
  expect(dropped[1].dropReason).toBeTruthy();

  ruleId = await createRule();
  const back = await watch.until((e) => e.length === 3);
  expect(back[2].verdict).toBe('DELIVERED');
  expect(back[2].hops).toEqual(back[0].hops);
  expect(watch.errors).toEqual([]);
});

test('a change that touches the path but leaves its verdict and hops as they were sends nothing', async () => {
  const watch = client.subscribe<Verdict>(WATCH, { from: { instance: 'client' }, to: { instance: 'server' }, flow: { protocol: 'TCP', destinationPort: 80 } }, (d) => d.pathVerdict);
  await watch.until((e) => e.length === 1);
  // A second rule that also lets port 80 in: traced again, same answer.
  const second = await createRule(81);
  // Then one that drops: deleting both rules. Only the drop arrives after the first emission.
  await s.gql(`mutation { deleteSecurityGroupRule(input: { id: "${second}" }) { ${USER_ERRORS} } }`);
  await s.gql(`mutation { deleteSecurityGroupRule(input: { id: "${ruleId}" }) { ${USER_ERRORS} } }`);
  const events = await watch.until((e) => e.length >= 2);
  await new Promise((r) => setTimeout(r, 300));
  expect(events.map((e) => e.verdict)).toEqual(['DELIVERED', 'DROPPED']);
  watch.stop();
  ruleId = await createRule();
});

test('an unknown endpoint is refused as bad input', async () => {
  const watch = client.subscribe<Verdict>(WATCH, { from: { instance: 'nobody' }, to: { instance: 'server' } }, (d) => d.pathVerdict);
  await waitUntil(() => watch.errors.length > 0, 20_000, 'the refusal');
  expect(JSON.stringify(watch.errors)).toContain('BAD_USER_INPUT');
});
