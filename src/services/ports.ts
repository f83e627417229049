// Ports: addresses, MAC, security groups and address pairs on create;
// binding to a compute host wires the host's local VLAN.
import { DEVICE_OWNER } from '../domain/model.js';
import { isIpAddress, isMacAddress, normalizeIp, normalizeMac, parsePrefix, randomMac } from '../domain/addressing.js';
import { bindPortToHost, checkHostFor, readForBind, releasePortBinding } from './binding.js';
import { fail, Problems } from './errors.js';
import { foundHost, isHostName } from './hosts.js';
import { idFor, isUuid, mustBeUuid, checkIdFree } from './ids.js';
import { allocateIp } from './ipam.js';
import { findNetwork } from './networks.js';
import { ensureDefaultGroup } from './securityGroups.js';
import { lockNetwork } from './subnets.js';
import { checkQuota, isProjectlessPort } from './quotas.js';
import { journaling, record } from './journal.js';
import type { Db } from './transaction.js';
import { checkName, checkProjectId } from './validate.js';

type AddressPairInput = { ipAddress: string; macAddress?: string | null };
type FixedIpRequest = { subnetId: string; ipAddress?: string | null };

/** Neutron's messages (neutron_lib.exceptions: port_security, allowedaddresspairs). */
const GROUPS_NEED_PORT_SECURITY = 'Port security must be enabled and port must have an IP address in order to use security groups.';
const PORT_HAS_GROUPS = 'Port has security group associated. Cannot disable port security or IP address until security group is removed';
const PAIRS_NEED_PORT_SECURITY = 'Port Security must be enabled in order to have allowed address pairs on a port.';

export interface CreatePortInput {
  id?: string | null;
  networkId: string;
  fixedIps?: FixedIpRequest[] | null;
  macAddress?: string | null;
  securityGroupIds?: string[] | null;
  portSecurityEnabled?: boolean | null;
  adminStateUp?: boolean | null;
  allowedAddressPairs?: AddressPairInput[] | null;
  name?: string | null;
  projectId?: string | null;
  deviceOwner?: string | null;
  deviceId?: string | null;
}

export interface PortExtras {
  instanceId?: string;
  routerId?: string;
  /** Ports created for an instance go with it; ports handed to it stay. */
  preserveOnDelete?: boolean;
}

/** Creates the port with its addresses; `prefix` is the input path of this port (e.g. ['networks', '0']). */
export async function createPort(db: Db, input: CreatePortInput, extras: PortExtras = {}, prefix: string[] = []) {
  const at = (...field: string[]) => [...prefix, ...field];
  const id = idFor(input.id, at('id'));
  const network = await findNetwork(db, input.networkId, at('networkId'));
  const projectId = input.projectId ?? network.projectId;
  checkProjectId(projectId, at('projectId'));
  if (input.name) checkName(input.name, at('name'), false);
  for (const key of ['deviceOwner', 'deviceId'] as const) {
    if (input[key]) checkName(input[key]!, at(key), false);
  }
  const portSecurityEnabled = input.portSecurityEnabled ?? true;
  await lockNetwork(db, network.id);

  let macAddress: string;
  if (input.macAddress) {
    if (!isMacAddress(input.macAddress)) fail('INVALID', at('macAddress'), `'${input.macAddress}' is not a unicast MAC address`);
    macAddress = normalizeMac(input.macAddress);
    const owner = await db.port.findUnique({ where: { networkId_macAddress: { networkId: network.id, macAddress } }, select: { id: true } });
    // neutron-lib MacAddressInUse: the holder is not named, it may be another project's port.
    if (owner) fail('CONFLICT', at('macAddress'), `Unable to complete operation for network ${network.id}. The mac address ${macAddress} is in use.`);
  } else {
    macAddress = randomMac();
  }

  const subnets = await db.subnet.findMany({ where: { networkId: network.id }, orderBy: { createdAt: 'asc' } });
  const requests = input.fixedIps ?? [4, 6].flatMap((v) => {
    const first = subnets.find((s) => s.ipVersion === v);
    return first ? [{ subnetId: first.id, ipAddress: null }] : [];
  });
  const addresses: { subnetId: string; ipAddress: string }[] = [];
  for (const [i, req] of requests.entries()) {
    const subnet = isUuid(req.subnetId) ? subnets.find((s) => s.id === req.subnetId.toLowerCase()) : undefined;
    if (!subnet) fail('INVALID', at('fixedIps', String(i), 'subnetId'), `subnet '${req.subnetId}' is not a subnet of network ${network.id}`);
    const ipAddress = await allocateIp(db, subnet, req.ipAddress, at('fixedIps', String(i), 'ipAddress'));
    if (addresses.some((a) => a.subnetId === subnet.id && a.ipAddress === ipAddress)) {
      fail('CONFLICT', at('fixedIps', String(i), 'ipAddress'), `${ipAddress} is requested twice`);
    }
    addresses.push({ subnetId: subnet.id, ipAddress });
  }

  const groupIds = await securityGroupsFor(db, input, projectId, portSecurityEnabled, at);
  const pairs = addressPairs(input.allowedAddressPairs ?? [], portSecurityEnabled, at);

  await checkIdFree(db, id, at('id'));
  if (!isProjectlessPort(input.deviceOwner)) await checkQuota(db, projectId, 'PORT');
  await db.port.create({
    data: {
      id,
      name: input.name ?? '',
      networkId: network.id,
      projectId,
      macAddress,
      deviceOwner: input.deviceOwner ?? '',
      deviceId: input.deviceId ?? '',
      portSecurityEnabled,
      adminStateUp: input.adminStateUp ?? true,
      instanceId: extras.instanceId ?? null,
      routerId: extras.routerId ?? null,
      preserveOnDelete: extras.preserveOnDelete ?? true,
      fixedIps: { create: addresses },
      securityGroups: { create: groupIds.map((securityGroupId) => ({ securityGroupId })) },
      allowedAddressPairs: { create: pairs },
    },
  });
  for (const a of addresses) record({ kind: 'IP_ADDRESS', change: 'ALLOCATED', portId: id, subnetId: a.subnetId, ipAddress: a.ipAddress });
  return db.port.findUniqueOrThrow({ where: { id } });
}

