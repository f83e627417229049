// reachability(sources, destinations, flows): the sets resolved and every
// pair traced on one consistent snapshot (one REPEATABLE READ transaction,
// two statements whatever the sets' sizes: the sets' ports, then the path
// snapshot of all their members).
import { checkSet, internetAddress, membersOf, type EndpointSet, type SetMember } from '../domain/analysis/endpointSets.js';
import { analyzeReachability, pairCount, pathOf, piecesOf, type PairOutcome, type ReachabilityResult } from '../domain/analysis/reachability.js';
import { EndpointError, indexFor, type Flow, type PathResult } from '../domain/path/index.js';
import type { TopologyIndex } from '../domain/topologyIndex.js';
import { loadSetCandidates } from '../store/endpointSets.js';
import { loadPathTopology } from '../store/pathSnapshot.js';
import type { Prisma } from '../store/db.js';
import { chargeWork, inWorkSlot } from './requestWork.js';
import { knownReachabilityPairs, reachabilityCost } from './workCost.js';

/** Pairs one question may trace at most (a 100-instance project against itself with 10 flows is 99,000). */
export const MAX_REACHABILITY_PAIRS = 100_000;

export interface ReachabilityReport extends ReachabilityResult {
  sources: SetMember[];
  destinations: SetMember[];
  /** The address that stood for the internet, when a set was INTERNET. */
  internetAddress: string | null;
  /** The pair's path on the snapshot the report was traced on. */
  pathOf(pair: PairOutcome): PathResult | null;
}

/** Sets, members and snapshot for an analysis, read in one REPEATABLE READ transaction. */
export async function resolveSets(prisma: Prisma, sets: EndpointSet[], viewer: string | null, timeoutMs = 30_000) {
  sets.forEach((set, i) => checkSet(set, ['sources', 'destinations'][i] ?? 'set'));
  return prisma.$transaction(async (tx) => {
    const candidates = await loadSetCandidates(tx, sets);
    const internet = internetAddress(candidates.heldInternetCandidates);
    const members = sets.map((set) => membersOf(set, candidates.ports, internet, viewer));
    const topology = await loadPathTopology(tx, members.flat().map((m) => m.ref));
    return { members, internet, index: indexFor(topology, viewer) };
  }, { isolationLevel: 'RepeatableRead', timeout: timeoutMs });
}

/** In one of the slots analyses share (services/requestWork.ts): it holds a transaction, then every traced pair. */
export function reachability(prisma: Prisma, sources: EndpointSet, destinations: EndpointSet, flows: Flow[], viewer: string | null, bidirectional = false): Promise<ReachabilityReport> {
  return inWorkSlot(() => reachabilityInSlot(prisma, sources, destinations, flows, viewer, bidirectional));
}

async function reachabilityInSlot(prisma: Prisma, sources: EndpointSet, destinations: EndpointSet, flows: Flow[], viewer: string | null, bidirectional: boolean): Promise<ReachabilityReport> {
  if (viewer !== null && sources.kind === 'INTERNET') throw new EndpointError(`a path of project ${viewer} starts at one of its own instances; INTERNET is none of them`);
  const { members: [from, to], internet, index } = await resolveSets(prisma, [sources, destinations], viewer);
  const asked = pairCount(from, to, flows);
  if (asked > MAX_REACHABILITY_PAIRS) throw new EndpointError(`a reachability question traces at most ${MAX_REACHABILITY_PAIRS} pairs; this one asks for ${asked}`);
  // The query priced the pairs its arguments name; the sets' members are known only now.
  const priced = Math.min(knownReachabilityPairs(instanceListOf(sources), instanceListOf(destinations), flows.length), MAX_REACHABILITY_PAIRS);
  // A port range traces each pair once per piece of it (domain/analysis/portRanges.ts), known once the snapshot is read.
  const traces = flows.reduce((n, flow) => n + pairCount(from, to, [flow]) * piecesOf(index, flow).length, 0);
  const pieces = traces === asked ? '' : `, ${traces} packets over the port ranges' pieces`;
  chargeWork(reachabilityCost(traces - priced, bidirectional), `tracing ${asked} pairs (${from.length} sources × ${to.length} destinations × ${flows.length} flows${pieces})`);
  return report(index, from, to, flows, viewer, sources.kind === 'INTERNET' || destinations.kind === 'INTERNET' ? internet : null, bidirectional);
}

const instanceListOf = (set: EndpointSet) => ({ instances: set.kind === 'INSTANCES' ? set.instances : null });

function report(index: TopologyIndex, sources: SetMember[], destinations: SetMember[], flows: Flow[], viewer: string | null, internet: string | null, bidirectional: boolean): ReachabilityReport {
  const result = analyzeReachability(index, sources, destinations, flows, viewer, bidirectional);
  return { ...result, sources, destinations, internetAddress: internet, pathOf: (pair) => pathOf(index, pair, viewer, bidirectional) };
}
