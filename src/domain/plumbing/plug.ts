// Which Neutron ports are plugged into br-int, under which OVS port name
// (docs/neutron-model.md, "The data path of a VM port (hybrid plug)", "Ports"
// and "The Open vSwitch firewall driver").
import { DEVICE_OWNER, isVmPort, type FirewallDriver, type Port } from '../model.js';
import { qgName, qrName, qvoName, tapName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';

/** The OVS agent's tag for ports it cannot wire; br-int drops it in table 0. */
export const DEAD_VLAN = 4095;

export interface BrIntDevice {
  name: string;
  /** 'system' is a kernel device (the qvo veth end, or the VM's tap itself); the others are OVS internal ports. */
  type: 'system' | 'internal';
  /** True for the qvo end of os-vif's hybrid plug, whose tap sits on a qbr bridge. */
  hybrid: boolean;
}

/**
 * Whether os-vif plugs the host's VM ports through a qbr bridge: the agent
 * reports ovs_hybrid_plug true with the hybrid iptables driver only, and the
 * mech driver copies it into each port's binding:vif_details.
 */
export const usesHybridPlug = (firewallDriver: FirewallDriver) => firewallDriver === 'IPTABLES_HYBRID';

/**
 * The port's device on br-int: qvo for VMs under the hybrid plug, the VM's
 * tap itself under the OVS firewall, qr-/qg- for router ports and tap for
 * DHCP ports (internal ports). Other owners (floating IPs, unowned ports)
 * are never plugged.
 */
export function brIntDevice(port: Pick<Port, 'id' | 'deviceOwner'>, firewallDriver: FirewallDriver = 'IPTABLES_HYBRID'): BrIntDevice | null {
  if (isVmPort(port)) {
    const hybrid = usesHybridPlug(firewallDriver);
    return { name: hybrid ? qvoName(port.id) : tapName(port.id), type: 'system', hybrid };
  }
  switch (port.deviceOwner) {
    case DEVICE_OWNER.routerInterface:
      return { name: qrName(port.id), type: 'internal', hybrid: false };
    case DEVICE_OWNER.routerGateway:
      return { name: qgName(port.id), type: 'internal', hybrid: false };
    case DEVICE_OWNER.dhcp:
      return { name: tapName(port.id), type: 'internal', hybrid: false };
    default:
      return null;
  }
}

export interface PluggedPort {
  port: Port;
  device: BrIntDevice;
  /** The host's local VLAN of the port's network, or DEAD_VLAN. */
  tag: number;
  /** False when the network has no local VLAN on the host or the port is administratively down: the agent leaves the port on the dead VLAN. */
  wired: boolean;
}

/** Ports bound on the host that sit on its br-int, by device name. */
export function pluggedPorts(index: TopologyIndex, hostId: string): PluggedPort[] {
  const result: PluggedPort[] = [];
  const driver = index.hosts.get(hostId)?.firewallDriver;
  for (const port of index.portsOnHost(hostId)) {
    const device = brIntDevice(port, driver);
    if (!device) continue;
    // The agent's port_dead: an admin-down port is tagged with the dead VLAN, whose frames br-int drops.
    const vlan = port.adminStateUp ? index.localVlan(hostId, port.networkId) : null;
    result.push({ port, device, tag: vlan ?? DEAD_VLAN, wired: vlan !== null });
  }
  return result.sort((a, b) => compareNames(a.device.name, b.device.name));
}

/** Byte-wise name order, as OVS and the C library sort names. */
export const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
