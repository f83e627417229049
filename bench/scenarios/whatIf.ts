// A what-if a capacity planner asks: "if this compute host went down", with
// every ordered pair of the 50 instances of one project traced before and
// after (2,450 paths, one snapshot each way).
import type { GraphQLClient } from '../client.js';
import { latencyOf, type Latency } from '../measure.js';

export const WHAT_IF_QUERY = `query WhatIf($hostName: String!, $projectId: String!) {
  whatIf(changes: [{ setHostStatus: { hostName: $hostName, up: false } }], check: { projectId: $projectId }) {
    applied
    summary { pairs broken fixed changed unchanged }
    userErrors { message }
  }
}`;

interface WhatIfAnswer {
  whatIf: { applied: boolean; summary: { pairs: number; broken: number }; userErrors: { message: string }[] };
}

export interface WhatIfFigures {
  latency: Latency;
  statements: number;
  instances: number;
  pairs: number;
  broken: number;
}

export async function measureWhatIf(client: GraphQLClient, question: { projectId: string; hostName: string }, instances: number, runs: number): Promise<WhatIfFigures> {
  const millis: number[] = [];
  let last: { data: WhatIfAnswer; statements: number } | null = null;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await client.request<WhatIfAnswer>(WHAT_IF_QUERY, question);
    millis.push(performance.now() - start);
    const { whatIf } = last.data;
    const pairs = instances * (instances - 1);
    if (!whatIf.applied || whatIf.userErrors.length > 0 || whatIf.summary.pairs !== pairs) {
      throw new Error(`what-if over ${pairs} pairs answered ${JSON.stringify(whatIf)}`);
    }
  }
  return { latency: latencyOf(millis), statements: last!.statements, instances, pairs: last!.data.whatIf.summary.pairs, broken: last!.data.whatIf.summary.broken };
}
