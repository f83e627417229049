// Subnets: canonical CIDRs, no overlap within a network, a gateway inside.
import { cidrContains, cidrsOverlap, firstHost, isIpAddress, normalizeIp, parseCidr } from '../domain/addressing.js';
import { fail } from './errors.js';
import { idFor, mustBeUuid, checkIdFree } from './ids.js';
import { findNetwork } from './networks.js';
import type { Db } from './transaction.js';
import { checkName } from './validate.js';
import { scheduleDhcp } from './dhcp.js';
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
      if (!isIpAddress(input.gatewayIp)) fail('INVALID', ['gatewayIp'], `'${input.gatewayIp}' is not an IP address`);
      if (!cidrContains(cidr, input.gatewayIp)) fail('INVALID', ['gatewayIp'], `gateway ${input.gatewayIp} is outside ${cidr.text}`);
      gatewayIp = normalizeIp(input.gatewayIp);
      if (gatewayIp === cidr.text.split('/')[0]) fail('INVALID', ['gatewayIp'], `gateway ${gatewayIp} is the network address of ${cidr.text}`);
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
