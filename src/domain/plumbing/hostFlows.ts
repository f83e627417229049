// The flow table of one bridge of a host, in ovs-ofctl's order.
import { BR_INT, BR_TUN } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { brIntFlows } from './brIntFlows.js';
import { brTunFlows } from './brTunFlows.js';
import { sortFlows, type Flow } from './flow.js';
import { physBridgeFlows } from './physBridgeFlows.js';

/** Flows of `bridge` on the host, by table then priority; empty for a bridge the host does not have. */
export function hostFlows(index: TopologyIndex, hostId: string, bridge: string): Flow[] {
  if (bridge === BR_INT) return sortFlows(brIntFlows(index, hostId));
  if (bridge === BR_TUN) return sortFlows(brTunFlows(index, hostId));
  return sortFlows(physBridgeFlows(index, hostId, bridge));
}
