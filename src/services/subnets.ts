// Subnets: canonical CIDRs, no overlap within a network, a gateway inside.
import { cidrContains, cidrOf, cidrsOverlap, firstHost, ipVersion, isIpAddress, normalizeIp, parseCidr, type Cidr } from '../domain/addressing.js';
import { defaultPools, normalizePools, poolHolding, poolProblem, type AllocationPool } from '../domain/allocationPools.js';
import { fail } from './errors.js';
import { idFor, mustBeUuid, checkIdFree } from './ids.js';
import { findNetwork } from './networks.js';
import type { Db } from './transaction.js';
import { checkName } from './validate.js';
import { scheduleDhcp } from './dhcp.js';
import { DEVICE_OWNER } from '../domain/model.js';
import { checkQuota } from './quotas.js';
import { ADMIN_CALLER, type Caller } from './caller.js';
import { describeHolders, portHolder } from './inUse.js';

export interface CreateSubnetInput {
  id?: string | null;
  networkId: string;
  cidr: string;
  gatewayIp?: string | null;
  noGateway?: boolean | null;
  enableDhcp?: boolean | null;
  name?: string | null;
}

/** Locks the network row so that concurrent subnet and IP changes of one network serialize. */
export async function lockNetwork(db: Db, networkId: string) {
  await db.$queryRaw`SELECT 1 FROM "Network" WHERE id = ${networkId}::uuid FOR NO KEY UPDATE`;
}

/** The gateway in canonical form, or INVALID: it must be an address of the block other than its network address. */
function checkGateway(cidr: Cidr, text: string): string {
  if (!isIpAddress(text)) fail('INVALID', ['gatewayIp'], `'${text}' is not an IP address`);
  if (!cidrContains(cidr, text)) fail('INVALID', ['gatewayIp'], `gateway ${text} is outside ${cidr.text}`);
  const gatewayIp = normalizeIp(text);
  if (gatewayIp === cidr.text.split('/')[0]) fail('INVALID', ['gatewayIp'], `gateway ${gatewayIp} is the network address of ${cidr.text}`);
  return gatewayIp;
}

export async function createSubnet(db: Db, input: CreateSubnetInput) {
  const id = idFor(input.id);
  const network = await findNetwork(db, input.networkId, ['networkId']);
  if (input.name) checkName(input.name, ['name'], false);
  const parsed = parseCidr(input.cidr);
  if ('error' in parsed) fail('INVALID', ['cidr'], parsed.error);
  const { cidr } = parsed;
  // Neutron refuses /0 (ipam_backend_mixin _validate_subnet_cidr) and an IPv6 subnet at '::' (db_base_plugin_v2 _validate_subnet).
  if (cidr.prefix === 0) fail('INVALID', ['cidr'], '0 is not allowed as CIDR prefix length');
  if (cidr.version === 6 && cidr.first === 0n) fail('INVALID', ['cidr'], "IPv6 subnet '::' is not supported");
  if (cidr.version === 4 && cidr.prefix > 30) fail('INVALID', ['cidr'], `a /${cidr.prefix} IPv4 subnet leaves no address for ports`);
  let gatewayIp: string | null = null;
  if (!input.noGateway) {
    if (input.gatewayIp) {
      gatewayIp = checkGateway(cidr, input.gatewayIp);
    } else {
      gatewayIp = firstHost(cidr);
    }
  } else if (input.gatewayIp) {
    fail('INVALID', ['gatewayIp'], 'a subnet with noGateway takes no gatewayIp');
  }
  await lockNetwork(db, network.id);
  const siblings = await db.subnet.findMany({ where: { networkId: network.id }, select: { id: true, cidr: true } });
  const clash = siblings.find((s) => cidrsOverlap(s.cidr, cidr));
  // Neutron's wording, which names neither the other subnet nor its CIDR.
  if (clash) fail('CONFLICT', ['cidr'], `Requested subnet with cidr: ${cidr.text} for network: ${network.id} overlaps with another subnet`);
  await checkIdFree(db, id);
  await checkQuota(db, network.projectId, 'SUBNET');
  const subnet = await db.subnet.create({
    data: {
      id,
      name: input.name ?? '',
      networkId: network.id,
      projectId: network.projectId,
      cidr: cidr.text,
      ipVersion: cidr.version,
      gatewayIp,
      enableDhcp: input.enableDhcp ?? true,
    },
  });
  if (subnet.enableDhcp) await scheduleDhcp(db, network.id);
  return subnet;
}

