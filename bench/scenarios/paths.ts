// Path questions over HTTP, one at a time, for the four kinds the synthetic
// cloud sets up: the latency of each kind and the SQL statements each
// answer reports, with the floor sampled among them. Every answer must be
// DELIVERED: the cloud is built so.
import type { GraphQLClient } from '../client.js';
import { latencyOf, type Latency } from '../measure.js';
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

/** Rounds between two blocks of floor samples, and the samples of a block (the first ones are dropped). */
const FLOOR_EVERY = 20;
const FLOOR_BLOCK = 20;
const FLOOR_DROPPED = 2;

interface Tally {
  millis: number[];
  min: number;
  max: number;
  hops: number;
}

async function ask(client: GraphQLClient, question: PathCase, tally: Tally | null): Promise<void> {
  const start = performance.now();
  const { data, statements } = await client.request<PathAnswer>(PATH_QUERY, { ...question });
  const ms = performance.now() - start;
  if (data.path.verdict !== 'DELIVERED') throw new Error(`path ${JSON.stringify(question)} was ${data.path.verdict}: ${data.path.explanation}`);
  if (!tally) return;
  tally.millis.push(ms);
  tally.min = Math.min(tally.min, statements);
  tally.max = Math.max(tally.max, statements);
  tally.hops = data.path.hops.length;
}

/**
 * `iterations` rounds (after `warmup`) that ask each kind in turn, one
 * request at a time, so that every kind sees the same stretch of time; and
 * every FLOOR_EVERY rounds a block of floor samples, whose first ones are
 * dropped: right behind a question they would carry its leftover work
 * (sockets, garbage collection).
 */
export async function measurePaths(client: GraphQLClient, questions: Record<PathKind, PathCase>, iterations: number, warmup: number, floor: FloorProbe) {
  const tallies = new Map(PATH_KINDS.map((kind) => [kind, { millis: [], min: Infinity, max: -Infinity, hops: 0 } as Tally]));
  const floorMs: number[] = [];
  for (let round = 0; round < warmup + iterations; round++) {
    const timed = round >= warmup;
    if (timed && (round - warmup) % FLOOR_EVERY === 0) {
      for (let i = 0; i < FLOOR_BLOCK; i++) {
        const ms = await floor();
        if (i >= FLOOR_DROPPED) floorMs.push(ms);
      }
    }
    for (const kind of PATH_KINDS) await ask(client, questions[kind], timed ? tallies.get(kind)! : null);
  }
  const paths = {} as Record<PathKind, PathFigures>;
  for (const [kind, t] of tallies) paths[kind] = { latency: latencyOf(t.millis), statements: { min: t.min, max: t.max }, hops: t.hops };
  return { paths, floor: latencyOf(floorMs) };
}
