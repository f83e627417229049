// Which IP addresses are public, i.e. what a webhook may deliver to unless it
// may reach the operator's own network (WEBHOOK_PRIVATE_TARGETS; docs/live.md,
// "Private targets"). Public means what ipaddr.js classes as plain 'unicast'; every
// other range is not: loopback, private (RFC 1918, IPv6 unique local),
// link-local (169.254/16, where clouds serve instance metadata, and fe80::/10),
// carrier-grade NAT, unspecified, broadcast, multicast, reserved, and the
// IPv6 transition ranges that can carry any IPv4 address (6to4, Teredo, NAT64).
import ipaddr from 'ipaddr.js';

/** Whether `ip` (an IPv4 or IPv6 address, brackets allowed) is public; false for a text that is not an address. */
export function isPublicAddress(ip: string): boolean {
  const text = ip.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(text)) return false;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.5) reaches its IPv4 address: classed as that.
  const address = ipaddr.process(text);
  // IPv4-compatible IPv6 (::10.0.0.5, deprecated) has no range of its own in ipaddr.js.
  if (address.kind() === 'ipv6' && address.toByteArray().slice(0, 12).every((byte) => byte === 0)) return false;
  return address.range() === 'unicast';
}
