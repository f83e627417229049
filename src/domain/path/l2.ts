// Layer-2 segments: the hybrid plug of a VM port on its host, and how
// br-int reaches br-int of another host on one network: over br-tun and a
// tunnel (VXLAN/GRE/GENEVE) or over a physnet bridge and the physical
// network (VLAN/flat). docs/neutron-model.md, "br-tun: tunnels,
// l2population, flooding".
import { isTunnelType, type Host, type Network, type Port } from '../model.js';
import {
  BR_INT, BR_TUN, PATCH_INT, PATCH_TUN, hexId, intBridgePortName, phyBridgePortName, qbrName, qvbName, qvoName,
  tapName, tunnelPortName,
} from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { usesHybridPlug } from '../plumbing/plug.js';
import { label, type HopDraft } from './types.js';

type Tag = number | null;

function hop(hostId: string | null, device: string, kind: HopDraft['kind'], action: string, vlan: Tag = null, tunnelId: Tag = null): HopDraft {
  return { hostId, namespace: null, device, kind, vlan, tunnelId, action };
}

export interface WiringProblem {
  reason: 'PORT_DOWN' | 'PORT_UNBOUND';
  /** Why, as a clause naming the network and host, e.g. "network net1 (…) has no local VLAN on compute-1 (…)". */
  why: string;
}

/**
 * Why a port of the network cannot be wired on the host, or null when it
 * can. Without a local VLAN the OVS agent leaves the port on the dead VLAN;
 * without a tunnel IP or a bridge mapping ML2 cannot bind it at all.
 */
export function wiringProblem(index: TopologyIndex, networkId: string, host: Host): WiringProblem | null {
  const network = index.networks.get(networkId);
  if (!network) return { reason: 'PORT_UNBOUND', why: `its network ${networkId} does not exist` };
  if (isTunnelType(network.networkType)) {
    if (!host.tunnelIp) return { reason: 'PORT_UNBOUND', why: `host ${label(host)} has no tunnel IP for ${network.networkType} network ${label(network)}` };
    if (network.segmentationId === null) return { reason: 'PORT_UNBOUND', why: `network ${label(network)} has no segmentation id` };
  } else {
    const physnet = network.physicalNetwork;
    if (!physnet || !host.bridgeMappings[physnet]) {
      return { reason: 'PORT_UNBOUND', why: `host ${label(host)} has no bridge mapping for physical network ${physnet ?? '(none)'} of network ${label(network)}` };
    }
  }
  if (index.localVlan(host.id, network.id) === null) {
    return { reason: 'PORT_DOWN', why: `network ${label(network)} has no local VLAN on host ${label(host)}, so the port sits on the dead VLAN 4095` };
  }
  return null;
}

// --- the hybrid plug of a VM port (tap - qbr - qvb == qvo) -------------------

export const vnicHop = (name: string, hostId: string | null, action: string) => hop(hostId, name, 'VNIC', action);
export const tapHop = (port: Port, action: string) => hop(port.hostId, tapName(port.id), 'TAP', action);
/** The hybrid firewall driver filters on qbr, so the security group verdict is its action. */
export const qbrHop = (port: Port, action: string) => hop(port.hostId, qbrName(port.id), 'LINUX_BRIDGE', action);
export const qvbHop = (port: Port, action: string) => hop(port.hostId, qvbName(port.id), 'VETH', action);
/** qvo is br-int's access port: it carries the host's local VLAN of the network. */
export const qvoHop = (port: Port, vlan: number | null, action: string) => hop(port.hostId, qvoName(port.id), 'VETH', action, vlan);

// --- the Open vSwitch firewall: the tap on br-int, filtered by its tables ------

/** Whether the VM port's host plugs it through qbr/qvb/qvo (hybrid) or puts its tap on br-int. */
export const hybridPlugged = (host: Host) => usesHybridPlug(host.firewallDriver);

/** The VM port's device on br-int: qvo (hybrid plug) or the tap itself. */
export const vmBrIntDevice = (port: Port, host: Host) => (hybridPlugged(host) ? qvoName(port.id) : tapName(port.id));

