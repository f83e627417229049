// The flow table of one bridge of a host, in ovs-ofctl's order, each flow
// with the cookie the host's agent gives that bridge.
import { BR_INT, BR_TUN } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { brIntFlows } from './brIntFlows.js';
import { brTunFlows } from './brTunFlows.js';
import { bridgeCookie } from './cookies.js';
import { sortFlows, withCookie, type Flow, type FlowRule } from './flow.js';
import { physBridgeFlows } from './physBridgeFlows.js';

function bridgeRules(index: TopologyIndex, hostId: string, bridge: string): FlowRule[] {
  if (bridge === BR_INT) return brIntFlows(index, hostId);
  if (bridge === BR_TUN) return brTunFlows(index, hostId);
  return physBridgeFlows(index, hostId, bridge);
}

/** Flows of `bridge` on the host, by table then priority; empty for a bridge the host does not have. */
export function hostFlows(index: TopologyIndex, hostId: string, bridge: string): Flow[] {
  return sortFlows(withCookie(bridgeRules(index, hostId, bridge), bridgeCookie(hostId, bridge)));
}
