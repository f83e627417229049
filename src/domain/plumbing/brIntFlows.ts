// br-int's OpenFlow pipeline as the native (os-ken) OVS agent of Neutron
// 2026.1 installs it with the hybrid iptables firewall (openflow/native/
// br_int.py, ovs_bridge.py; tables from neutron-lib ovs_constants;
// docs/neutron-model.md, "br-int and br-phys flow tables"):
//   0  local switching: drop the dead VLAN, send VM ARP / neighbour
//      advertisements / all VM traffic to the anti-spoofing tables,
//      translate provider VLANs coming from int-<bridge>, drop the rest of
//      int-<bridge>, everything else -> 58
//   23 canary (drop), used by the agent to detect an OVS restart
//   24 ARP / NA spoofing: allowed sender addresses -> 25 / 58, else drop
//   25 MAC spoofing: allowed source MACs -> 30
//   30, 31 local IP tables (extension unused) -> 58
//   58 packet rate limit (no QoS rules) -> 59
//   59 bandwidth rate limit (no QoS rules) -> 60
//   60 (priority 1), 62 (priority 3) NORMAL switching on the local VLAN
// VLAN <-> tunnel ID translation is br-tun's job, never br-int's. A host
// under the Open vSwitch firewall adds the driver's tables 60 and 71-94
// (ovsFirewallFlows.ts) and, as that driver provides ARP spoofing
// protection itself, has none of tables 24/25's per-port flows.
import { isTunnelType, isVmPort, type Port } from '../model.js';
import { intBridgePortName } from '../naming.js';
import { normalizeIp, parsePrefix, type Cidr } from '../addressing.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { flow, ofPort, type FlowRule } from './flow.js';
import { localNetworks } from './localNetworks.js';
import { DEAD_VLAN, pluggedPorts } from './plug.js';
import { physBridgeNames } from './bridges.js';
import { allFirewallFlows, hostFirewallFlows } from './ovsFirewallHost.js';

const LOCAL_SWITCHING = 0;
const CANARY_TABLE = 23;
const ARP_SPOOF_TABLE = 24;
const MAC_SPOOF_TABLE = 25;
const LOCAL_EGRESS_TABLE = 30;
const LOCAL_IP_TABLE = 31;
const PACKET_RATE_LIMIT = 58;
const BANDWIDTH_RATE_LIMIT = 59;
const TRANSIENT_TABLE = 60;
const TRANSIENT_EGRESS_TABLE = 62;
const NEIGHBOR_ADVERT = 136;
/** ovs_constants.FLAT_VLAN_TCI: untagged frames. */
export const FLAT_VLAN_TCI = 'vlan_tci=0x0000/0x1fff';

const resubmit = (table: number) => `resubmit(,${table})`;

/** The IPv6 link-local address the port's MAC gives (EUI-64). */
export function linkLocalAddress(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 0x02;
  const groups = [[b[0], b[1]], [b[2], 0xff], [0xfe, b[3]], [b[4], b[5]]].map(([hi, lo]) =>
    ((hi << 8) | lo).toString(16),
  );
  return normalizeIp(`fe80::${groups.join(':')}`);
}

/** An address or CIDR as OVS prints a masked IP match (_cidr_to_os_ken): bare for a host, CIDR otherwise. */
function maskedIp(cidr: Cidr): string {
  const bits = cidr.version === 4 ? 32 : 128;
  return cidr.prefix === bits ? cidr.text.split('/')[0] : cidr.text;
}

const masked = (text: string) => {
  const cidr = parsePrefix(text);
  return cidr ? maskedIp(cidr) : text;
};

/** br_int.py set_allowed_macs_for_port: the port may send from these MACs only. */
export function setAllowedMacsForPort(device: string, macs: string[]): FlowRule[] {
  const inPort = `in_port=${ofPort(device)}`;
  return [
    ...macs.map((mac) => flow(MAC_SPOOF_TABLE, 2, `${inPort},dl_src=${mac}`, resubmit(LOCAL_EGRESS_TABLE))),
    flow(LOCAL_SWITCHING, 9, inPort, resubmit(MAC_SPOOF_TABLE)),
  ];
}

/** br_int.py install_icmpv6_na_spoofing_protection: neighbour advertisements for these targets only. */
export function installIcmpv6NaSpoofingProtection(device: string, targets: string[]): FlowRule[] {
  const inPort = `in_port=${ofPort(device)}`;
  return [
    ...targets.map((t) =>
      flow(ARP_SPOOF_TABLE, 2, `icmp6,${inPort},icmp_type=${NEIGHBOR_ADVERT},nd_target=${masked(t)}`, resubmit(PACKET_RATE_LIMIT)),
    ),
    flow(LOCAL_SWITCHING, 10, `icmp6,${inPort},icmp_type=${NEIGHBOR_ADVERT}`, resubmit(ARP_SPOOF_TABLE)),
  ];
}

/** br_int.py install_arp_spoofing_protection: ARP from these sender addresses only. */
export function installArpSpoofingProtection(device: string, senders: string[]): FlowRule[] {
  const inPort = `in_port=${ofPort(device)}`;
  return [
    ...senders.map((spa) => flow(ARP_SPOOF_TABLE, 2, `arp,${inPort},arp_spa=${masked(spa)}`, resubmit(MAC_SPOOF_TABLE))),
    flow(LOCAL_SWITCHING, 10, `arp,${inPort}`, resubmit(ARP_SPOOF_TABLE)),
  ];
}

