// A physnet bridge's (e.g. br-ex) OpenFlow rules as the OVS agent of Neutron
// 2026.1 installs them (openflow/native/br_phys.py, ovs_bridge.py drop_port;
// docs/neutron-model.md, "br-int and br-phys flow tables"): traffic from
// br-int leaves with the provider VLAN instead of the host's local one
// (flat: untagged), other traffic from br-int is dropped, and the uplink
// side switches NORMAL.
import { isTunnelType } from '../model.js';
import { phyBridgePortName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { flow, ofPort, type FlowRule } from './flow.js';
import { localNetworks } from './localNetworks.js';

/** br_phys.py setup_default_table: NORMAL. */
export const physDefaultTable = (): FlowRule[] => [flow(0, 0, '', 'NORMAL')];

/** ovs_bridge.py drop_port on the phy- patch port. */
export const physDropPort = (port: string): FlowRule => flow(0, 2, `in_port=${ofPort(port)}`, 'drop');

/** br_phys.py provision_local_vlan: the local VLAN leaves as the provider VLAN (null: untagged, flat). */
export const physProvisionLocalVlan = (port: string, lvid: number, segmentationId: number | null): FlowRule =>
  flow(0, 4, `in_port=${ofPort(port)},dl_vlan=${lvid}`, `${segmentationId === null ? 'strip_vlan' : `mod_vlan_vid:${segmentationId}`},NORMAL`);

/** Flows of the host's physnet bridge `bridge`, unsorted; empty when it is not in the host's bridge mappings. */
export function physBridgeFlows(index: TopologyIndex, hostId: string, bridge: string): FlowRule[] {
  const host = index.hosts.get(hostId);
  if (!host) return [];
  const physnets = Object.keys(host.bridgeMappings).filter((p) => host.bridgeMappings[p] === bridge);
  if (physnets.length === 0) return [];
  const port = phyBridgePortName(bridge);
  const flows = [physDropPort(port), ...physDefaultTable()];
  for (const { network, vlan } of localNetworks(index, hostId)) {
    if (isTunnelType(network.networkType) || !network.physicalNetwork || !physnets.includes(network.physicalNetwork)) continue;
    flows.push(physProvisionLocalVlan(port, vlan, network.segmentationId));
  }
  return flows;
}
