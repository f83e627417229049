// Fixed IP allocation: a requested address must lie in the subnet and be
// free (inside the allocation pools or not, as in Neutron); otherwise the
// lowest free address of the pools. The network row lock serializes
// allocation within a network.
import { cidrOf, isAssignable, isIpAddress, normalizeIp } from '../domain/addressing.js';
import { firstFreeInPools, poolsOf, type AllocationPool } from '../domain/allocationPools.js';
import { fail } from './errors.js';
import type { Db } from './transaction.js';

export interface SubnetRow {
  id: string;
  networkId: string;
  cidr: string;
  gatewayIp: string | null;
  /** null: the default pools. */
  allocationPools?: unknown;
}

export const ipAddressInUse = (networkId: string, ip: string) => `Unable to complete operation for network ${networkId}. The IP address ${ip} is in use.`;

export async function allocateIp(db: Db, subnet: SubnetRow, requested: string | null | undefined, field: string[]): Promise<string> {
  const cidr = cidrOf(subnet.cidr);
  if (requested !== null && requested !== undefined) {
    if (!isIpAddress(requested)) fail('INVALID', field, `'${requested}' is not an IP address`);
    const ip = normalizeIp(requested);
    if (!isAssignable(cidr, ip)) fail('INVALID', field, `${ip} is not an assignable address of subnet ${subnet.id} (${subnet.cidr})`);
    const taken = await db.ipAllocation.findUnique({ where: { subnetId_ipAddress: { subnetId: subnet.id, ipAddress: ip } } });
    // neutron-lib IpAddressInUse: the holder is not named, it may be another project's port.
    if (taken) fail('CONFLICT', field, ipAddressInUse(subnet.networkId, ip));
    return ip;
  }
  const used = await db.ipAllocation.findMany({ where: { subnetId: subnet.id }, select: { ipAddress: true } });
  const pools = poolsOf(cidr, subnet.gatewayIp, (subnet.allocationPools ?? null) as AllocationPool[] | null);
  const ip = firstFreeInPools(pools, cidr.version, used.map((u) => u.ipAddress));
  if (!ip) fail('EXHAUSTED', field, `subnet ${subnet.id} (${subnet.cidr}) has no free address`);
  return ip;
}
