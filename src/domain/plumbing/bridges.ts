// The OVS bridges and ports the OVS agent (and os-vif, the L3 and DHCP
// agents) create on a host (docs/neutron-model.md, "br-tun: tunnels,
// l2population, flooding" for the tunnel ports).
import { BR_INT, BR_TUN, PATCH_INT, PATCH_TUN, intBridgePortName, phyBridgePortName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { compareNames, pluggedPorts } from './plug.js';
import { tunnelPorts, type TunnelPort } from './tunnels.js';
import { ipVersion } from '../addressing.js';

export type BridgePortType = 'internal' | 'patch' | 'vxlan' | 'gre' | 'ip6gre' | 'geneve' | 'system' | null;

export interface BridgePort {
  name: string;
  type: BridgePortType;
  /** Access VLAN tag (br-int only); null for untagged ports. */
  tag: number | null;
  /** The other end of a patch port. */
  peer: string | null;
  remoteIp: string | null;
  localIp: string | null;
}

export interface Bridge {
  name: string;
  /** By name. */
  ports: BridgePort[];
}

const port = (name: string, type: BridgePortType, extra: Partial<BridgePort> = {}): BridgePort => ({
  name,
  type,
  tag: null,
  peer: null,
  remoteIp: null,
  localIp: null,
  ...extra,
});

const bridge = (name: string, ports: BridgePort[]): Bridge => ({
  name,
  ports: ports.sort((a, b) => compareNames(a.name, b.name)),
});

/** ovs_lib.py get_gre_tunnel_port_type: GRE between IPv6 endpoints is OVS's ip6gre interface. */
const interfaceType = (t: TunnelPort): BridgePortType => (t.type === 'gre' && ipVersion(t.remoteIp) === 6 ? 'ip6gre' : t.type);

/** Physnet bridges of the host's bridge_mappings, by bridge name, each once. */
export function physBridgeNames(mappings: Record<string, string>): string[] {
  return [...new Set(Object.values(mappings))].sort(compareNames);
}

/**
 * br-int, then br-tun, then the physnet bridges. br-tun exists whenever the
 * host has a tunnel IP: the agent creates it at start-up when tunnel_types
 * is set, before any network needs it. The physnet bridges' own uplink NIC
 * is the operator's and not modelled, so it is not listed.
 */
export function hostBridges(index: TopologyIndex, hostId: string): Bridge[] {
  const host = index.hosts.get(hostId);
  if (!host) return [];
  const hasTun = Boolean(host.tunnelIp);
  const physBridges = physBridgeNames(host.bridgeMappings);

  const intPorts: BridgePort[] = [port(BR_INT, 'internal')];
  for (const p of pluggedPorts(index, hostId)) intPorts.push(port(p.device.name, p.device.type, { tag: p.tag }));
  if (hasTun) intPorts.push(port(PATCH_TUN, 'patch', { peer: PATCH_INT }));
  for (const name of physBridges) {
    intPorts.push(port(intBridgePortName(name), 'patch', { peer: phyBridgePortName(name) }));
  }

  const bridges = [bridge(BR_INT, intPorts)];
  if (hasTun) {
    const tunPorts: BridgePort[] = [port(BR_TUN, 'internal'), port(PATCH_INT, 'patch', { peer: PATCH_TUN })];
    for (const t of tunnelPorts(index, hostId)) {
      tunPorts.push(port(t.name, interfaceType(t), { remoteIp: t.remoteIp, localIp: t.localIp }));
    }
    bridges.push(bridge(BR_TUN, tunPorts));
  }
  for (const name of physBridges) {
    bridges.push(bridge(name, [port(name, 'internal'), port(phyBridgePortName(name), 'patch', { peer: intBridgePortName(name) })]));
  }
  return bridges;
}
