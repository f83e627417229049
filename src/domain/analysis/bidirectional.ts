// Bidirectional paths: the reply of a delivered request, traced back from
// its destination with conntrack's semantics (the stateful rules let an
// ESTABLISHED reply through; a new connection the other way is judged by
// the rules, as `path` in that direction shows).
import { traceReply, type EndpointRef, type Flow, type PathResult } from '../path/index.js';
import type { TopologyIndex } from '../topologyIndex.js';

/**
 * The reply's path, or null when there is none to trace: the request was
 * not DELIVERED (a dropped request has no reply; one that left the cloud is
 * answered from outside what the model follows).
 */
export function replyOf(index: TopologyIndex, from: EndpointRef, to: EndpointRef, flow: Flow, request: PathResult, viewer: string | null): PathResult | null {
  if (request.verdict !== 'DELIVERED') return null;
  // The reply comes from the request's destination port back to its source port (none when the flow names none).
  return traceReply(index, from, to, { protocol: flow.protocol, destinationPort: flow.sourcePort ?? null, sourcePort: flow.destinationPort }, viewer);
}
