// br-tun's OpenFlow pipeline as the native (os-ken) OVS agent of Neutron
// 2026.1 installs it (openflow/native/br_tun.py, ovs_bridge.py; tables from
// neutron-lib ovs_constants; docs/neutron-model.md, "br-tun: tunnels,
// l2population, flooding"), printed as ovs-ofctl shows it with OpenFlow
// 1.0: goto_table reads resubmit(,N), push_vlan + set_field of a VLAN reads
// mod_vlan_vid, pop_vlan reads strip_vlan, set_field of other fields
// load:...->NXM_...[].
//
// Each builder below is one br_tun.py method; brTunFlows calls them for the
// host's state. Modelled: l2_population and arp_responder as the host says
// (the responder only with l2population, as the agent enables it), DVR off.
import { BR_TUN, hexId, PATCH_INT } from '../naming.js';
import { ipToBigInt, ipVersion, isIpAddress } from '../addressing.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { flow, ofPort, type FlowRule } from './flow.js';
import { bridgeCookie } from './cookies.js';
import { tunnelNetworks, tunnelPorts, type TunnelType } from './tunnels.js';

export const TUN_TABLE: Record<TunnelType, number> = { gre: 3, vxlan: 4, geneve: 6 };
const PATCH_LV_TO_TUN = 2;
const LEARN_FROM_TUN = 10;
const UCAST_TO_TUN = 20;
const ARP_RESPONDER_TABLE = 21;
const FLOOD_TO_TUN = 22;
const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
const ND_ROUTER_ADVERT = 134;
const ND_NEIGHBOR_ADVERT = 136;

const resubmit = (table: number) => `resubmit(,${table})`;
const setTunnel = (segmentationId: number) => `strip_vlan,load:${hexId(segmentationId)}->NXM_NX_TUN_ID[]`;

/**
 * The action of table 10: learn the sender into table 20 (with the bridge's
 * cookie, as NXActionLearn(cookie=default_cookie) sets it), then go to br-int.
 */
export function learnActions(cookie: string): string {
  return (
    `learn(table=${UCAST_TO_TUN},hard_timeout=300,priority=1,cookie=${cookie},NXM_OF_VLAN_TCI[0..11],` +
    'NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],' +
    'load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),' +
    `output:${ofPort(PATCH_INT)}`
  );
}

/**
 * _setup_learn_flows: ARP with a broadcast target hardware address, IPv6
 * router and neighbour advertisements at priority 2, the rest at priority 1;
 * all four learn the same way.
 */
export function learnFlows(cookie: string): FlowRule[] {
  const actions = learnActions(cookie);
  return [
    flow(LEARN_FROM_TUN, 2, `arp,arp_tha=${BROADCAST_MAC}`, actions),
    flow(LEARN_FROM_TUN, 2, `icmp6,icmp_type=${ND_ROUTER_ADVERT}`, actions),
    flow(LEARN_FROM_TUN, 2, `icmp6,icmp_type=${ND_NEIGHBOR_ADVERT}`, actions),
    flow(LEARN_FROM_TUN, 1, '', actions),
  ];
}

/** setup_default_table(patch_int_ofport, arp_responder_enabled, dvr_enabled=False). */
export function defaultTable(arpResponder: boolean, cookie: string): FlowRule[] {
  const flows = [flow(0, 1, `in_port=${ofPort(PATCH_INT)}`, resubmit(PATCH_LV_TO_TUN)), flow(0, 0, '', 'drop')];
  if (arpResponder) flows.push(flow(PATCH_LV_TO_TUN, 1, `arp,dl_dst=${BROADCAST_MAC}`, resubmit(ARP_RESPONDER_TABLE)));
  flows.push(flow(PATCH_LV_TO_TUN, 0, 'dl_dst=00:00:00:00:00:00/01:00:00:00:00:00', resubmit(UCAST_TO_TUN)));
  flows.push(flow(PATCH_LV_TO_TUN, 0, 'dl_dst=01:00:00:00:00:00/01:00:00:00:00:00', resubmit(FLOOD_TO_TUN)));
  // Tables 3/4/6 exist whatever types are in use (TUNNEL_NETWORK_TYPES).
  for (const table of Object.values(TUN_TABLE)) flows.push(flow(table, 0, '', 'drop'));
  flows.push(...learnFlows(cookie));
  flows.push(flow(UCAST_TO_TUN, 0, '', resubmit(FLOOD_TO_TUN)));
  if (arpResponder) flows.push(flow(ARP_RESPONDER_TABLE, 0, '', resubmit(FLOOD_TO_TUN)));
  flows.push(flow(FLOOD_TO_TUN, 0, '', 'drop'));
  return flows;
}