export async function findSubnet(db: Db, id: string, field: string[]) {
  const subnet = await db.subnet.findUnique({ where: { id: mustBeUuid(id, field, 'subnet') } });
  if (!subnet) fail('NOT_FOUND', field, `subnet '${id}' does not exist`);
  return subnet;
}

/** Refused while any port other than the network's DHCP port holds an address of it. */
export async function deleteSubnet(db: Db, input: { id: string }, caller: Caller = ADMIN_CALLER) {
  const subnet = await findSubnet(db, input.id, ['id']);
  await lockNetwork(db, subnet.networkId);
  const used = await db.port.findMany({
    where: { fixedIps: { some: { subnetId: subnet.id } }, deviceOwner: { not: 'network:dhcp' } },
    select: { id: true, projectId: true, deviceOwner: true },
    orderBy: { id: 'asc' },
  });
  if (used.length > 0) {
    fail('IN_USE', ['id'], `Unable to complete operation on subnet ${subnet.id}: one or more ports have an IP allocation from this subnet: ${describeHolders(caller, 'port', used.map(portHolder))}.`);
  }
  await db.ipAllocation.deleteMany({ where: { subnetId: subnet.id } });
  await db.subnet.delete({ where: { id: subnet.id } });
  await scheduleDhcp(db, subnet.networkId);
  return subnet.id;
}

/** neutron.conf max_dns_nameservers and max_subnet_host_routes (their defaults). */
export const MAX_DNS_NAMESERVERS = 5;
export const MAX_SUBNET_HOST_ROUTES = 20;

export interface UpdateSubnetInput {
  id: string;
  name?: string | null;
  gatewayIp?: string | null;
  /** true: the subnet has no gateway any more. */
  noGateway?: boolean | null;
  enableDhcp?: boolean | null;
  dnsNameservers?: string[] | null;
  hostRoutes?: { destination: string; nexthop: string }[] | null;
  allocationPools?: AllocationPool[] | null;
}

/**
 * Neutron's PUT /v2.0/subnets/{id} (db_base_plugin_v2 update_subnet): a
 * field left out stays. The gateway stays out of the allocation pools and
 * cannot move while a router interface holds it; DHCP turned on schedules
 * the network's DHCP port, turned off on its last DHCP subnet removes it.
 */
