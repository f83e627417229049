// Reachability over sets: every source member to every destination member
// for every flow, traced on one snapshot; the report keeps each pair's
// verdict and traces its full path again only when asked.
import { EndpointError, tracePath, type DropReason, type EndpointRef, type Flow, type PathResult, type Verdict } from '../path/index.js';
import { replyOf } from './bidirectional.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { sameEndpoint, type SetMember } from './endpointSets.js';
import { portPieces, type PortRange } from './portRanges.js';

export interface PairOutcome {
  source: SetMember;
  destination: SetMember;
  flow: Flow;
  /** null when the pair could not be traced (`error` says why). */
  verdict: Verdict | null;
  dropReason: DropReason | null;
  reachedDestination: boolean;
  error: string | null;
  /** Asked bidirectional and the request was DELIVERED: how its reply ended (conntrack semantics); else null. */
  replyVerdict: Verdict | null;
  replyDropReason: DropReason | null;
  /** The destination port whose packet gave the verdict: the flow's, or with a port range the first refused (else the range's first). */
  tracedPort: number | null;
  /** With a port range: the lowest port whose packet does not reach the destination (null when every one does), and how many do not. */
  refusedPort: number | null;
  portsRefused: number | null;
}

export interface VerdictCount {
  verdict: Verdict | null;
  dropReason: DropReason | null;
  count: number;
}

export interface ReachabilityResult {
  pairs: PairOutcome[];
  counts: VerdictCount[];
}

/** How many pairs a question asks: sources × destinations × flows, pairs of one endpoint with itself left out. */
export function pairCount(sources: SetMember[], destinations: SetMember[], flows: Flow[]): number {
  let n = 0;
  for (const s of sources) for (const d of destinations) if (!sameEndpoint(s, d)) n++;
  return n * flows.length;
}

/** The pairs a question asks, in flow, source, destination order, pairs of one endpoint with itself left out. */
export function setPairs(sources: SetMember[], destinations: SetMember[], flows: Flow[]): { source: SetMember; destination: SetMember; flow: Flow }[] {
  return flows.flatMap((flow) => sources.flatMap((source) =>
    destinations.filter((destination) => !sameEndpoint(source, destination)).map((destination) => ({ source, destination, flow }))));
}

/** `viewer`: the project asking, null for an admin; the index is built for it (path's indexFor). */
export function analyzeReachability(index: TopologyIndex, sources: SetMember[], destinations: SetMember[], flows: Flow[], viewer: string | null, bidirectional = false): ReachabilityResult {
  const pairs = setPairs(sources, destinations, flows).map(({ source, destination, flow }) => outcome(index, source, destination, flow, viewer, bidirectional));
  return { pairs, counts: countVerdicts(pairs) };
}

/** A flow's port range, or null for a flow of one port (or none). */
const rangeOf = (flow: Flow): PortRange | null =>
  flow.destinationPort !== null && flow.destinationPortMax != null && flow.destinationPortMax > flow.destinationPort ? { min: flow.destinationPort, max: flow.destinationPortMax } : null;

/** The pieces of a flow's range on this snapshot (one piece for a flow of one port): what a pair of it traces. */
export function piecesOf(index: TopologyIndex, flow: Flow): PortRange[] {
  const range = rangeOf(flow);
  if (range === null) return [{ min: flow.destinationPort ?? 0, max: flow.destinationPort ?? 0 }];
  return index.memo(`port pieces ${range.min}-${range.max}`, () => portPieces(index.topology, range));
}

/** The one-port packet of a flow that traces `port`. */
const atPort = (flow: Flow, port: number | null): Flow => (rangeOf(flow) === null ? flow : { ...flow, destinationPort: port, destinationPortMax: null });

export interface FlowTrace {
  path: PathResult;
  /** The destination port `path` was traced at. */
  port: number | null;
  /** With a port range: the lowest port whose packet does not reach the destination (null when every one does), and how many do not. */
  refusedPort: number | null;
  portsRefused: number | null;
}

/**
 * A flow's path. A port range is traced once per piece (its first port
 * stands for it): it reaches its destination only when every piece does;
 * else its path is the first piece's that does not. Throws EndpointError
 * as tracePath does.
 */
export function traceFlow(index: TopologyIndex, from: EndpointRef, to: EndpointRef, flow: Flow, viewer: string | null): FlowTrace {
  if (rangeOf(flow) === null) return { path: tracePath(index, from, to, flow, viewer), port: flow.destinationPort, refusedPort: null, portsRefused: null };
  let first: { path: PathResult; port: number } | null = null;
  let refused: { path: PathResult; port: number } | null = null;
  let portsRefused = 0;
  for (const piece of piecesOf(index, flow)) {
    const path = tracePath(index, from, to, atPort(flow, piece.min), viewer);
    first ??= { path, port: piece.min };
    if (!path.reachedDestination) {
      refused ??= { path, port: piece.min };
      portsRefused += piece.max - piece.min + 1;
    }
  }
  return { ...(refused ?? first!), refusedPort: refused?.port ?? null, portsRefused };
}

function outcome(index: TopologyIndex, source: SetMember, destination: SetMember, flow: Flow, viewer: string | null, bidirectional: boolean): PairOutcome {
  try {
    const { path, port, refusedPort, portsRefused } = traceFlow(index, source.ref, destination.ref, flow, viewer);
    const reply = bidirectional ? replyOf(index, source.ref, destination.ref, atPort(flow, port), path, viewer) : null;
    return {
      source, destination, flow, verdict: path.verdict, dropReason: path.dropReason, reachedDestination: path.reachedDestination, error: null,
      replyVerdict: reply?.verdict ?? null, replyDropReason: reply?.dropReason ?? null, tracedPort: port, refusedPort, portsRefused,
    };
  } catch (error) {
    if (!(error instanceof EndpointError)) throw error;
    return {
      source, destination, flow, verdict: null, dropReason: null, reachedDestination: false, error: error.message, replyVerdict: null, replyDropReason: null,
      tracedPort: flow.destinationPort, refusedPort: null, portsRefused: null,
    };
  }
}

/** The pair's path (with its reply when the report was bidirectional), traced again on the same snapshot at its traced port; null when it cannot be traced. */
export function pathOf(index: TopologyIndex, pair: PairOutcome, viewer: string | null, bidirectional = false): (PathResult & { reply?: PathResult | null }) | null {
  if (pair.error !== null) return null;
  const packet = atPort(pair.flow, pair.tracedPort);
  const path = tracePath(index, pair.source.ref, pair.destination.ref, packet, viewer);
  return bidirectional ? { ...path, reply: replyOf(index, pair.source.ref, pair.destination.ref, packet, path, viewer) } : path;
}

const VERDICT_ORDER: (Verdict | null)[] = ['DELIVERED', 'EXITED', 'DROPPED', null];

/** One count per verdict and drop reason that occurs: delivered first, untraceable pairs last. */
export function countVerdicts(pairs: PairOutcome[]): VerdictCount[] {
  const counts = new Map<string, VerdictCount>();
  for (const p of pairs) {
    const key = `${p.verdict}/${p.dropReason}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { verdict: p.verdict, dropReason: p.dropReason, count: 1 });
  }
  return [...counts.values()].sort((a, b) =>
    VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || (a.dropReason ?? '').localeCompare(b.dropReason ?? ''));
}
