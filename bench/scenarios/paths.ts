// Path questions over HTTP, one at a time, for the four kinds the synthetic
// cloud sets up: the latency of each kind and the SQL statements each
// answer reports, with the floor sampled before each kind. Every answer must
// be DELIVERED: the cloud is built so.
import type { GraphQLClient } from '../client.js';
import { latencyOf, sampleLatency, type Latency } from '../measure.js';
import type { FloorProbe } from './floor.js';
import type { PathCase, PathKind } from '../synthetic.js';

export const PATH_KINDS: PathKind[] = ['sameHost', 'crossHost', 'crossNetwork', 'floatingIp'];

export const PATH_LABELS: Record<PathKind, string> = {
  sameHost: 'same host',
  crossHost: 'cross host',
  crossNetwork: 'cross network (router)',
  floatingIp: 'floating IP (other project)',
};

/** What a dashboard showing a path asks for. */
export const PATH_QUERY = `query Path($from: EndpointInput!, $to: EndpointInput!, $flow: FlowInput) {
  path(from: $from, to: $to, flow: $flow) {
    verdict dropReason explanation tunnelIds
    hops { seq device kind namespace vlan tunnelId action host { name } }
    hosts { name }
    routers { id name }
  }
}`;

export interface PathFigures {
  latency: Latency;
  /** Statements per answer, lowest and highest seen. */
  statements: { min: number; max: number };
  hops: number;
}

interface PathAnswer {
  path: { verdict: string; explanation: string; hops: unknown[] };
}

/** One path question `iterations` times after `warmup`, one request at a time. */
async function measurePath(client: GraphQLClient, question: PathCase, iterations: number, warmup: number): Promise<PathFigures> {
  let min = Infinity;
  let max = -Infinity;
  let hops = 0;
  const latency = await sampleLatency(iterations, warmup, async () => {
    const { data, statements } = await client.request<PathAnswer>(PATH_QUERY, { ...question });
    if (data.path.verdict !== 'DELIVERED') throw new Error(`path ${JSON.stringify(question)} was ${data.path.verdict}: ${data.path.explanation}`);
    min = Math.min(min, statements);
    max = Math.max(max, statements);
    hops = data.path.hops.length;
  });
  return { latency, statements: { min, max }, hops };
}

/**
 * Every kind of path question, each after a block of floor samples: the
 * floor is measured next to the questions it is compared with, but never
 * right behind one, whose garbage collection and socket work would land in it.
 */
export async function measurePaths(client: GraphQLClient, questions: Record<PathKind, PathCase>, iterations: number, warmup: number, floor: FloorProbe) {
  const paths = {} as Record<PathKind, PathFigures>;
  const floorMs: number[] = [];
  for (const kind of PATH_KINDS) {
    for (let i = 0; i < warmup + iterations; i++) {
      const ms = await floor();
      if (i >= warmup) floorMs.push(ms);
    }
    paths[kind] = await measurePath(client, questions[kind], iterations, warmup);
  }
  return { paths, floor: latencyOf(floorMs) };
}