export async function updateSubnet(db: Db, input: UpdateSubnetInput, caller: Caller = ADMIN_CALLER) {
  const found = await findSubnet(db, input.id, ['id']);
  await lockNetwork(db, found.networkId);
  const subnet = await db.subnet.findUniqueOrThrow({ where: { id: found.id } });
  const cidr = cidrOf(subnet.cidr);
  if (input.name !== null && input.name !== undefined) checkName(input.name, ['name'], false);
  if (input.noGateway && input.gatewayIp) fail('INVALID', ['gatewayIp'], 'a subnet with noGateway takes no gatewayIp');
  const gatewayIp = input.noGateway ? null : input.gatewayIp ? checkGateway(cidr, input.gatewayIp) : subnet.gatewayIp;
  const dnsNameservers = input.dnsNameservers ? checkNameservers(input.dnsNameservers, cidr) : subnet.dnsNameservers;
  const hostRoutes = input.hostRoutes ? checkHostRoutes(input.hostRoutes, cidr) : subnet.hostRoutes;

  const stored = subnet.allocationPools as AllocationPool[] | null;
  let allocationPools = stored;
  if (input.allocationPools) {
    const problem = poolProblem(input.allocationPools, cidr);
    if (problem) fail('INVALID', ['allocationPools', String(problem.index)], problem.message);
    allocationPools = normalizePools(input.allocationPools);
  }
  const gatewayChanged = gatewayIp !== subnet.gatewayIp;
  if (gatewayChanged || input.allocationPools) {
    // The default pools are those of the subnet as it was created: kept as they are once the gateway moves.
    allocationPools ??= defaultPools(cidr, subnet.gatewayIp);
    const clash = gatewayIp ? poolHolding(allocationPools, gatewayIp) : null;
    if (clash) fail('INVALID', [gatewayChanged ? 'gatewayIp' : 'allocationPools'], `Gateway ip ${gatewayIp} conflicts with allocation pool ${clash.start}-${clash.end}`);
  }
  if (gatewayChanged && subnet.gatewayIp) {
    const holders = await db.port.findMany({
      where: { deviceOwner: DEVICE_OWNER.routerInterface, fixedIps: { some: { subnetId: subnet.id, ipAddress: subnet.gatewayIp } } },
      select: { id: true, projectId: true, deviceOwner: true },
    });
    if (holders.length > 0) {
      fail('IN_USE', ['gatewayIp'], `Current gateway ip ${subnet.gatewayIp} already in use by ${describeHolders(caller, 'port', holders.map(portHolder))}. Unable to update.`);
    }
  }

  const enableDhcp = input.enableDhcp ?? subnet.enableDhcp;
  const updated = await db.subnet.update({
    where: { id: subnet.id },
    data: {
      name: input.name ?? subnet.name,
      gatewayIp,
      enableDhcp,
      dnsNameservers,
      hostRoutes: hostRoutes as object[],
      ...(allocationPools === stored ? {} : { allocationPools: allocationPools as object[] }),
    },
  });
  if (enableDhcp !== subnet.enableDhcp) await scheduleDhcp(db, subnet.networkId);
  return updated;
}

/** neutron-lib's _validate_nameservers and the subnet's IP version. */
function checkNameservers(nameservers: string[], cidr: Cidr): string[] {
  if (nameservers.length > MAX_DNS_NAMESERVERS) fail('INVALID', ['dnsNameservers'], `Unable to complete operation for subnet. The number of DNS nameservers exceeds the limit ${MAX_DNS_NAMESERVERS}.`);
  const seen = new Set<string>();
  return nameservers.map((text, i) => {
    const field = ['dnsNameservers', String(i)];
    if (!isIpAddress(text)) fail('INVALID', field, `Error parsing dns address ${text}`);
    const ip = normalizeIp(text);
    if (ipVersion(ip) !== cidr.version) fail('INVALID', field, `${ip} does not match the ip_version of subnet ${cidr.text}`);
    if (seen.has(ip)) fail('INVALID', field, `Duplicate nameserver '${ip}'`);
    seen.add(ip);
    return ip;
  });
}

/** neutron-lib's _validate_hostroutes and _validate_host_route: a CIDR and a next hop of the subnet's IP version, each route once. */
function checkHostRoutes(routes: { destination: string; nexthop: string }[], cidr: Cidr) {
  if (routes.length > MAX_SUBNET_HOST_ROUTES) fail('INVALID', ['hostRoutes'], `Unable to complete operation for subnet. The number of host routes exceeds the limit ${MAX_SUBNET_HOST_ROUTES}.`);
  const seen = new Set<string>();
  return routes.map((route, i) => {
    const parsed = parseCidr(route.destination);
    if ('error' in parsed) fail('INVALID', ['hostRoutes', String(i), 'destination'], parsed.error);
    const destination = parsed.cidr;
    if (!isIpAddress(route.nexthop)) fail('INVALID', ['hostRoutes', String(i), 'nexthop'], `'${route.nexthop}' is not a valid IP address`);
    const nexthop = normalizeIp(route.nexthop);
    if (destination.version !== cidr.version) fail('INVALID', ['hostRoutes', String(i), 'destination'], `${destination.text} does not match the ip_version of subnet ${cidr.text}`);
    if (ipVersion(nexthop) !== cidr.version) fail('INVALID', ['hostRoutes', String(i), 'nexthop'], `${nexthop} does not match the ip_version of subnet ${cidr.text}`);
    const key = `${destination.text} via ${nexthop}`;
    if (seen.has(key)) fail('INVALID', ['hostRoutes', String(i)], `Duplicate hostroute '${key}'`);
    seen.add(key);
    return { destination: destination.text, nexthop };
  });
}