async function securityGroupsFor(
  db: Db,
  input: CreatePortInput,
  projectId: string,
  portSecurityEnabled: boolean,
  at: (...f: string[]) => string[],
): Promise<string[]> {
  const owner = input.deviceOwner ?? '';
  if (owner.startsWith('network:')) return []; // router and DHCP ports are never filtered
  if (!portSecurityEnabled) {
    if (input.securityGroupIds?.length) fail('INVALID', at('securityGroupIds'), GROUPS_NEED_PORT_SECURITY);
    return [];
  }
  if (!input.securityGroupIds) return [(await ensureDefaultGroup(db, projectId)).id];
  return checkGroups(db, input.securityGroupIds, projectId, at);
}

/** The groups named, each once: they must exist and be the port's project's. */
async function checkGroups(db: Db, requested: string[], projectId: string, at: (...f: string[]) => string[]): Promise<string[]> {
  const problems = new Problems();
  const ids = [...new Set(requested.map((g) => g.toLowerCase()))];
  const found = await db.securityGroup.findMany({ where: { id: { in: ids.filter(isUuid) } }, select: { id: true, projectId: true } });
  ids.forEach((gid, i) => {
    const group = found.find((g) => g.id === gid);
    if (!group) problems.add('NOT_FOUND', at('securityGroupIds', String(i)), `security group '${gid}' does not exist`);
    else if (group.projectId !== projectId) problems.add('INVALID', at('securityGroupIds', String(i)), `security group ${gid} belongs to another project`);
  });
  problems.throwIfAny();
  return ids;
}

function addressPairs(pairs: AddressPairInput[], portSecurityEnabled: boolean, at: (...f: string[]) => string[]) {
  if (pairs.length > 0 && !portSecurityEnabled) fail('INVALID', at('allowedAddressPairs'), PAIRS_NEED_PORT_SECURITY);
  const seen = new Set<string>();
  return pairs.map((pair, i) => {
    const prefix = parsePrefix(pair.ipAddress);
    if (!prefix) fail('INVALID', at('allowedAddressPairs', String(i), 'ipAddress'), `'${pair.ipAddress}' is not an address or CIDR`);
    if (pair.macAddress && !isMacAddress(pair.macAddress)) fail('INVALID', at('allowedAddressPairs', String(i), 'macAddress'), `'${pair.macAddress}' is not a unicast MAC address`);
    const bits = prefix.version === 4 ? 32 : 128;
    const ipAddress = prefix.prefix === bits ? prefix.text.split('/')[0] : prefix.text;
    if (seen.has(ipAddress)) fail('CONFLICT', at('allowedAddressPairs', String(i), 'ipAddress'), `${ipAddress} is listed twice`);
    seen.add(ipAddress);
    return { ipAddress, macAddress: pair.macAddress ? normalizeMac(pair.macAddress) : null };
  });
}

export async function findPort(db: Db, id: string, field: string[]) {
  return foundPort(await db.port.findUnique({ where: { id: mustBeUuid(id, field, 'port') } }), id, field);
}

/** The port looked up by `id`, or NOT_FOUND. */
function foundPort<P>(port: P | null, id: string, field: string[]): P {
  if (!port) fail('NOT_FOUND', field, `port '${id}' does not exist`);
  return port;
}

