// br-int's OpenFlow pipeline as the current native (os-ken) OVS agent
// installs it with the hybrid iptables firewall (br_int.py; tables from
// neutron-lib ovs_constants; NEUTRON-MODEL.md §4, §4b):
//   0  local switching: drop the dead VLAN, send VM ARP / neighbour
//      advertisements / all VM traffic to the anti-spoofing tables,
//      translate provider VLANs coming from int-<bridge>, drop the rest of
//      int-<bridge>, everything else -> 58
//   23 canary (drop), used by the agent to detect an OVS restart
//   24 ARP / NA spoofing: allowed sender addresses -> 25 / 58, else drop
//   25 MAC spoofing: allowed source MACs -> 30
//   30, 31 local IP tables (extension unused) -> 58
//   58 packet rate limit (no QoS rules) -> 60
//   60, 62 NORMAL switching on the local VLAN
// VLAN <-> tunnel ID translation is br-tun's job, never br-int's.
import { isTunnelType, isVmPort, type Port } from '../model.js';
import { intBridgePortName } from '../naming.js';
import { normalizeIp, parsePrefix, type Cidr } from '../addressing.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { flow, ofPort, type Flow } from './flow.js';
import { localNetworks } from './localNetworks.js';
import { DEAD_VLAN, pluggedPorts } from './plug.js';
import { physBridgeNames } from './bridges.js';

const LOCAL_SWITCHING = 0;
const CANARY_TABLE = 23;
const ARP_SPOOF_TABLE = 24;
const MAC_SPOOF_TABLE = 25;
const LOCAL_EGRESS_TABLE = 30;
const LOCAL_IP_TABLE = 31;
const PACKET_RATE_LIMIT = 58;
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

/** An address or CIDR as OVS prints a masked IP match: bare for a host, CIDR otherwise. */
function maskedIp(cidr: Cidr): string {
  const bits = cidr.version === 4 ? 32 : 128;
  return cidr.prefix === bits ? cidr.text.split('/')[0] : cidr.text;
}

const byAddress = (a: Cidr, b: Cidr) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.prefix - b.prefix);

/**
 * setup_arp_spoofing_protection for one VM port: allowed MACs are the
 * port's and its address pairs'; allowed senders its fixed IPs, address
 * pairs and, for IPv6 neighbour advertisements, the link-local address of
 * each allowed MAC. A /0 pair allows anything: an IPv4 /0 makes the agent
 * remove its ARP and NA protection, an IPv6 /0 only the NA protection.
 */
function antiSpoofingFlows(port: Port, device: string): Flow[] {
  const inPort = `in_port=${ofPort(device)}`;
  const flows: Flow[] = [];
  const pairMacs = port.allowedAddressPairs.map((p) => p.macAddress ?? port.macAddress);
  const macs = [...new Set([port.macAddress, ...pairMacs].map((m) => m.toLowerCase()))];
  const prefixes = [...port.fixedIps.map((f) => f.ipAddress), ...port.allowedAddressPairs.map((p) => p.ipAddress)]
    .map((text) => parsePrefix(text))
    .filter((c): c is Cidr => c !== null);
  const unique = (list: Cidr[]) => [...new Map(list.map((c) => [c.text, c])).values()].sort(byAddress);
  const v4 = unique(prefixes.filter((c) => c.version === 4));
  const v6 = unique([...prefixes.filter((c) => c.version === 6), ...macs.map((m) => parsePrefix(linkLocalAddress(m))!)]);

  for (const mac of macs) {
    flows.push(flow(MAC_SPOOF_TABLE, 2, `${inPort},dl_src=${mac}`, resubmit(LOCAL_EGRESS_TABLE)));
  }
  flows.push(flow(LOCAL_SWITCHING, 9, inPort, resubmit(MAC_SPOOF_TABLE)));

  if (v4.some((c) => c.prefix === 0)) return flows;
  if (!v6.some((c) => c.prefix === 0)) {
    for (const target of v6) {
      flows.push(
        flow(ARP_SPOOF_TABLE, 2, `icmp6,${inPort},icmp_type=${NEIGHBOR_ADVERT},nd_target=${maskedIp(target)}`, resubmit(PACKET_RATE_LIMIT)),
      );
    }
    flows.push(flow(LOCAL_SWITCHING, 10, `icmp6,${inPort},icmp_type=${NEIGHBOR_ADVERT}`, resubmit(ARP_SPOOF_TABLE)));
  }
  for (const spa of v4) {
    flows.push(flow(ARP_SPOOF_TABLE, 2, `arp,${inPort},arp_spa=${maskedIp(spa)}`, resubmit(MAC_SPOOF_TABLE)));
  }
  flows.push(flow(LOCAL_SWITCHING, 10, `arp,${inPort}`, resubmit(ARP_SPOOF_TABLE)));
  return flows;
}

/** br-int flows of the host, unsorted. */
export function brIntFlows(index: TopologyIndex, hostId: string): Flow[] {
  const host = index.hosts.get(hostId);
  if (!host) return [];
  const flows: Flow[] = [
    flow(LOCAL_SWITCHING, 65535, `dl_vlan=${DEAD_VLAN}`, 'drop'),
    flow(LOCAL_SWITCHING, 0, '', resubmit(PACKET_RATE_LIMIT)),
    flow(CANARY_TABLE, 0, '', 'drop'),
    flow(ARP_SPOOF_TABLE, 0, '', 'drop'),
    flow(LOCAL_EGRESS_TABLE, 0, '', resubmit(PACKET_RATE_LIMIT)),
    flow(LOCAL_IP_TABLE, 0, '', resubmit(PACKET_RATE_LIMIT)),
    flow(PACKET_RATE_LIMIT, 0, '', resubmit(TRANSIENT_TABLE)),
    flow(TRANSIENT_TABLE, 3, '', 'NORMAL'),
    flow(TRANSIENT_EGRESS_TABLE, 3, '', 'NORMAL'),
  ];

  // Provider networks: what arrives from the physnet bridge on the provider
  // VLAN (or untagged, flat) gets this host's local VLAN; anything else from
  // there is dropped so that it cannot loop into another physnet.
  const networks = localNetworks(index, hostId);
  for (const bridge of physBridgeNames(host.bridgeMappings)) {
    const inPort = `in_port=${ofPort(intBridgePortName(bridge))}`;
    flows.push(flow(LOCAL_SWITCHING, 2, inPort, 'drop'));
    for (const { network, vlan } of networks) {
      if (isTunnelType(network.networkType) || !network.physicalNetwork) continue;
      if (host.bridgeMappings[network.physicalNetwork] !== bridge) continue;
      const match = network.segmentationId === null ? FLAT_VLAN_TCI : `dl_vlan=${network.segmentationId}`;
      flows.push(flow(LOCAL_SWITCHING, 3, `${inPort},${match}`, `mod_vlan_vid:${vlan},${resubmit(PACKET_RATE_LIMIT)}`));
    }
  }

  // Anti-spoofing: wired VM ports with port security; network:* ports are trusted.
  for (const { port, device, wired } of pluggedPorts(index, hostId)) {
    if (!wired || !isVmPort(port) || !port.portSecurityEnabled) continue;
    flows.push(...antiSpoofingFlows(port, device.name));
  }
  return flows;
}

