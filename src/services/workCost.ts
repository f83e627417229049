// What analyses cost, in the units of MAX_QUERY_COST (a field is 1): a path
// traced on a snapshot of its own costs TRACE_COST, a pair of a reachability
// question (all traced on one snapshot, read once) PAIR_COST. The query's
// estimate prices what its
// arguments say; what only resolution knows (a project's or a network's
// members) is billed then, as the difference (services/requestWork.ts).

/**
 * One traced path. A what-if of MAX_WHAT_IF_PAIRS pairs (5,000 traces)
 * then costs 40,000, within the default MAX_QUERY_COST of 50,000.
 */
export const TRACE_COST = 8;

/**
 * One pair of a reachability question: its pairs share one snapshot, and a
 * trace on it costs a few dozen microseconds where a path's own snapshot
 * read costs milliseconds. 39,600 pairs (a 100-instance project against
 * itself under 4 flows) fit in the default MAX_QUERY_COST.
 */
export const PAIR_COST = 1;

/** A what-if applies its changes and traces each pair twice (before and after). */
export const whatIfCost = (changes: number, pairs: number): number => changes + pairs * 2 * TRACE_COST;

/** Each pair of each flow traced once, and its reply too when bidirectional. */
export const reachabilityCost = (pairs: number, bidirectional: boolean): number => pairs * PAIR_COST * (bidirectional ? 2 : 1);

/** One path, and its reply when bidirectional. */
export const pathCost = (bidirectional: boolean): number => TRACE_COST * (bidirectional ? 2 : 1);

/**
 * The pairs a reachability question asks for as far as its arguments tell:
 * an instance list counts its names, any other set at least one member.
 */
export function knownReachabilityPairs(sources: { instances?: unknown[] | null }, destinations: { instances?: unknown[] | null }, flows: number): number {
  const size = (set: { instances?: unknown[] | null }) => (Array.isArray(set.instances) ? set.instances.length : 1);
  return size(sources) * size(destinations) * Math.max(flows, 1);
}
