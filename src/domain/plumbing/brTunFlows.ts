// br-tun's OpenFlow pipeline as the native (os-ken) OVS agent installs it
// (br_tun.py setup_default_table, provision_local_vlan and the l2population
// FDB handlers; tables from neutron-lib ovs_constants, NEUTRON-MODEL.md §4),
// printed as ovs-ofctl shows it with OpenFlow 1.0: goto_table reads
// resubmit(,N), set_field of a VLAN reads mod_vlan_vid, of other fields
// load:...->NXM_...[].
//
// Configuration modelled: l2_population and arp_responder on, DVR off.
import { hexId, PATCH_INT } from '../naming.js';
import { ipToBigInt, ipVersion, isIpAddress } from '../addressing.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { flow, ofPort, type Flow } from './flow.js';
import { tunnelNetworks, tunnelPorts, type TunnelType } from './tunnels.js';

export const ARP_RESPONDER = true;

export const TUN_TABLE: Record<TunnelType, number> = { gre: 3, vxlan: 4, geneve: 6 };
const PATCH_LV_TO_TUN = 2;
const LEARN_FROM_TUN = 10;
const UCAST_TO_TUN = 20;
const ARP_RESPONDER_TABLE = 21;
const FLOOD_TO_TUN = 22;

const resubmit = (table: number) => `resubmit(,${table})`;

/**
 * The learn action of table 10. The agent also sets the learned flows'
 * cookie to its own random per-start cookie; that field is left out.
 */
export const LEARN_ACTIONS =
  `learn(table=${UCAST_TO_TUN},hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],` +
  'NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],' +
  'load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),' +
  `output:${ofPort(PATCH_INT)}`;

const setTunnel = (segmentationId: number) => `strip_vlan,load:${hexId(segmentationId)}->NXM_NX_TUN_ID[]`;

/** install_arp_responder: turn the request into a reply from `mac` / `ip` and send it back. */
export function arpResponderActions(mac: string, ip: string): string {
  const macHex = `0x${BigInt(`0x${mac.replace(/:/g, '')}`).toString(16)}`;
  const ipHex = `0x${ipToBigInt(ip).toString(16)}`;
  return (
    'load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],' +
    'move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],' +
    `load:${macHex}->NXM_NX_ARP_SHA[],load:${ipHex}->NXM_OF_ARP_SPA[],` +
    `move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:${mac},IN_PORT`
  );
}

/** br-tun flows of the host, unsorted; empty for a host without br-tun. */
export function brTunFlows(index: TopologyIndex, hostId: string): Flow[] {
  const host = index.hosts.get(hostId);
  if (!host?.tunnelIp) return [];
  const nets = tunnelNetworks(index, hostId);
  const flows: Flow[] = [];

  // Table 0: sort by ingress port.
  flows.push(flow(0, 1, `in_port=${ofPort(PATCH_INT)}`, resubmit(PATCH_LV_TO_TUN)));
  for (const t of tunnelPorts(index, hostId)) {
    flows.push(flow(0, 1, `in_port=${ofPort(t.name)}`, resubmit(TUN_TABLE[t.type])));
  }
  flows.push(flow(0, 0, '', 'drop'));

  // Table 2: from br-int; broadcast ARP to the responder, unicast to 20, the rest floods.
  if (ARP_RESPONDER) {
    flows.push(flow(PATCH_LV_TO_TUN, 1, 'arp,dl_dst=ff:ff:ff:ff:ff:ff', resubmit(ARP_RESPONDER_TABLE)));
  }
  flows.push(flow(PATCH_LV_TO_TUN, 0, 'dl_dst=00:00:00:00:00:00/01:00:00:00:00:00', resubmit(UCAST_TO_TUN)));
  flows.push(flow(PATCH_LV_TO_TUN, 0, 'dl_dst=01:00:00:00:00:00/01:00:00:00:00:00', resubmit(FLOOD_TO_TUN)));

  // Tables 3/4/6: tunnel ID -> this host's local VLAN; all three exist whatever types are in use.
  for (const table of Object.values(TUN_TABLE)) flows.push(flow(table, 0, '', 'drop'));
  for (const net of nets) {
    flows.push(
      flow(TUN_TABLE[net.type], 1, `tun_id=${hexId(net.segmentationId)}`, `mod_vlan_vid:${net.vlan},${resubmit(LEARN_FROM_TUN)}`),
    );
  }

  flows.push(flow(LEARN_FROM_TUN, 1, '', LEARN_ACTIONS));

  // Table 20: l2population unicast entries, one per remote port MAC.
  for (const net of nets) {
    const seen = new Set<string>();
    for (const remote of net.remotes) {
      for (const port of remote.ports) {
        const mac = port.macAddress.toLowerCase();
        if (seen.has(mac)) continue;
        seen.add(mac);
        flows.push(
          flow(UCAST_TO_TUN, 2, `dl_vlan=${net.vlan},dl_dst=${mac}`, `${setTunnel(net.segmentationId)},output:${ofPort(remote.portName)}`),
        );
      }
    }
  }
  flows.push(flow(UCAST_TO_TUN, 0, '', resubmit(FLOOD_TO_TUN)));

  // Table 21: l2population ARP answers for the remote ports' IPv4 addresses.
  if (ARP_RESPONDER) {
    for (const net of nets) {
      const seen = new Set<string>();
      for (const remote of net.remotes) {
        for (const port of remote.ports) {
          for (const { ipAddress } of port.fixedIps) {
            if (!isIpAddress(ipAddress) || ipVersion(ipAddress) !== 4 || seen.has(ipAddress)) continue;
            seen.add(ipAddress);
            const mac = port.macAddress.toLowerCase();
            flows.push(flow(ARP_RESPONDER_TABLE, 1, `arp,dl_vlan=${net.vlan},arp_tpa=${ipAddress}`, arpResponderActions(mac, ipAddress)));
          }
        }
      }
    }
    flows.push(flow(ARP_RESPONDER_TABLE, 0, '', resubmit(FLOOD_TO_TUN)));
  }

  // Table 22: flood to every remote host of the network; none without one.
  for (const net of nets) {
    if (net.remotes.length === 0) continue;
    const outputs = net.remotes.map((r) => `output:${ofPort(r.portName)}`).join(',');
    flows.push(flow(FLOOD_TO_TUN, 1, `dl_vlan=${net.vlan}`, `${setTunnel(net.segmentationId)},${outputs}`));
  }
  flows.push(flow(FLOOD_TO_TUN, 0, '', 'drop'));
  return flows;
}
