// Floating IPs: an address of an external subnet (held by a
// network:floatingip port), NATed by the router that joins the target
// port's subnet to that external network.
import { cidrContains, isIpAddress } from '../domain/addressing.js';
import { DEVICE_OWNER } from '../domain/model.js';
import { fail } from './errors.js';
import { idFor, mustBeUuid, checkIdFree } from './ids.js';
import { findNetwork } from './networks.js';
import { createPort, findPort, removePort } from './ports.js';
import type { Db } from './transaction.js';
import { checkProjectId } from './validate.js';
import { checkQuota } from './quotas.js';

export interface CreateFloatingIpInput {
  id?: string | null;
  externalNetworkId: string;
  floatingIpAddress?: string | null;
  portId?: string | null;
  projectId?: string | null;
}

export async function findFloatingIp(db: Db, id: string, field: string[]) {
  const fip = await db.floatingIp.findUnique({ where: { id: mustBeUuid(id, field, 'floating IP') } });
  if (!fip) fail('NOT_FOUND', field, `floating IP '${id}' does not exist`);
  return fip;
}

export async function createFloatingIp(db: Db, input: CreateFloatingIpInput) {
  const id = idFor(input.id);
  const network = await findNetwork(db, input.externalNetworkId, ['externalNetworkId']);
  if (!network.external) fail('INVALID', ['externalNetworkId'], `network ${network.id} is not external (router:external)`);
  const projectId = input.projectId ?? network.projectId;
  checkProjectId(projectId);
  const subnets = await db.subnet.findMany({ where: { networkId: network.id, ipVersion: 4 }, orderBy: { createdAt: 'asc' } });
  if (subnets.length === 0) fail('INVALID', ['externalNetworkId'], `external network ${network.id} has no IPv4 subnet`);
  let subnet = subnets[0];
  if (input.floatingIpAddress) {
    if (!isIpAddress(input.floatingIpAddress)) fail('INVALID', ['floatingIpAddress'], `'${input.floatingIpAddress}' is not an IP address`);
    const holder = subnets.find((s) => cidrContains(s.cidr, input.floatingIpAddress!));
    if (!holder) fail('INVALID', ['floatingIpAddress'], `${input.floatingIpAddress} is in no subnet of network ${network.id}`);
    subnet = holder;
  }
  await checkIdFree(db, id);
  await checkQuota(db, projectId, 'FLOATINGIP');
  const port = await createPort(
    db,
    {
      networkId: network.id,
      projectId,
      fixedIps: [{ subnetId: subnet.id, ipAddress: input.floatingIpAddress ?? null }],
      deviceOwner: DEVICE_OWNER.floatingIp,
      deviceId: id,
    },
    {},
    input.floatingIpAddress ? ['floatingIpAddress'] : ['externalNetworkId'],
  );
  const address = await db.ipAllocation.findFirstOrThrow({ where: { portId: port.id } });
  await db.floatingIp.create({
    data: { id, projectId, floatingIpAddress: address.ipAddress, floatingNetworkId: network.id, floatingPortId: port.id },
  });
  if (input.portId) return associateFloatingIp(db, { floatingIpId: id, portId: input.portId });
  return db.floatingIp.findUniqueOrThrow({ where: { id } });
}

export async function associateFloatingIp(db: Db, input: { floatingIpId: string; portId: string; fixedIpAddress?: string | null }) {
  const fip = await findFloatingIp(db, input.floatingIpId, ['floatingIpId']);
  const port = await findPort(db, input.portId, ['portId']);
  if (port.deviceOwner.startsWith('network:')) fail('INVALID', ['portId'], `port ${port.id} is a ${port.deviceOwner} port`);
  const fixedIps = await db.ipAllocation.findMany({ where: { portId: port.id }, include: { subnet: true } });
  const v4 = fixedIps.filter((ip) => ip.subnet.ipVersion === 4 && (!input.fixedIpAddress || ip.ipAddress === input.fixedIpAddress));
  if (v4.length === 0) fail('INVALID', ['portId'], `port ${port.id} has no IPv4 address${input.fixedIpAddress ? ` ${input.fixedIpAddress}` : ''} to map`);
  const fixed = v4[0];
  // The router that has an interface on the port's subnet and its gateway on the floating IP's network.
  const router = await db.router.findFirst({
    where: {
      gatewayNetworkId: fip.floatingNetworkId,
      ports: { some: { deviceOwner: DEVICE_OWNER.routerInterface, fixedIps: { some: { subnetId: fixed.subnetId } } } },
    },
    orderBy: { createdAt: 'asc' },
  });
  if (!router) {
    fail('INVALID', ['portId'], `no router joins subnet ${fixed.subnetId} of port ${port.id} to external network ${fip.floatingNetworkId}`);
  }
  const other = await db.floatingIp.findFirst({ where: { portId: port.id, fixedIpAddress: fixed.ipAddress, id: { not: fip.id } } });
  if (other) fail('CONFLICT', ['portId'], `fixed IP ${fixed.ipAddress} of port ${port.id} already has a floating IP`);
  return db.floatingIp.update({
    where: { id: fip.id },
    data: { portId: port.id, fixedIpAddress: fixed.ipAddress, routerId: router.id },
  });
}

export async function disassociateFloatingIp(db: Db, input: { floatingIpId: string }) {
  const fip = await findFloatingIp(db, input.floatingIpId, ['floatingIpId']);
  return db.floatingIp.update({ where: { id: fip.id }, data: { portId: null, fixedIpAddress: null, routerId: null } });
}

export async function deleteFloatingIp(db: Db, input: { id: string }) {
  const fip = await findFloatingIp(db, input.id, ['id']);
  await db.floatingIp.delete({ where: { id: fip.id } });
  await removePort(db, await db.port.findUniqueOrThrow({ where: { id: fip.floatingPortId } }));
  return fip.id;
}
