// IP, CIDR and MAC arithmetic for subnets, ports and rules (IPv4 and IPv6).
import { randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';

export interface Cidr {
  /** Canonical text, e.g. 10.0.0.0/24 or 2001:db8::/64. */
  text: string;
  version: 4 | 6;
  prefix: number;
  /** First address of the block, as a number. */
  first: bigint;
  /** Last address of the block, as a number. */
  last: bigint;
}

const bitsOf = (version: 4 | 6) => (version === 4 ? 32 : 128);

// Paths and analyses test the same few addresses against the same blocks
// many times; parsing them once each keeps that cheap. Bounded: inputs come
// from clients too.
const CACHE_SIZE = 50_000;
const prefixes = new Map<string, Cidr | null>();
const addresses = new Map<string, { version: 4 | 6; value: bigint } | null>();

function remembered<T>(cache: Map<string, T>, text: string, parse: (text: string) => T): T {
  if (cache.has(text)) return cache.get(text) as T;
  const value = parse(text);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(text, value);
  return value;
}

const readAddress = (ip: string) =>
  isPlainAddress(ip) ? { version: ipaddr.parse(ip).kind() === 'ipv4' ? (4 as const) : (6 as const), value: valueOf(ip) } : null;

/** A plain IPv4 or IPv6 address: no IPv6 zone ("fe80::1%eth0"), which names an interface of one host and cannot be stored or routed. */
export function isIpAddress(text: string): boolean {
  return typeof text === 'string' && remembered(addresses, text, readAddress) !== null;
}

function isPlainAddress(text: string): boolean {
  return (
    !text.includes('%') &&
    ipaddr.isValid(text) &&
    (ipaddr.IPv4.isValidFourPartDecimal(text) || text.includes(':'))
  );
}

/** Splits "address/prefix" at its only slash; null when there is not exactly one ("10.0.0.0/24/24"). */
function splitCidr(text: string): [string, string] | null {
  const parts = text.split('/');
  return parts.length === 2 ? [parts[0], parts[1]] : null;
}

export function ipVersion(ip: string): 4 | 6 {
  const known = typeof ip === 'string' ? remembered(addresses, ip, readAddress) : null;
  return known?.version ?? (ipaddr.parse(ip).kind() === 'ipv4' ? 4 : 6);
}

export function ipToBigInt(ip: string): bigint {
  const known = typeof ip === 'string' ? remembered(addresses, ip, readAddress) : null;
  return known?.value ?? valueOf(ip);
}

function valueOf(ip: string): bigint {
  return ipaddr
    .parse(ip)
    .toByteArray()
    .reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

export function bigIntToIp(value: bigint, version: 4 | 6): string {
  const len = version === 4 ? 4 : 16;
  const bytes: number[] = [];
  for (let i = 0; i < len; i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** Canonical form of an address (IPv6 compressed, lower case). */
export function normalizeIp(ip: string): string {
  return ipaddr.parse(ip).toString();
}

/**
 * Parses a CIDR and insists on the canonical network address, as Neutron
 * does ("10.0.0.5/24" is refused; use "10.0.0.0/24"). The error says why,
 * and names the canonical form when only host bits were wrong.
 */
export function parseCidr(text: string): { cidr: Cidr } | { error: string } {
  const parts = typeof text === 'string' ? splitCidr(text) : null;
  if (!parts) return { error: `'${text}' is not a CIDR` };
  const [addrText, prefixText] = parts;
  if (!/^\d{1,3}$/.test(prefixText) || !isIpAddress(addrText)) return { error: `'${text}' is not a CIDR` };
  const version = ipVersion(addrText);
  const prefix = Number(prefixText);
  const bits = bitsOf(version);
  if (prefix > bits) return { error: `'${text}' has a prefix longer than ${bits}` };
  const hostBits = BigInt(bits - prefix);
  const value = ipToBigInt(addrText);
  const first = (value >> hostBits) << hostBits;
  const last = first + (1n << hostBits) - 1n;
  const canonical = `${bigIntToIp(first, version)}/${prefix}`;
  if (first !== value) return { error: `'${text}' has host bits set; use '${canonical}'` };
  return { cidr: { text: canonical, version, prefix, first, last } };
}

/** Parses a CIDR or a bare address (taken as /32 or /128), host bits allowed. */
export function parsePrefix(text: string): Cidr | null {
  if (typeof text !== 'string') return null;
  return remembered(prefixes, text, readPrefix);
}

function readPrefix(text: string): Cidr | null {
  const parts: [string, string | undefined] | null = text.includes('/') ? splitCidr(text) : [text, undefined];
  if (!parts) return null;
  const [addrText, prefixText] = parts;
  if (!isIpAddress(addrText)) return null;
  const version = ipVersion(addrText);
  const bits = bitsOf(version);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const first = (ipToBigInt(addrText) >> hostBits) << hostBits;
  return { text: `${bigIntToIp(first, version)}/${prefix}`, version, prefix, first, last: first + (1n << hostBits) - 1n };
}

export function cidrOf(text: string): Cidr {
  const parsed = parsePrefix(text);
  if (!parsed) throw new Error(`invalid CIDR ${text}`);
  return parsed;
}

export function cidrContains(cidr: Cidr | string, ip: string): boolean {
  const block = typeof cidr === 'string' ? cidrOf(cidr) : cidr;
  const address = typeof ip === 'string' ? remembered(addresses, ip, readAddress) : null;
  return address !== null && blockHolds(block, address.version, address.value);
}

/** cidrContains for an address already parsed: for checking one address against many blocks. */
export function blockHolds(block: Cidr, version: 4 | 6, value: bigint): boolean {
  return block.version === version && value >= block.first && value <= block.last;
}

export function cidrsOverlap(a: Cidr | string, b: Cidr | string): boolean {
  const x = typeof a === 'string' ? cidrOf(a) : a;
  const y = typeof b === 'string' ? cidrOf(b) : b;
  return x.version === y.version && x.first <= y.last && y.first <= x.last;
}

/** The first usable host address: network + 1 (Neutron's default gateway). */
export function firstHost(cidr: Cidr): string {
  return bigIntToIp(cidr.first + 1n, cidr.version);
}

/** Whether Neutron would hand out this address of the block to a port. */
export function isAssignable(cidr: Cidr, ip: string): boolean {
  if (!cidrContains(cidr, ip)) return false;
  const value = ipToBigInt(ip);
  if (cidr.version === 4 && cidr.prefix <= 30) return value !== cidr.first && value !== cidr.last;
  if (cidr.version === 6 && cidr.prefix < 127) return value !== cidr.first;
  return true;
}

const MAC_RE = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
/** neutron-lib's INVALID_MAC_ADDRESSES: all zeros (all ones is multicast, refused anyway). */
const ZERO_MAC = '00:00:00:00:00:00';

/** A unicast MAC a port may hold, as neutron-lib's validate_mac_address accepts. */
export function isMacAddress(text: string): boolean {
  return typeof text === 'string' && MAC_RE.test(text.toLowerCase()) && !isMulticastMac(text) && text !== ZERO_MAC;
}

function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

export function normalizeMac(mac: string): string {
  return mac.toLowerCase();
}

/** Neutron's default base_mac fa:16:3e:00:00:00 with three random octets. */
export function randomMac(): string {
  const tail = [...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'));
  return ['fa', '16', '3e', ...tail].join(':');
}