/** Router, DHCP and floating IP ports belong to their owner's operations. */
function checkUserManaged(port: { id: string; deviceOwner: string }, field: string[], verb: string) {
  if (port.deviceOwner.startsWith('network:')) {
    fail('IN_USE', field, `port ${port.id} is owned by ${port.deviceOwner}; ${verb} it through its router, network or floating IP`);
  }
}

export async function bindPort(db: Db, input: { portId: string; hostName: string }) {
  const portId = mustBeUuid(input.portId, ['portId'], 'port');
  // Port and host in one statement, usually with the host's lock: binds are the hot write.
  const found = await readForBind(db, portId, isHostName(input.hostName) ? input.hostName : null);
  const port = foundPort(found.port, input.portId, ['portId']);
  checkUserManaged(port, ['portId'], 'bind');
  const host = foundHost(found.host, input.hostName, ['hostName']);
  checkHostFor(host, 'COMPUTE', ['hostName']);
  // What nova binds on a compute host is a VM's port: plugged as tap/qbr/qvb/qvo.
  return bindPortToHost(db, port, host, port.deviceOwner ? {} : { deviceOwner: DEVICE_OWNER.compute }, { hostLocked: found.hostLocked });
}

export async function unbindPort(db: Db, input: { portId: string }) {
  const port = await findPort(db, input.portId, ['portId']);
  checkUserManaged(port, ['portId'], 'unbind');
  await releasePortBinding(db, port);
  return db.port.findUniqueOrThrow({ where: { id: port.id } });
}

/** Deletes a port: unbound first (its host may lose a VLAN), floating IPs left unassociated. */
export async function removePort(db: Db, port: { id: string; networkId: string; hostId: string | null }) {
  await releasePortBinding(db, port);
  await db.floatingIp.updateMany({ where: { portId: port.id }, data: { portId: null, fixedIpAddress: null, routerId: null } });
  const freed = journaling() ? await db.ipAllocation.findMany({ where: { portId: port.id } }) : [];
  await db.port.delete({ where: { id: port.id } });
  for (const ip of freed) record({ kind: 'IP_ADDRESS', change: 'RELEASED', portId: port.id, subnetId: ip.subnetId, ipAddress: ip.ipAddress });
}

export async function deletePort(db: Db, input: { id: string }) {
  const port = await findPort(db, input.id, ['id']);
  checkUserManaged(port, ['id'], 'delete');
  await removePort(db, port);
  return port.id;
}

export interface UpdatePortInput {
  id: string;
  name?: string | null;
  adminStateUp?: boolean | null;
  portSecurityEnabled?: boolean | null;
  /** Replaces the port's groups ([] removes them all). */
  securityGroupIds?: string[] | null;
  /** Replaces the port's pairs. */
  allowedAddressPairs?: AddressPairInput[] | null;
  /** Replaces the port's addresses: a listed address it holds is kept, a subnet without an address keeps one it holds there. */
  fixedIps?: FixedIpRequest[] | null;
}

/** Fields only a user-managed port changes: router, DHCP and floating IP ports follow their owner. */
const OWNER_MANAGED_FIELDS = ['adminStateUp', 'portSecurityEnabled', 'securityGroupIds', 'allowedAddressPairs', 'fixedIps'] as const;

/**
 * Neutron's PUT /v2.0/ports/{id}: a field left out (or null) stays as it
 * is. Port security off leaves no room for security groups or address
 * pairs, whether the request names them or the port already has them
 * (ML2's _portsec_ext_port_update_processing). Admin state down puts a bound
 * port on the dead VLAN and its status DOWN; up again, ACTIVE.
 */
