// Networks: created with their segment, deleted with their subnets and
// DHCP port once no other port uses them.
import { networkMtu, type SegmentConfig } from '../domain/segments.js';
import { DEVICE_OWNER, type NetworkType } from '../domain/model.js';
import { fail } from './errors.js';
import { idFor, mustBeUuid, checkIdFree } from './ids.js';
import { allocateSegment } from './segments.js';
import type { Db } from './transaction.js';
import { checkName, checkProjectId } from './validate.js';
import { releasePortBinding } from './binding.js';
import { record } from './journal.js';
import { checkQuota } from './quotas.js';
import { ADMIN_CALLER, type Caller } from './caller.js';
import { describeHolders, portHolder } from './inUse.js';

export interface CreateNetworkInput {
  id?: string | null;
  name: string;
  projectId?: string | null;
  networkType?: NetworkType | null;
  segmentationId?: number | null;
  physicalNetwork?: string | null;
  external?: boolean | null;
  shared?: boolean | null;
}

export async function createNetwork(db: Db, segments: SegmentConfig, input: CreateNetworkInput) {
  const id = idFor(input.id);
  checkName(input.name, ['name'], false);
  const projectId = checkProjectId(input.projectId);
  const networkType = input.networkType ?? 'VXLAN';
  await checkIdFree(db, id);
  await checkQuota(db, projectId, 'NETWORK');
  const physicalNetwork = input.physicalNetwork ?? null;
  if (physicalNetwork !== null) checkName(physicalNetwork, ['physicalNetwork']);
  const network = await db.network.create({
    data: {
      id,
      name: input.name,
      projectId,
      networkType,
      physicalNetwork,
      external: input.external ?? false,
      shared: input.shared ?? false,
      mtu: networkMtu(networkType),
    },
  });
  const segment = await allocateSegment(db, segments, id, {
    networkType,
    segmentationId: input.segmentationId ?? null,
    physicalNetwork,
  });
  return db.network.update({
    where: { id: network.id },
    data: { segmentationId: networkType === 'FLAT' ? null : segment.segmentationId },
  });
}

export async function findNetwork(db: Db, id: string, field: string[]) {
  const network = await db.network.findUnique({ where: { id: mustBeUuid(id, field, 'network') } });
  if (!network) fail('NOT_FOUND', field, `network '${id}' does not exist`);
  return network;
}

/**
 * Neutron refuses to delete a network while ports other than its DHCP port
 * use it; the DHCP port and the subnets go with it, the segment returns to
 * its pool.
 */
export async function deleteNetwork(db: Db, input: { id: string }, caller: Caller = ADMIN_CALLER) {
  const network = await findNetwork(db, input.id, ['id']);
  const inUse = await db.port.findMany({
    where: { networkId: network.id, deviceOwner: { not: DEVICE_OWNER.dhcp } },
    select: { id: true, projectId: true, deviceOwner: true },
    orderBy: { id: 'asc' },
  });
  if (inUse.length > 0) {
    fail('IN_USE', ['id'], `Unable to complete operation on network ${network.id}. There are one or more ports still in use on the network: ${describeHolders(caller, 'port', inUse.map(portHolder))}.`);
  }
  const routers = await db.router.findMany({ where: { gatewayNetworkId: network.id }, select: { id: true, projectId: true }, orderBy: { id: 'asc' } });
  if (routers.length > 0) fail('IN_USE', ['id'], `network ${network.id} is the gateway of ${describeHolders(caller, 'router', routers)}`);
  const dhcpPorts = await db.port.findMany({ where: { networkId: network.id, deviceOwner: DEVICE_OWNER.dhcp } });
  for (const port of dhcpPorts) {
    await releasePortBinding(db, port);
    await db.port.delete({ where: { id: port.id } });
  }
  await db.subnet.deleteMany({ where: { networkId: network.id } });
  await db.network.delete({ where: { id: network.id } });
  record({
    kind: 'SEGMENT',
    change: 'RELEASED',
    networkId: network.id,
    networkType: network.networkType,
    physicalNetwork: network.physicalNetwork,
    segmentationId: network.segmentationId,
  });
  return network.id;
}

/** IPv4 and IPv6 minimum MTUs (RFC 791, RFC 8200), as Neutron checks them. */
export const IPV4_MIN_MTU = 68;
export const IPV6_MIN_MTU = 1280;

export interface UpdateNetworkInput {
  id: string;
  name?: string | null;
  shared?: boolean | null;
  mtu?: number | null;
}

/**
 * Neutron's PUT /v2.0/networks/{id}: a field left out stays. The MTU stays
 * within what the segment's encapsulation leaves (ML2 _get_network_mtu) and
 * what its subnets' IP versions need; a network other projects use stays
 * shared (_validate_shared_update).
 */
export async function updateNetwork(db: Db, input: UpdateNetworkInput) {
  const network = await findNetwork(db, input.id, ['id']);
  await db.$queryRaw`SELECT 1 FROM "Network" WHERE id = ${network.id}::uuid FOR NO KEY UPDATE`;
  if (input.name !== null && input.name !== undefined) checkName(input.name, ['name'], false);
  if (input.mtu !== null && input.mtu !== undefined) {
    const max = networkMtu(network.networkType);
    if (input.mtu > max) fail('INVALID', ['mtu'], `Requested MTU is too big, maximum is ${max}`);
    const v6 = await db.subnet.count({ where: { networkId: network.id, ipVersion: 6 } });
    const min = v6 > 0 ? IPV6_MIN_MTU : IPV4_MIN_MTU;
    if (input.mtu < min) fail('INVALID', ['mtu'], `IPv${v6 > 0 ? 6 : 4} protocol requires a minimum MTU of ${min}`);
  }
  if (input.shared === false && network.shared) {
    const others = await db.port.count({
      where: { networkId: network.id, projectId: { not: network.projectId }, deviceOwner: { notIn: [DEVICE_OWNER.routerGateway, DEVICE_OWNER.floatingIp] } },
    });
    if (others > 0) fail('IN_USE', ['shared'], `Unable to reconfigure sharing settings for network ${network.id}. Multiple tenants are using it.`);
  }
  return db.network.update({
    where: { id: network.id },
    data: { name: input.name ?? network.name, shared: input.shared ?? network.shared, mtu: input.mtu ?? network.mtu },
  });
}