const byAddress = (a: Cidr, b: Cidr) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.prefix - b.prefix);

/**
 * setup_arp_spoofing_protection for one VM port: allowed MACs are the
 * port's and its address pairs'; allowed senders its fixed IPs, address
 * pairs and, for IPv6 neighbour advertisements, the link-local address of
 * each allowed MAC. A /0 pair allows anything: an IPv4 /0 makes the agent
 * remove its ARP and NA protection, an IPv6 /0 only the NA protection.
 */
function antiSpoofingFlows(port: Port, device: string): FlowRule[] {
  const pairMacs = port.allowedAddressPairs.map((p) => p.macAddress ?? port.macAddress);
  const macs = [...new Set([port.macAddress, ...pairMacs].map((m) => m.toLowerCase()))];
  const prefixes = [...port.fixedIps.map((f) => f.ipAddress), ...port.allowedAddressPairs.map((p) => p.ipAddress)]
    .map((text) => parsePrefix(text))
    .filter((c): c is Cidr => c !== null);
  const unique = (list: Cidr[]) => [...new Map(list.map((c) => [c.text, c])).values()].sort(byAddress);
  const v4 = unique(prefixes.filter((c) => c.version === 4));
  const v6 = unique([...prefixes.filter((c) => c.version === 6), ...macs.map((m) => parsePrefix(linkLocalAddress(m))!)]);

  const flows = setAllowedMacsForPort(device, macs);
  if (v4.some((c) => c.prefix === 0)) return flows;
  if (!v6.some((c) => c.prefix === 0)) flows.push(...installIcmpv6NaSpoofingProtection(device, v6.map(maskedIp)));
  flows.push(...installArpSpoofingProtection(device, v4.map(maskedIp)));
  return flows;
}

/**
 * setup_default_table without OpenFlow DHCP (enable_openflow_dhcp is off
 * unless OVN-like DHCP is configured): canary, the rate-limit chain
 * 0 -> 58 -> 59 -> 60, NORMAL in 60, the spoofing table's drop, the dead
 * VLAN's drop, NORMAL in 62 and the local IP tables.
 */
export function intDefaultTable(): FlowRule[] {
  return [
    flow(CANARY_TABLE, 0, '', 'drop'),
    flow(LOCAL_SWITCHING, 0, '', resubmit(PACKET_RATE_LIMIT)),
    flow(PACKET_RATE_LIMIT, 0, '', resubmit(BANDWIDTH_RATE_LIMIT)),
    flow(BANDWIDTH_RATE_LIMIT, 0, '', resubmit(TRANSIENT_TABLE)),
    flow(TRANSIENT_TABLE, 1, '', 'NORMAL'),
    flow(ARP_SPOOF_TABLE, 0, '', 'drop'),
    flow(LOCAL_SWITCHING, 65535, `dl_vlan=${DEAD_VLAN}`, 'drop'),
    flow(TRANSIENT_EGRESS_TABLE, 3, '', 'NORMAL'),
    flow(LOCAL_EGRESS_TABLE, 0, '', resubmit(PACKET_RATE_LIMIT)),
    flow(LOCAL_IP_TABLE, 0, '', resubmit(PACKET_RATE_LIMIT)),
  ];
}

/** ovs_bridge.py drop_port: drop what comes in on the port. */
export const dropPort = (port: string): FlowRule => flow(LOCAL_SWITCHING, 2, `in_port=${ofPort(port)}`, 'drop');

/**
 * br_int.py provision_local_vlan: frames from the physnet bridge `port` on
 * the provider VLAN (null: untagged, flat) get the local VLAN.
 */
export const intProvisionLocalVlan = (port: string, lvid: number, segmentationId: number | null): FlowRule =>
  flow(
    LOCAL_SWITCHING,
    3,
    `in_port=${ofPort(port)},${segmentationId === null ? FLAT_VLAN_TCI : `dl_vlan=${segmentationId}`}`,
    `mod_vlan_vid:${lvid},${resubmit(PACKET_RATE_LIMIT)}`,
  );

/** br-int flows of the host, unsorted. */
export function brIntFlows(index: TopologyIndex, hostId: string): FlowRule[] {
  const host = index.hosts.get(hostId);
  if (!host) return [];
  const flows = intDefaultTable();

  // Provider networks: what arrives from the physnet bridge on the provider
  // VLAN (or untagged, flat) gets this host's local VLAN; anything else from
  // there is dropped so that it cannot loop into another physnet.
  const networks = localNetworks(index, hostId);
  for (const bridge of physBridgeNames(host.bridgeMappings)) {
    const port = intBridgePortName(bridge);
    flows.push(dropPort(port));
    for (const { network, vlan } of networks) {
      if (isTunnelType(network.networkType) || !network.physicalNetwork) continue;
      if (host.bridgeMappings[network.physicalNetwork] !== bridge) continue;
      flows.push(intProvisionLocalVlan(port, vlan, network.segmentationId));
    }
  }

  const firewall = hostFirewallFlows(index, hostId);
  if (firewall) return [...flows, ...allFirewallFlows(firewall)];

  // Anti-spoofing: wired VM ports with port security; network:* ports are trusted.
  for (const { port, device, wired } of pluggedPorts(index, hostId)) {
    if (!wired || !isVmPort(port) || !port.portSecurityEnabled) continue;
    flows.push(...antiSpoofingFlows(port, device.name));
  }
  return flows;
}