export async function updatePort(db: Db, input: UpdatePortInput) {
  const found = await findPort(db, input.id, ['id']);
  // One update of a port at a time; the network's lock serializes its address allocation.
  await db.$queryRaw`SELECT 1 FROM "Port" WHERE id = ${found.id}::uuid FOR UPDATE`;
  const port = await db.port.findUniqueOrThrow({ where: { id: found.id }, include: { fixedIps: true, securityGroups: true, allowedAddressPairs: true } });
  const given = <K extends keyof UpdatePortInput>(key: K) => input[key] !== null && input[key] !== undefined;
  if (port.deviceOwner.startsWith('network:')) {
    const field = OWNER_MANAGED_FIELDS.find(given);
    if (field) fail('IN_USE', [field], `port ${port.id} is owned by ${port.deviceOwner}; its ${field} follows its router, network or floating IP`);
  }
  if (given('name')) checkName(input.name!, ['name'], false);
  const portSecurityEnabled = input.portSecurityEnabled ?? port.portSecurityEnabled;
  const adminStateUp = input.adminStateUp ?? port.adminStateUp;

  const heldGroups = port.securityGroups.map((g) => g.securityGroupId);
  let groupIds = heldGroups;
  if (given('securityGroupIds')) {
    if (!portSecurityEnabled && input.securityGroupIds!.length > 0) fail('INVALID', ['securityGroupIds'], GROUPS_NEED_PORT_SECURITY);
    groupIds = await checkGroups(db, input.securityGroupIds!, port.projectId, (...f) => f);
  } else if (!portSecurityEnabled && groupIds.length > 0) {
    fail('INVALID', ['portSecurityEnabled'], PORT_HAS_GROUPS);
  }
  const pairs = given('allowedAddressPairs') ? addressPairs(input.allowedAddressPairs!, portSecurityEnabled, (...f) => f) : null;
  if (!pairs && !portSecurityEnabled && port.allowedAddressPairs.length > 0) fail('INVALID', ['portSecurityEnabled'], PAIRS_NEED_PORT_SECURITY);

  const status = port.hostId === null ? 'DOWN' : adminStateUp ? 'ACTIVE' : 'DOWN';
  await db.port.update({
    where: { id: port.id },
    data: { name: input.name ?? port.name, portSecurityEnabled, adminStateUp, status },
  });
  await db.portSecurityGroup.deleteMany({ where: { portId: port.id, securityGroupId: { notIn: groupIds } } });
  await db.portSecurityGroup.createMany({ data: groupIds.filter((g) => !heldGroups.includes(g)).map((securityGroupId) => ({ portId: port.id, securityGroupId })) });
  if (pairs) {
    await db.allowedAddressPair.deleteMany({ where: { portId: port.id } });
    await db.allowedAddressPair.createMany({ data: pairs.map((pair) => ({ portId: port.id, ...pair })) });
  }
  if (given('fixedIps')) await replaceAddresses(db, port, input.fixedIps!);
  return db.port.findUniqueOrThrow({ where: { id: port.id } });
}

type Address = { subnetId: string; ipAddress: string };

/**
 * Gives the port the requested fixed IPs, matched to those it holds as
 * Neutron's _get_changed_ips_for_port does: a requested address the port
 * holds is kept, a request of a subnet alone keeps an address the port holds
 * there, the other requests are allocated and the addresses left over
 * released. An address a floating IP is associated with is not released.
 */
async function replaceAddresses(db: Db, port: { id: string; networkId: string; fixedIps: Address[] }, requests: FixedIpRequest[]) {
  await lockNetwork(db, port.networkId);
  const subnets = await db.subnet.findMany({ where: { networkId: port.networkId } });
  const wanted = requests.map((request, index) => {
    const subnet = isUuid(request.subnetId) ? subnets.find((s) => s.id === request.subnetId.toLowerCase()) : undefined;
    if (!subnet) fail('INVALID', ['fixedIps', String(index), 'subnetId'], `subnet '${request.subnetId}' is not a subnet of network ${port.networkId}`);
    const ipAddress = request.ipAddress && isIpAddress(request.ipAddress) ? normalizeIp(request.ipAddress) : request.ipAddress ?? null;
    return { subnet, ipAddress, index, held: false };
  });
  const leftOver = [...port.fixedIps];
  const keep = (w: (typeof wanted)[number], match: (a: Address) => boolean) => {
    const i = leftOver.findIndex((a) => a.subnetId === w.subnet.id && match(a));
    if (i >= 0) w.held = leftOver.splice(i, 1).length === 1;
  };
  // Named addresses first, then subnets alone.
  for (const w of wanted) if (w.ipAddress) keep(w, (a) => a.ipAddress === w.ipAddress);
  for (const w of wanted) if (!w.ipAddress) keep(w, () => true);
  const floating = await db.floatingIp.findFirst({ where: { portId: port.id, fixedIpAddress: { in: leftOver.map((a) => a.ipAddress) } } });
  if (floating) fail('IN_USE', ['fixedIps'], `floating IP ${floating.floatingIpAddress} is associated with ${floating.fixedIpAddress} of port ${port.id}; disassociate it first`);
  for (const a of leftOver) {
    await db.ipAllocation.delete({ where: { portId_subnetId_ipAddress: { portId: port.id, ...a } } });
    record({ kind: 'IP_ADDRESS', change: 'RELEASED', portId: port.id, ...a });
  }
  // Each new address is written before the next is chosen, so that two requests of one subnet get two addresses.
  for (const w of wanted.filter((w) => !w.held)) {
    const ipAddress = await allocateIp(db, w.subnet, w.ipAddress, ['fixedIps', String(w.index), 'ipAddress']);
    await db.ipAllocation.create({ data: { portId: port.id, subnetId: w.subnet.id, ipAddress } });
    record({ kind: 'IP_ADDRESS', change: 'ALLOCATED', portId: port.id, subnetId: w.subnet.id, ipAddress });
  }
}
