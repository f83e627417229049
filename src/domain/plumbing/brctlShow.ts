// `brctl show` of a host (bridge-utils 1.7, brctl/brctl_cmd.c br_cmd_show):
// the qbr bridge os-vif's hybrid plug builds for each VM port, holding the
// qvb end of the veth to br-int and the VM's tap (docs/neutron-model.md,
// "Host and namespace renderings"). Bridges and their interfaces come in
// name order (scandir with alphasort); STP is off, the kernel's default that
// os-vif's ensure_bridge keeps.
//
// The bridge id is priority 8000 and the bridge's MAC, which the kernel takes
// from its lowest port MAC (br_stp_recalculate_bridge_id). The tap's MAC is
// the VM's with the first byte fe (libvirt); the qvb's is random on a real
// host, so the model derives a stable locally administered one from the
// port id.
import { createHash } from 'node:crypto';
import { qbrName, qvbName, tapName } from '../naming.js';
import type { TopologyIndex } from '../topologyIndex.js';
import { compareNames, pluggedPorts } from './plug.js';

export interface LinuxBridge {
  name: string;
  /** e.g. 8000.1a2b3c4d5e6f */
  bridgeId: string;
  stpEnabled: boolean;
  /** Port names, in name order. */
  interfaces: string[];
}

/** The tap libvirt creates for a VM NIC: the guest MAC with fe as first byte. */
export const tapMac = (portMac: string) => `fe${portMac.slice(2)}`;

/** A stand-in for the kernel's random veth MAC: unicast, locally administered, fixed per port. */
export function qvbMac(portId: string): string {
  const b = createHash('sha1').update(`qvb:${portId}`).digest().subarray(0, 6);
  b[0] = (b[0] & 0xfe) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** The host's qbr bridges: one per VM port plugged there with the hybrid plug (none under the OVS firewall). */
export function hostLinuxBridges(index: TopologyIndex, hostId: string): LinuxBridge[] {
  return pluggedPorts(index, hostId)
    .filter((p) => p.device.hybrid)
    .map(({ port }) => {
      const lowestMac = [qvbMac(port.id), tapMac(port.macAddress)].sort()[0];
      return {
        name: qbrName(port.id),
        bridgeId: `8000.${lowestMac.replaceAll(':', '')}`,
        stpEnabled: false,
        interfaces: [qvbName(port.id), tapName(port.id)].sort(compareNames),
      };
    })
    .sort((a, b) => compareNames(a.name, b.name));
}

/** The `brctl show` text, header included. */
export function renderBrctlShow(bridges: LinuxBridge[]): string {
  let out = 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n';
  for (const bridge of bridges) {
    out += `${bridge.name}\t\t${bridge.bridgeId}\t${bridge.stpEnabled ? 'yes' : 'no'}\t\t`;
    if (bridge.interfaces.length === 0) out += '\n';
    bridge.interfaces.forEach((name, i) => {
      out += i === 0 ? `${name}\n` : `\t\t\t\t\t\t\t${name}\n`;
    });
  }
  return out;
}