/** setup_tunnel_port: what arrives on the tunnel port goes to its type's table. */
export const setupTunnelPort = (type: TunnelType, port: string): FlowRule =>
  flow(0, 1, `in_port=${ofPort(port)}`, resubmit(TUN_TABLE[type]));

/** provision_local_vlan: the tunnel id becomes the host's local VLAN, then learn. */
export const provisionLocalVlan = (type: TunnelType, lvid: number, segmentationId: number): FlowRule =>
  flow(TUN_TABLE[type], 1, `tun_id=${hexId(segmentationId)}`, `mod_vlan_vid:${lvid},${resubmit(LEARN_FROM_TUN)}`);

/** install_flood_to_tun: the local VLAN's broadcasts leave on the tunnel id through each port. */
export const floodToTun = (vlan: number, tunId: number, ports: string[]): FlowRule =>
  flow(FLOOD_TO_TUN, 1, `dl_vlan=${vlan}`, [setTunnel(tunId), ...ports.map((p) => `output:${ofPort(p)}`)].join(','));

/** install_unicast_to_tun: an l2population FDB entry. */
export const unicastToTun = (vlan: number, tunId: number, port: string, mac: string): FlowRule =>
  flow(UCAST_TO_TUN, 2, `dl_vlan=${vlan},dl_dst=${mac}`, `${setTunnel(tunId)},output:${ofPort(port)}`);

/** install_arp_responder (ovs_bridge.py): turn the request into a reply from `mac` / `ip` and send it back. */
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

export const arpResponder = (vlan: number, ip: string, mac: string): FlowRule =>
  flow(ARP_RESPONDER_TABLE, 1, `arp,dl_vlan=${vlan},arp_tpa=${ip}`, arpResponderActions(mac, ip));

/**
 * br-tun flows of the host, unsorted; empty for a host without br-tun.
 * Without l2population table 20 holds only what table 10 learns from
 * traffic, which the model does not know: just its default flow is shown.
 */
export function brTunFlows(index: TopologyIndex, hostId: string): FlowRule[] {
  const host = index.hosts.get(hostId);
  if (!host?.tunnelIp) return [];
  // ovs_neutron_agent.py: arp_responder_enabled = arp_responder and l2_pop.
  const arpResponderOn = host.arpResponder && host.l2Population;
  const flows = defaultTable(arpResponderOn, bridgeCookie(host.id, BR_TUN));
  for (const t of tunnelPorts(index, hostId)) flows.push(setupTunnelPort(t.type, t.name));
  for (const net of tunnelNetworks(index, hostId)) {
    flows.push(provisionLocalVlan(net.type, net.vlan, net.segmentationId));
    if (net.floodPorts.length > 0) flows.push(floodToTun(net.vlan, net.segmentationId, net.floodPorts));
    // add_fdb_flow for each remote port: a unicast entry per MAC and, with
    // the responder, an ARP answer per IPv4 address (setup_entry_for_arp_reply).
    const macs = new Set<string>();
    const ips = new Set<string>();
    for (const remote of net.remotes) {
      for (const port of remote.ports) {
        const mac = port.macAddress.toLowerCase();
        if (!macs.has(mac)) flows.push(unicastToTun(net.vlan, net.segmentationId, remote.portName, mac));
        macs.add(mac);
        if (!arpResponderOn) continue;
        for (const { ipAddress } of port.fixedIps) {
          if (!isIpAddress(ipAddress) || ipVersion(ipAddress) !== 4 || ips.has(ipAddress)) continue;
          ips.add(ipAddress);
          flows.push(arpResponder(net.vlan, ipAddress, mac));
        }
      }
    }
  }
  return flows;
}