/**
 * Under the OVS firewall br-int's conntrack tables hold the security group
 * verdict: egress 60 -> 71 -> 72 (-> 73), ingress 60/73 -> 81 -> 82, in the
 * conntrack zone of the network's local VLAN.
 */
export function ovsFirewallHop(port: Port, vlan: number | null, direction: 'egress' | 'ingress', verdict: string): HopDraft {
  const tables = direction === 'egress' ? 'tables 60 -> 71 -> 72' : 'tables 81 -> 82';
  return hop(port.hostId, BR_INT, 'OVS_BRIDGE', `${tables} (ct zone ${vlan ?? '-'}): ${verdict}`, vlan);
}

// --- br-int to br-int ---------------------------------------------------------

const vlanText = (vlan: number | null) => (vlan === null ? 'no local VLAN' : `local VLAN ${vlan}`);

export function brIntHop(index: TopologyIndex, network: Network, host: Host, action: (vlan: string) => string): HopDraft {
  const vlan = index.localVlan(host.id, network.id);
  return hop(host.id, BR_INT, 'OVS_BRIDGE', action(vlanText(vlan)), vlan);
}

/** br-int's last hop before a port: it switches the frame on the local VLAN. */
const switchTo = (nextDevice: string) => (vlan: string) => `switch on ${vlan} to ${nextDevice}`;

/**
 * The hops from br-int on `from` to br-int on `to` (both included) on the
 * network, ending with br-int switching to `nextDevice`. On one host the
 * frame never leaves br-int.
 */
export function crossHosts(index: TopologyIndex, network: Network, from: Host, to: Host, nextDevice: string): HopDraft[] {
  if (from.id === to.id) return [brIntHop(index, network, from, switchTo(nextDevice))];
  if (isTunnelType(network.networkType)) return overTunnel(index, network, from, to, nextDevice);
  return [...toPhysical(index, network, from), physicalNetworkHop(network), ...fromPhysical(index, network, to, nextDevice)];
}

/**
 * What br-tun on the sending host does with the packet. With l2population its
 * table 20 knows the destination MAC and sends it down the one tunnel.
 * Without, table 20 knows only what it learned, so the first packet (and
 * ARP) misses and table 22 floods it to every tunnel port of the type: one
 * per other endpoint of the cloud. A path does not read those hosts (it reads
 * only the hosts on it, and their number from the snapshot), so the hop gives
 * their count and names the port that reaches the destination. The reply
 * teaches table 20 the MAC; later packets go unicast.
 */
function sendingBrTunAction(index: TopologyIndex, network: Network, from: Host, to: Host, vlan: number | null): string {
  const tun = hexId(network.segmentationId ?? 0);
  const strip = `strip VLAN ${vlan ?? '-'}, set tunnel ${tun}`;
  if (from.l2Population) return strip;
  const type = network.networkType.toLowerCase();
  const peers = index.topology.tunnelPeers[from.id];
  const ports = peers === undefined ? `every ${type} tunnel port` : `all ${peers} ${type} tunnel port${peers === 1 ? '' : 's'}`;
  return (
    `${strip}, flood to ${ports} (l2population off: the first packet floods, ` +
    `later ones follow the MAC learned in table 20), among them ${tunnelPortName(network.networkType, to.tunnelIp)}`
  );
}

