// Device and namespace names exactly as Neutron, os-vif and the OVS agent
// build them (docs/neutron-model.md, "Device names").
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { blake2b } from './blake2b.js';
import { DEVICE_OWNER, type NetworkType, type Port } from './model.js';

/** Linux and OVS device names hold at most 15 characters. */
export const DEVICE_NAME_MAX_LEN = 15;
/** Prefixes like tap/qbr/qvb/qvo take 3 characters, leaving 11 of the port id. */
const PORT_ID_CHARS = 11;

export const BR_INT = 'br-int';
export const BR_TUN = 'br-tun';
export const PATCH_TUN = 'patch-tun';
export const PATCH_INT = 'patch-int';

const portSuffix = (portId: string) => portId.slice(0, PORT_ID_CHARS);

export const tapName = (portId: string) => `tap${portSuffix(portId)}`;
export const qbrName = (portId: string) => `qbr${portSuffix(portId)}`;
export const qvbName = (portId: string) => `qvb${portSuffix(portId)}`;
export const qvoName = (portId: string) => `qvo${portSuffix(portId)}`;
export const qrName = (portId: string) => `qr-${portSuffix(portId)}`;
export const qgName = (portId: string) => `qg-${portSuffix(portId)}`;

export const routerNamespace = (routerId: string) => `qrouter-${routerId}`;
export const dhcpNamespace = (networkId: string) => `qdhcp-${networkId}`;

/**
 * The port's own device: qr-/qg- for router ports, tap for VM and DHCP
 * ports. Floating IP ports are never plugged and have none.
 */
export function portDeviceName(port: Pick<Port, 'id' | 'deviceOwner'>): string | null {
  switch (port.deviceOwner) {
    case DEVICE_OWNER.routerInterface:
      return qrName(port.id);
    case DEVICE_OWNER.routerGateway:
      return qgName(port.id);
    case DEVICE_OWNER.floatingIp:
      return null;
    default:
      return tapName(port.id);
  }
}

/** get_tunnel_hash: hashlib.blake2b(ip, digest_size=20). */
const TUNNEL_HASH_BYTES = 20;

const RFC4648_BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += RFC4648_BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += RFC4648_BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The OVS agent's tunnel port name: `<type>-<remote IPv4 as 8 hex digits>`;
 * for IPv6, the lower-cased base32 of the address's 20-byte BLAKE2b digest,
 * cut to fit in 15 characters (ovs_neutron_agent.py get_tunnel_name and
 * get_tunnel_hash of Neutron 2026.1; releases before it hashed with SHA-1).
 */
export function tunnelPortName(type: NetworkType, remoteIp: string): string {
  const prefix = type.toLowerCase();
  const addr = ipaddr.parse(remoteIp);
  if (addr.kind() === 'ipv4') {
    const hex = (addr as ipaddr.IPv4).octets.map((o) => o.toString(16).padStart(2, '0')).join('');
    return `${prefix}-${hex}`;
  }
  const hashLen = DEVICE_NAME_MAX_LEN - prefix.length - 1;
  const digest = blake2b(new TextEncoder().encode(remoteIp), TUNNEL_HASH_BYTES);
  return `${prefix}-${base32(digest).slice(0, hashLen).toLowerCase()}`;
}

/**
 * neutron plugin utils get_interface_name: prefix + name, and when that is
 * longer than 15 characters, the name is cut and ends with 6 hex digits of
 * its SHA-1 so that names stay unique.
 */
export function interfaceName(name: string, prefix: string): string {
  if (prefix.length + name.length <= DEVICE_NAME_MAX_LEN) return prefix + name;
  const hashLen = 6;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, hashLen);
  return prefix + name.slice(0, DEVICE_NAME_MAX_LEN - prefix.length - hashLen) + hash;
}

/** Patch port on br-int towards a physnet bridge, e.g. int-br-ex. */
export const intBridgePortName = (bridge: string) => interfaceName(bridge, 'int-');
/** Patch port on a physnet bridge towards br-int, e.g. phy-br-ex. */
export const phyBridgePortName = (bridge: string) => interfaceName(bridge, 'phy-');

/** iptables_manager wraps chains as `<binary name[:16]>-<chain[:11]>`. */
export const IPTABLES_WRAP = 'neutron-openvswi';
const CHAIN_PORT_ID_CHARS = 10;
export const ingressChain = (portId: string) => `${IPTABLES_WRAP}-i${portId.slice(0, CHAIN_PORT_ID_CHARS)}`;
export const egressChain = (portId: string) => `${IPTABLES_WRAP}-o${portId.slice(0, CHAIN_PORT_ID_CHARS)}`;
export const spoofChain = (portId: string) => `${IPTABLES_WRAP}-s${portId.slice(0, CHAIN_PORT_ID_CHARS)}`;
export const SG_CHAIN = `${IPTABLES_WRAP}-sg-chain`;
export const SG_FALLBACK = `${IPTABLES_WRAP}-sg-fallback`;

/** Tunnel ids are shown as OVS prints them: lowercase hex with 0x. */
export const hexId = (id: number) => `0x${id.toString(16)}`;
