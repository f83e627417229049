// `ip netns`, and `ip -o addr` and `ip route` inside a namespace, as
// iproute2 6.x prints them on a Linux 6.x host (ip/ipnetns.c netns_list,
// ip/ipaddress.c print_addrinfo, ip/iproute.c print_route), for the
// addresses and routes the L3 and DHCP agents set (docs/neutron-model.md,
// "Host and namespace renderings"). What the model cannot know is chosen:
// namespace ids 0, 1, ... and interface indexes 2, 3, ... in name order.
import { bigIntToIp, cidrOf, ipToBigInt, ipVersion } from '../addressing.js';
import { linkLocalAddress } from './brIntFlows.js';
import type { Namespace, NamespaceInterface } from './namespaces.js';

/** `ip netns`: one namespace a line, with the id the kernel gave it (listed by name here). */
export function renderIpNetns(namespaces: Namespace[]): string {
  return namespaces.map((ns, id) => `${ns.name} (id: ${id})\n`).join('');
}

const LIFETIMES = '\\       valid_lft forever preferred_lft forever';

/**
 * The broadcast the agents ask for (neutron.common.utils
 * cidr_broadcast_address_alternative): the block's last address, the
 * address itself for a /32, none for a /31.
 */
function broadcastOf(ip: string, prefix: number): string | null {
  if (prefix === 32) return ip;
  if (prefix === 31) return null;
  return bigIntToIp(cidrOf(`${ip}/${prefix}`).last, 4);
}

function addressLines(index: number, device: NamespaceInterface): string[] {
  const head = `${index}: ${device.name}    `;
  const lines: string[] = [];
  const v4 = device.addresses.filter((a) => ipVersion(a.split('/')[0]) === 4);
  const v6 = device.addresses.filter((a) => ipVersion(a.split('/')[0]) === 6);
  const primaries: { first: bigint; prefix: number }[] = [];
  for (const address of v4) {
    const [ip, prefixText] = address.split('/');
    const prefix = Number(prefixText);
    const block = cidrOf(`${ip}/${prefix}`);
    // A second address in a block already on the device is a secondary one.
    const secondary = primaries.some((p) => p.prefix === prefix && p.first === block.first);
    if (!secondary) primaries.push({ first: block.first, prefix });
    const brd = broadcastOf(ip, prefix);
    lines.push(`${head}inet ${address} ${brd ? `brd ${brd} ` : ''}scope global ${secondary ? 'secondary ' : ''}${device.name}${LIFETIMES}`);
  }
  // The kernel keeps a device's IPv6 addresses by scope: global ones before the link-local one.
  for (const address of v6) lines.push(`${head}inet6 ${address} scope global \\       valid_lft forever preferred_lft forever`);
  lines.push(`${head}inet6 ${linkLocalAddress(device.macAddress)}/64 scope link ${LIFETIMES}`);
  return lines;
}

/** `ip -o addr` in the namespace: lo, then each device (indexes 2, 3, ... in name order). */
export function renderIpAddr(ns: Namespace): string {
  const lines = [
    `1: lo    inet 127.0.0.1/8 scope host lo${LIFETIMES}`,
    `1: lo    inet6 ::1/128 scope host noprefixroute ${LIFETIMES}`,
    ...ns.interfaces.flatMap((device, i) => addressLines(i + 2, device)),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

/** The device's address in `destination`'s block: the source of the kernel's connected route. */
function sourceOf(ns: Namespace, device: string, destination: string): string | null {
  const block = cidrOf(destination);
  for (const address of ns.interfaces.find((d) => d.name === device)?.addresses ?? []) {
    const ip = address.split('/')[0];
    if (ipVersion(ip) !== block.version) continue;
    const value = ipToBigInt(ip);
    if (value >= block.first && value <= block.last) return ip;
  }
  return null;
}

/**
 * `ip route` in the namespace (IPv4, main table). Connected routes are the
 * kernel's (proto kernel scope link src); default and extra routes the
 * agents add through pyroute2 with proto static. Each line ends in a space,
 * as iproute2 prints it.
 */
export function renderIpRoute(ns: Namespace): string {
  const lines: string[] = [];
  for (const route of ns.routes) {
    const block = cidrOf(route.destination);
    if (block.version !== 4) continue;
    const destination = block.prefix === 0 ? 'default' : block.text;
    if (route.gateway) {
      lines.push(`${destination} via ${route.gateway} dev ${route.device} proto static \n`);
      continue;
    }
    const src = sourceOf(ns, route.device, route.destination);
    lines.push(`${destination} dev ${route.device} proto kernel scope link ${src ? `src ${src} ` : ''}\n`);
  }
  return lines.join('');
}
