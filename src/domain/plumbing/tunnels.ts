// The overlay as the OVS agent of Neutron 2026.1 builds it on br-tun, in
// both of its modes (ovs_neutron_agent.py; docs/neutron-model.md, "br-tun:
// tunnels, l2population, flooding"):
//   l2population on: a tunnel port towards a remote host only while both
//     hosts have a local VLAN for a tunnel network they share (fdb_add /
//     add_fdb_flow), and forwarding entries for the ports bound there;
//   l2population off: at start tunnel_sync makes a tunnel port towards every
//     other endpoint of each of the agent's tunnel types (and tunnel_update
//     adds the ones that join later); no forwarding entries, MACs are learned.
// Either way a tunnel needs both ends to be of one IP version
// (_setup_tunnel_port).
import { isTunnelType, type Host, type Network, type NetworkType, type Port } from '../model.js';
import { ipVersion } from '../addressing.js';
import { tunnelPortName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { localNetworks } from './localNetworks.js';
import { brIntDevice, compareNames } from './plug.js';

export type TunnelType = 'vxlan' | 'gre' | 'geneve';

export interface RemoteEndpoint {
  host: Host;
  /** The tunnel port on this host's br-tun towards `host`, e.g. vxlan-0a00000c. */
  portName: string;
  /** The network's plugged ports bound on `host` (l2population FDB entries). */
  ports: Port[];
}

export interface TunnelNetwork {
  network: Network;
  /** This host's local VLAN of the network. */
  vlan: number;
  segmentationId: number;
  type: TunnelType;
  /**
   * l2population's FDB for the network: remote hosts with a local VLAN of it,
   * by tunnel port name. Empty when the host runs without l2population.
   */
  remotes: RemoteEndpoint[];
  /** The tunnel ports table 22 floods the network's broadcasts to, by name; none means no flood flow. */
  floodPorts: string[];
}

export interface TunnelPort {
  name: string;
  type: TunnelType;
  remoteIp: string;
  localIp: string;
}

const tunnelType = (type: NetworkType) => type.toLowerCase() as TunnelType;

/** _setup_tunnel_port refuses a remote of another IP version, and tunnel_sync skips the host's own IP. */
const canTunnel = (host: Host, remote: Host) =>
  Boolean(remote.tunnelIp) && remote.tunnelIp !== host.tunnelIp && ipVersion(remote.tunnelIp) === ipVersion(host.tunnelIp);

/** Tunnel networks with a local VLAN on the host, by local VLAN. Empty for a host without a tunnel IP. */
export function tunnelNetworks(index: TopologyIndex, hostId: string): TunnelNetwork[] {
  const host = index.hosts.get(hostId);
  if (!host?.tunnelIp) return [];
  const ports = tunnelPorts(index, hostId);
  const result: TunnelNetwork[] = [];
  for (const { network, vlan } of localNetworks(index, hostId)) {
    if (!isTunnelType(network.networkType) || network.segmentationId === null) continue;
    const type = tunnelType(network.networkType);
    const remotes = host.l2Population ? remoteEndpoints(index, host, network) : [];
    // provision_local_vlan floods to every tunnel port of the type already on
    // br-tun; with l2population, the FDB's flooding entries then replace that
    // list with the network's own remote hosts (add_fdb_flow), if it has any.
    const ofType = ports.filter((p) => p.type === type).map((p) => p.name);
    const floodPorts = remotes.length > 0 ? remotes.map((r) => r.portName) : ofType;
    result.push({ network, vlan, segmentationId: network.segmentationId, type, remotes, floodPorts });
  }
  return result;
}

function remoteEndpoints(index: TopologyIndex, host: Host, network: Network): RemoteEndpoint[] {
  const remotes: RemoteEndpoint[] = [];
  for (const lv of index.topology.localVlans) {
    if (lv.networkId !== network.id || lv.hostId === host.id) continue;
    const remote = index.hosts.get(lv.hostId);
    if (!remote || !canTunnel(host, remote)) continue;
    const ports = index
      .portsOfNetwork(network.id)
      .filter((p) => p.hostId === remote.id && brIntDevice(p) !== null);
    remotes.push({ host: remote, portName: tunnelPortName(network.networkType, remote.tunnelIp), ports });
  }
  return remotes.sort((a, b) => compareNames(a.portName, b.portName));
}

/** The tunnel ports on the host's br-tun, by name. */
export function tunnelPorts(index: TopologyIndex, hostId: string): TunnelPort[] {
  const host = index.hosts.get(hostId);
  if (!host?.tunnelIp) return [];
  const byName = new Map<string, TunnelPort>();
  const add = (type: NetworkType, remote: Host) => {
    const name = tunnelPortName(type, remote.tunnelIp);
    byName.set(name, { name, type: tunnelType(type), remoteIp: remote.tunnelIp, localIp: host.tunnelIp });
  };
  if (host.l2Population) {
    for (const { network } of localNetworks(index, hostId)) {
      if (!isTunnelType(network.networkType) || network.segmentationId === null) continue;
      for (const remote of remoteEndpoints(index, host, network)) add(network.networkType, remote.host);
    }
  } else {
    for (const type of index.topology.tunnelTypes) {
      for (const remote of index.hosts.values()) if (canTunnel(host, remote)) add(type, remote);
    }
  }
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}
