// The analyses as an analyst asks them: reachability of 100 instances
// against themselves under 4 flows (39,600 pairs; 20 instances, 1,520
// pairs, in a quick run), the exposure of the
// 50-instance project, and the security group audit of that project once it
// holds 200 rules. The same reachability over 10 instances shows that the
// statement count does not grow with the sets.
import type { GraphQLClient } from '../client.js';
import { latencyOf, type Latency } from '../measure.js';

const FLOWS = [{ protocol: 'TCP', destinationPort: 22 }, { protocol: 'TCP', destinationPort: 443 }, { protocol: 'UDP', destinationPort: 53 }, { protocol: 'ICMP' }];

export const AUDIT_RULES = 200;

const REACHABILITY = `query Reach($ids: [String!]!, $flows: [FlowInput!]) {
  reachability(sources: { instances: $ids }, destinations: { instances: $ids }, flows: $flows) { pairCount counts { verdict dropReason count } } }`;
const EXPOSURE = `query Exposure($p: String!) { exposure(projectId: $p) { portsChecked exposures { portId } } }`;
const AUDIT = `query Audit($p: String!) { securityGroupAudit(projectId: $p) { rulesChecked findings { kind } } }`;

export interface AnalysisFigures {
  reachability: { instances: number; pairs: number; latency: Latency; statements: number; statementsFor10: number; delivered: number };
  exposure: { instances: number; portsChecked: number; exposures: number; latency: Latency; statements: number };
  audit: { rules: number; findings: number; latency: Latency; statements: number };
}

async function timedRuns<T>(runs: number, fn: () => Promise<{ data: T; statements: number }>) {
  const millis: number[] = [];
  let last: { data: T; statements: number } | null = null;
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    last = await fn();
    // The first run warms the code up.
    if (i > 0) millis.push(performance.now() - start);
  }
  return { latency: latencyOf(millis), last: last! };
}

export async function measureAnalysis(client: GraphQLClient, projectId: string, runs: number, count = 100): Promise<AnalysisFigures> {
  const { data } = await client.request<{ instances: { nodes: { id: string }[] } }>('query($n: Int) { instances(first: $n) { nodes { id } } }', { n: count });
  const ids = data.instances.nodes.map((n) => n.id);
  const reach = await timedRuns(runs, () => client.request<{ reachability: { pairCount: number; counts: { verdict: string; count: number }[] } }>(REACHABILITY, { ids, flows: FLOWS }));
  const expected = ids.length * (ids.length - 1) * FLOWS.length;
  if (reach.last.data.reachability.pairCount !== expected) throw new Error(`reachability traced ${reach.last.data.reachability.pairCount} pairs, not ${expected}`);
  const small = await client.request(REACHABILITY, { ids: ids.slice(0, 10), flows: FLOWS });

  const exposure = await timedRuns(runs, () => client.request<{ exposure: { portsChecked: number; exposures: unknown[] } }>(EXPOSURE, { p: projectId }));
  const instances = await client.request<{ instances: { nodes: unknown[] } }>('query($p: String!) { instances(first: 500, filter: { projectId: $p }) { nodes { id } } }', { p: projectId });

  await fillRules(client, projectId);
  const audit = await timedRuns(runs, () => client.request<{ securityGroupAudit: { rulesChecked: number; findings: unknown[] } }>(AUDIT, { p: projectId }));
  if (audit.last.data.securityGroupAudit.rulesChecked !== AUDIT_RULES) throw new Error(`the audit read ${audit.last.data.securityGroupAudit.rulesChecked} rules, not ${AUDIT_RULES}`);
  return {
    reachability: {
      instances: ids.length, pairs: expected, latency: reach.latency, statements: reach.last.statements, statementsFor10: small.statements,
      delivered: reach.last.data.reachability.counts.find((c) => c.verdict === 'DELIVERED')?.count ?? 0,
    },
    exposure: {
      instances: instances.data.instances.nodes.length, portsChecked: exposure.last.data.exposure.portsChecked,
      exposures: exposure.last.data.exposure.exposures.length, latency: exposure.latency, statements: exposure.last.statements,
    },
    audit: { rules: AUDIT_RULES, findings: audit.last.data.securityGroupAudit.findings.length, latency: audit.latency, statements: audit.last.statements },
  };
}

/** Adds rules to a new group of the project (on its first port) until the project holds AUDIT_RULES. */
async function fillRules(client: GraphQLClient, projectId: string): Promise<void> {
  const ok = async (name: string, type: string, input: object, select: string) => {
    const { data } = await client.request<Record<string, { userErrors: { message: string }[] } & Record<string, any>>>( // eslint-disable-line @typescript-eslint/no-explicit-any
      `mutation($i: ${type}!) { ${name}(input: $i) { ${select} userErrors { message } } }`, { i: input });
    if (data[name].userErrors.length) throw new Error(`${name}: ${JSON.stringify(data[name].userErrors)}`);
    return data[name];
  };
  await ok('setQuota', 'SetQuotaInput', { projectId, resource: 'SECURITY_GROUP_RULE', limit: -1 }, 'quotas { resource }');
  const before = (await client.request<{ securityGroupAudit: { rulesChecked: number } }>(AUDIT, { p: projectId })).data.securityGroupAudit.rulesChecked;
  const group = (await ok('createSecurityGroup', 'CreateSecurityGroupInput', { name: 'audited', projectId }, 'securityGroup { id rules { id } }')).securityGroup;
  for (let i = before + group.rules.length; i < AUDIT_RULES; i++) {
    const input = { securityGroupId: group.id, direction: 'INGRESS', protocol: i % 2 ? 'udp' : 'tcp', portRangeMin: 1000 + i, portRangeMax: 1000 + i * 2, remoteIpPrefix: `10.${i % 250}.0.0/16` };
    await ok('createSecurityGroupRule', 'CreateSecurityGroupRuleInput', input, 'rule { id }');
  }
}
