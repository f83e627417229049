// A path question: load what the two endpoints need, trace in the domain.
import { hasPorts } from '../domain/firewall/index.js';
import { indexFor, tracePath, type EndpointRef, type Flow, type PathResult } from '../domain/path/index.js';
import { loadPathSnapshot, type PathSnapshot } from '../store/pathSnapshot.js';
import { replyOf } from '../domain/analysis/bidirectional.js';
import type { Db } from './transaction.js';

export interface EndpointInput {
  instance?: string | null;
  portId?: string | null;
  ipAddress?: string | null;
}

export class PathInputError extends Error {}

/** Exactly one of instance, portId, ipAddress. */
export function endpointRef(input: EndpointInput, name: string): EndpointRef {
  const given = (['instance', 'portId', 'ipAddress'] as const).filter((k) => input[k] !== null && input[k] !== undefined);
  if (given.length !== 1) throw new PathInputError(`${name} takes exactly one of instance, portId, ipAddress`);
  // PostgreSQL cannot even compare text holding NUL.
  if (input[given[0]]!.includes('\u0000')) throw new PathInputError(`${name}.${given[0]} must not contain NUL characters`);
  if (input.instance) return { instanceId: input.instance };
  if (input.portId) return { portId: input.portId };
  return { ipAddress: input.ipAddress! };
}

type FlowArg = { protocol?: Flow['protocol'] | null; destinationPort?: number | null; sourcePort?: number | null; destinationPortMax?: number | null } | null | undefined;

/** A flow with a port range, as reachability takes it. */
export function rangeFlowOf(input: FlowArg): Flow {
  const flow = flowOf({ ...input, destinationPortMax: null });
  const max = input?.destinationPortMax ?? null;
  if (max === null) return flow;
  if (flow.destinationPort === null) throw new PathInputError('destinationPortMax needs destinationPort, the first port of the range');
  if (!Number.isInteger(max) || max < flow.destinationPort || max > 65535) throw new PathInputError(`destinationPortMax is from destinationPort (${flow.destinationPort}) to 65535`);
  return max === flow.destinationPort ? flow : { ...flow, destinationPortMax: max };
}

export function flowOf(input: FlowArg): Flow {
  if (input?.destinationPortMax != null) throw new PathInputError('destinationPortMax (a port range) is taken by reachability and what-if sets only: a path, a given pair and an audit trace one port');
  const protocol = input?.protocol ?? 'ANY';
  const portOf = (name: 'destinationPort' | 'sourcePort'): number | null => {
    const port = input?.[name] ?? null;
    if (port === null) return null;
    if (!hasPorts(protocol)) throw new PathInputError(`${name} needs protocol TCP, UDP, SCTP, DCCP or UDPLITE`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PathInputError(`${name} is from 1 to 65535`);
    return port;
  };
  const destinationPort = portOf('destinationPort');
  const sourcePort = portOf('sourcePort');
  return sourcePort === null ? { protocol, destinationPort } : { protocol, destinationPort, sourcePort };
}

/** The path, and the snapshot's rows of its hosts and routers. `viewer`: the project asking, null for an admin (see tracePath). */
export async function tracePathIn(
  db: Db,
  from: EndpointRef,
  to: EndpointRef,
  flow: Flow,
  viewer: string | null = null,
  bidirectional = false,
): Promise<{ path: PathResult & { reply?: PathResult | null } } & Omit<PathSnapshot, 'topology'>> {
  const { topology, hostRows, routerRows } = await loadPathSnapshot(db, [from, to]);
  const index = indexFor(topology, viewer);
  const path = tracePath(index, from, to, flow, viewer);
  // The reply is traced on the same snapshot, which holds both endpoints' routers.
  const reply = bidirectional ? replyOf(index, from, to, flow, path, viewer) : undefined;
  return { path: reply === undefined ? path : { ...path, reply }, hostRows, routerRows };
}
