// The (MAC, source) pairs a port may send from: allowed address pairs first,
// then fixed IPs, as the driver lists them in the port's spoof chain.
import ipaddr from 'ipaddr.js';
import { parsePrefix } from '../addressing.js';
import type { Port } from '../model.js';

export interface MacSource {
  /** Upper case, as iptables prints `--mac-source`. */
  mac: string;
  /** The allowed source block (`-s`), or null for a port without fixed IPs (MAC only). */
  source: string | null;
}

export const iptablesMac = (mac: string) => mac.toUpperCase();

/** The IPv6 link-local address built from a MAC (EUI-64), as a port autoconfigures it. */
export function linkLocalAddress(mac: string): string {
  const octets = mac.split(':').map((h) => parseInt(h, 16));
  octets[0] ^= 0x02;
  const bytes = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, octets[0], octets[1], octets[2], 0xff, 0xfe, octets[3], octets[4], octets[5]];
  return ipaddr.fromByteArray(bytes).toString();
}

/** Per IP version, the pairs of the port's `neutron-openvswi-s…` chain (none: no chain for that version). */
export function macSources(port: Port): { 4: MacSource[]; 6: MacSource[] } {
  const pairs: { 4: MacSource[]; 6: MacSource[] } = { 4: [], 6: [] };
  const add = (rawMac: string, address: string) => {
    const block = parsePrefix(address);
    if (!block) return;
    const mac = iptablesMac(rawMac);
    pairs[block.version].push({ mac, source: block.text });
    if (block.version === 6) {
      // The link-local address of each MAC is allowed once, so the port can do NDP.
      const lla = `${linkLocalAddress(rawMac)}/128`;
      if (!pairs[6].some((p) => p.mac === mac && p.source === lla)) pairs[6].push({ mac, source: lla });
    }
  };
  for (const pair of port.allowedAddressPairs) add(pair.macAddress ?? port.macAddress, pair.ipAddress);
  for (const fixed of port.fixedIps) add(port.macAddress, fixed.ipAddress);
  if (port.fixedIps.length === 0) {
    pairs[4].push({ mac: iptablesMac(port.macAddress), source: null });
    pairs[6].push({ mac: iptablesMac(port.macAddress), source: null });
  }
  return pairs;
}
