// A physnet bridge's (e.g. br-ex) OpenFlow rules as the OVS agent installs
// them (br_phys.py; NEUTRON-MODEL.md §4b): traffic from br-int leaves with
// the provider VLAN instead of the host's local one (flat: untagged), other
// traffic from br-int is dropped, and the uplink side switches NORMAL.
import { isTunnelType } from '../model.js';
import { phyBridgePortName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { flow, ofPort, type Flow } from './flow.js';
import { localNetworks } from './localNetworks.js';

/** Flows of the host's physnet bridge `bridge`, unsorted; empty when it is not in the host's bridge mappings. */
export function physBridgeFlows(index: TopologyIndex, hostId: string, bridge: string): Flow[] {
  const host = index.hosts.get(hostId);
  if (!host) return [];
  const physnets = Object.keys(host.bridgeMappings).filter((p) => host.bridgeMappings[p] === bridge);
  if (physnets.length === 0) return [];
  const inPort = `in_port=${ofPort(phyBridgePortName(bridge))}`;
  const flows: Flow[] = [flow(0, 2, inPort, 'drop'), flow(0, 0, '', 'NORMAL')];
  for (const { network, vlan } of localNetworks(index, hostId)) {
    if (isTunnelType(network.networkType) || !network.physicalNetwork || !physnets.includes(network.physicalNetwork)) continue;
    const rewrite = network.segmentationId === null ? 'strip_vlan' : `mod_vlan_vid:${network.segmentationId}`;
    flows.push(flow(0, 4, `${inPort},dl_vlan=${vlan}`, `${rewrite},NORMAL`));
  }
  return flows;
}
