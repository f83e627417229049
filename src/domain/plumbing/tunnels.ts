// The overlay as the OVS agent builds it with l2population (NEUTRON-MODEL.md
// §1, §4): a tunnel port towards a remote host only while both hosts have a
// local VLAN for a tunnel network they share, and forwarding entries for the
// ports bound on the remote host.
import { isTunnelType, type Host, type Network, type Port } from '../model.js';
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
  /** Remote hosts with a local VLAN of the network, by tunnel port name. */
  remotes: RemoteEndpoint[];
}

export interface TunnelPort {
  name: string;
  type: TunnelType;
  remoteIp: string;
  localIp: string;
}

const tunnelType = (network: Network) => network.networkType.toLowerCase() as TunnelType;

/** Tunnel networks with a local VLAN on the host, by local VLAN. Empty for a host without a tunnel IP. */
export function tunnelNetworks(index: TopologyIndex, hostId: string): TunnelNetwork[] {
  const host = index.hosts.get(hostId);
  if (!host?.tunnelIp) return [];
  const result: TunnelNetwork[] = [];
  for (const { network, vlan } of localNetworks(index, hostId)) {
    if (!isTunnelType(network.networkType) || network.segmentationId === null) continue;
    result.push({
      network,
      vlan,
      segmentationId: network.segmentationId,
      type: tunnelType(network),
      remotes: remoteEndpoints(index, host, network),
    });
  }
  return result;
}

function remoteEndpoints(index: TopologyIndex, host: Host, network: Network): RemoteEndpoint[] {
  const remotes: RemoteEndpoint[] = [];
  for (const lv of index.topology.localVlans) {
    if (lv.networkId !== network.id || lv.hostId === host.id) continue;
    const remote = index.hosts.get(lv.hostId);
    if (!remote?.tunnelIp || remote.tunnelIp === host.tunnelIp) continue;
    const ports = index
      .portsOfNetwork(network.id)
      .filter((p) => p.hostId === remote.id && brIntDevice(p) !== null);
    remotes.push({ host: remote, portName: tunnelPortName(network.networkType, remote.tunnelIp), ports });
  }
  return remotes.sort((a, b) => compareNames(a.portName, b.portName));
}

/** One tunnel port per (tunnel type, remote host) the host needs, by name. */
export function tunnelPorts(index: TopologyIndex, hostId: string): TunnelPort[] {
  const host = index.hosts.get(hostId);
  if (!host?.tunnelIp) return [];
  const byName = new Map<string, TunnelPort>();
  for (const net of tunnelNetworks(index, hostId)) {
    for (const remote of net.remotes) {
      byName.set(remote.portName, {
        name: remote.portName,
        type: net.type,
        remoteIp: remote.host.tunnelIp,
        localIp: host.tunnelIp,
      });
    }
  }
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}
