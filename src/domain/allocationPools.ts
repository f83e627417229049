// A subnet's allocation pools: the ranges Neutron's IPAM hands addresses out
// of when a port asks for none in particular. Without pools of its own a
// subnet has Neutron's default ones: every assignable address but the
// gateway (ipam_utils generate_pools).
import { bigIntToIp, ipToBigInt, ipVersion, isIpAddress, normalizeIp, type Cidr } from './addressing.js';

export interface AllocationPool {
  start: string;
  end: string;
}

/** The assignable span of the block as ipam_backend_mixin validate_allocation_pools bounds it. */
function span(cidr: Cidr): { first: bigint; last: bigint } {
  if (cidr.version === 4) return cidr.prefix <= 30 ? { first: cidr.first + 1n, last: cidr.last - 1n } : { first: cidr.first, last: cidr.last };
  return { first: cidr.first + 1n, last: cidr.last };
}

/** Neutron's default pools: the span split around the gateway. */
export function defaultPools(cidr: Cidr, gatewayIp: string | null): AllocationPool[] {
  const { first, last } = span(cidr);
  const gateway = gatewayIp ? ipToBigInt(gatewayIp) : null;
  const ranges = gateway !== null && gateway >= first && gateway <= last ? [[first, gateway - 1n], [gateway + 1n, last]] : [[first, last]];
  return ranges.filter(([a, b]) => a <= b).map(([a, b]) => ({ start: bigIntToIp(a, cidr.version), end: bigIntToIp(b, cidr.version) }));
}

/** The pools in effect: the subnet's own, or the default ones. */
export const poolsOf = (cidr: Cidr, gatewayIp: string | null, own: AllocationPool[] | null): AllocationPool[] => own ?? defaultPools(cidr, gatewayIp);

const text = (pool: AllocationPool) => `${pool.start}-${pool.end}`;

/** Why the pools cannot be the block's (Neutron's messages), with the index of the pool at fault; null when they can. */
export function poolProblem(pools: AllocationPool[], cidr: Cidr): { index: number; message: string } | null {
  const { first, last } = span(cidr);
  const ranges: [bigint, bigint][] = [];
  for (const [index, pool] of pools.entries()) {
    const valid = isIpAddress(pool.start) && isIpAddress(pool.end) && ipVersion(pool.start) === cidr.version && ipVersion(pool.end) === cidr.version;
    const [a, b] = valid ? [ipToBigInt(pool.start), ipToBigInt(pool.end)] : [0n, -1n];
    if (!valid || a > b) return { index, message: `The allocation pool ${text(pool)} is not valid.` };
    if (a < first || b > last) return { index, message: `The allocation pool ${text(pool)} spans beyond the subnet cidr ${cidr.text}.` };
    const other = ranges.findIndex(([c, d]) => a <= d && c <= b);
    if (other >= 0) return { index, message: `Found overlapping allocation pools: ${text(pools[other])} and ${text(pool)} for subnet ${cidr.text}.` };
    ranges.push([a, b]);
  }
  return null;
}

/** The pool that holds the address, if any. */
export function poolHolding(pools: AllocationPool[], ip: string): AllocationPool | null {
  const value = ipToBigInt(ip);
  return pools.find((p) => ipToBigInt(p.start) <= value && value <= ipToBigInt(p.end)) ?? null;
}

/** The pools with canonical addresses. */
export const normalizePools = (pools: AllocationPool[]): AllocationPool[] => pools.map((p) => ({ start: normalizeIp(p.start), end: normalizeIp(p.end) }));

/** The lowest address of the pools (in their order) not in `used`, or null when they are full. */
export function firstFreeInPools(pools: AllocationPool[], version: 4 | 6, used: Iterable<string>): string | null {
  const taken = new Set<bigint>();
  for (const ip of used) taken.add(ipToBigInt(ip));
  for (const pool of pools) {
    for (let v = ipToBigInt(pool.start); v <= ipToBigInt(pool.end); v++) if (!taken.has(v)) return bigIntToIp(v, version);
  }
  return null;
}
