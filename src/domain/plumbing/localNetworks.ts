// The networks a host's OVS agent has provisioned: those with a local VLAN
// there (docs/neutron-model.md, "Local VLANs (OVS agent)").
import type { Network } from '../model.js';
import type { TopologyIndex } from '../topologyIndex.js';

export interface LocalNetwork {
  network: Network;
  vlan: number;
}

/** Networks with a local VLAN on the host, by VLAN; VLANs of unknown networks are skipped. */
export function localNetworks(index: TopologyIndex, hostId: string): LocalNetwork[] {
  const result: LocalNetwork[] = [];
  for (const lv of index.topology.localVlans) {
    if (lv.hostId !== hostId) continue;
    const network = index.networks.get(lv.networkId);
    if (network) result.push({ network, vlan: lv.vlan });
  }
  return result.sort((a, b) => a.vlan - b.vlan);
}
