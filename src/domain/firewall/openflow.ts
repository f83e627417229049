// A port's security groups under the Open vSwitch firewall driver: the
// br-int flows the driver installs for it, as `ovs-ofctl dump-flows br-int`
// lists them (docs/neutron-model.md, "The Open vSwitch firewall driver").
// The decision itself stays evaluate.ts's.
import { BR_INT } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { bridgeCookie } from '../plumbing/cookies.js';
import { renderDumpFlows } from '../plumbing/dumpFlows.js';
import { withCookie } from '../plumbing/flow.js';
import { hostFirewallFlows } from '../plumbing/ovsFirewallHost.js';

/**
 * The port's own flows (tables 60 and 71-82) and its network's remote-group
 * address flows, newline-terminated; null when the port's host does not run
 * the OVS firewall, '' when the port is not wired there.
 */
export function portOpenFlow(index: TopologyIndex, portId: string): string | null {
  const port = index.ports.get(portId);
  if (!port?.hostId) return null;
  const flows = hostFirewallFlows(index, port.hostId);
  if (!flows) return null;
  const own = flows.ports.get(portId);
  if (!own) return '';
  const vlan = index.localVlan(port.hostId, port.networkId);
  const shared = vlan === null ? [] : flows.vlans.get(vlan) ?? [];
  return renderDumpFlows(withCookie([...own, ...shared], bridgeCookie(port.hostId, BR_INT)));
}
