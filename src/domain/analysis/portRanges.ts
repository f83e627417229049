// Port ranges of reachability questions: a range stands for every port in
// it, yet the security group rules are port intervals, so the ports between
// two consecutive rule bounds are all decided alike. The range is cut at
// those bounds and one port per piece is traced.
import { METADATA_SERVICE_PORT } from '../metadata.js';
import type { Topology } from '../model.js';

/** The ports from `min` to `max`, both included. */
export interface PortRange {
  min: number;
  max: number;
}

/**
 * `[min, max]` cut wherever one of `intervals` starts or ends, in port
 * order: within a piece, every port is inside or outside each interval
 * alike. An interval is [low, high] (high null: the one port low).
 */
export function cutAtIntervals(range: PortRange, intervals: Iterable<[number, number | null]>): PortRange[] {
  const cuts = new Set<number>();
  for (const [low, high] of intervals) {
    cuts.add(low);
    cuts.add((high ?? low) + 1);
  }
  const starts = [range.min, ...[...cuts].filter((p) => p > range.min && p <= range.max)].sort((a, b) => a - b);
  return starts.map((min, i) => ({ min, max: i + 1 < starts.length ? starts[i + 1] - 1 : range.max }));
}

/**
 * The pieces of `range` within which the model decides every port alike:
 * cut at each security group rule's port range (of any group: a rule
 * matches destination ports only) and around the metadata service port,
 * the only other port the path engine looks at.
 */
export function portPieces(topology: Topology, range: PortRange): PortRange[] {
  const intervals: [number, number | null][] = [[METADATA_SERVICE_PORT, METADATA_SERVICE_PORT]];
  for (const group of topology.securityGroups) {
    for (const rule of group.rules) if (rule.portRangeMin !== null) intervals.push([rule.portRangeMin, rule.portRangeMax]);
  }
  return cutAtIntervals(range, intervals);
}