/** br-int -> patch-tun == patch-int -> br-tun -> tunnel port, the overlay, and back up on the remote host. */
function overTunnel(index: TopologyIndex, network: Network, from: Host, to: Host, nextDevice: string): HopDraft[] {
  const tunnelId = network.segmentationId ?? 0;
  const tun = hexId(tunnelId);
  const type = network.networkType;
  const vlanA = index.localVlan(from.id, network.id);
  const vlanB = index.localVlan(to.id, network.id);
  const encapsulate = from.l2Population ? `encapsulate to ${to.tunnelIp}` : `encapsulate the flooded copy to ${to.tunnelIp}`;
  return [
    brIntHop(index, network, from, (vlan) => `${vlan} to ${PATCH_TUN}`),
    hop(from.id, PATCH_TUN, 'PATCH_PORT', `to ${BR_TUN}`, vlanA),
    hop(from.id, PATCH_INT, 'PATCH_PORT', `from ${BR_INT} on ${vlanText(vlanA)}`, vlanA),
    hop(from.id, BR_TUN, 'OVS_BRIDGE', sendingBrTunAction(index, network, from, to, vlanA), null, tunnelId),
    hop(from.id, tunnelPortName(type, to.tunnelIp), 'TUNNEL_PORT', encapsulate, null, tunnelId),
    hop(null, `${type.toLowerCase()} ${tun}`, 'OVERLAY', `${type} ${from.tunnelIp} -> ${to.tunnelIp}`, null, tunnelId),
    hop(to.id, tunnelPortName(type, from.tunnelIp), 'TUNNEL_PORT', `decapsulate from ${from.tunnelIp}`, null, tunnelId),
    hop(to.id, BR_TUN, 'OVS_BRIDGE', `tunnel ${tun} -> local VLAN ${vlanB ?? '-'}`, null, tunnelId),
    hop(to.id, PATCH_INT, 'PATCH_PORT', `to ${BR_INT}`, vlanB),
    hop(to.id, PATCH_TUN, 'PATCH_PORT', `from ${BR_TUN} on ${vlanText(vlanB)}`, vlanB),
    brIntHop(index, network, to, switchTo(nextDevice)),
  ];
}

/** The VLAN a provider network carries on the wire: its segmentation id, none for flat. */
export const providerVlan = (network: Network) => (network.networkType === 'VLAN' ? network.segmentationId : null);

const wireText = (network: Network) => {
  const vlan = providerVlan(network);
  return vlan === null ? 'untagged' : `provider VLAN ${vlan}`;
};

const physBridge = (network: Network, host: Host) => host.bridgeMappings[network.physicalNetwork ?? ''] ?? '';

/** br-int -> int-br-X == phy-br-X -> br-X, which swaps the local VLAN for the provider one (or strips it). */
export function toPhysical(index: TopologyIndex, network: Network, host: Host): HopDraft[] {
  const bridge = physBridge(network, host);
  const local = index.localVlan(host.id, network.id);
  const wire = providerVlan(network);
  const rewrite = wire === null ? `strip local VLAN ${local ?? '-'} (flat)` : `local VLAN ${local ?? '-'} -> provider VLAN ${wire}`;
  return [
    brIntHop(index, network, host, (vlan) => `${vlan} to ${intBridgePortName(bridge)}`),
    hop(host.id, intBridgePortName(bridge), 'PATCH_PORT', `to ${bridge}`, local),
    hop(host.id, phyBridgePortName(bridge), 'PATCH_PORT', `from ${BR_INT} on ${vlanText(local)}`, local),
    hop(host.id, bridge, 'OVS_BRIDGE', `${rewrite}, out to ${network.physicalNetwork}`, wire),
  ];
}

/** br-X -> phy-br-X == int-br-X, where br-int swaps the provider VLAN for its local one, -> br-int. */
export function fromPhysical(index: TopologyIndex, network: Network, host: Host, nextDevice: string): HopDraft[] {
  const bridge = physBridge(network, host);
  const local = index.localVlan(host.id, network.id);
  const wire = providerVlan(network);
  return [
    hop(host.id, bridge, 'OVS_BRIDGE', `in from ${network.physicalNetwork}, ${wireText(network)}`, wire),
    hop(host.id, phyBridgePortName(bridge), 'PATCH_PORT', `to ${BR_INT}`, wire),
    hop(host.id, intBridgePortName(bridge), 'PATCH_PORT', `${wireText(network)} -> local VLAN ${local ?? '-'}`, local),
    brIntHop(index, network, host, switchTo(nextDevice)),
  ];
}

/** The physical switch fabric of a physnet, between two hosts' physnet bridges. */
export function physicalNetworkHop(network: Network): HopDraft {
  const physnet = network.physicalNetwork ?? network.name;
  return hop(null, physnet, 'PHYSICAL_NETWORK', `${wireText(network)} on ${physnet}`, providerVlan(network));
}

/** The router (or host) outside the cloud that owns `address` on a provider network. */
export function externalGatewayHop(network: Network | null, address: string, action: string): HopDraft {
  return hop(null, address, 'EXTERNAL_GATEWAY', action, network ? providerVlan(network) : null);
}
