// Instances as nova drives Neutron: boot creates (or takes) ports and binds
// them on the instance's host; migrate moves the bindings; delete removes
// the ports it created and releases the ones it was given.
import { cidrContains } from '../domain/addressing.js';
import { bindPortToHost, checkHostFor, releasePortBinding } from './binding.js';
import { fail } from './errors.js';
import { hostByName } from './hosts.js';
import { pickComputeHost } from './scheduling.js';
import { idFor, mustBeUuid, checkIdFree } from './ids.js';
import { createPort, findPort, removePort } from './ports.js';
import type { Db } from './transaction.js';
import { checkName, checkProjectId } from './validate.js';
import { ADMIN_CALLER, type Caller } from './caller.js';
import { NO_VALID_HOST, refusingHostsAlike } from './hostRefusal.js';

export interface BootInstanceInput {
  id?: string | null;
  name: string;
  projectId?: string | null;
  /** Left out: scheduled (pickComputeHost). */
  hostName?: string | null;
  availabilityZone?: string | null;
  networks?: { networkId: string; fixedIp?: string | null }[] | null;
  portIds?: string[] | null;
  securityGroupIds?: string[] | null;
}

/** Boots the instance; a project caller learns nothing about the host it names or is given (hostRefusal.ts). */
export function bootInstance(db: Db, input: BootInstanceInput, caller: Caller = ADMIN_CALLER) {
  return refusingHostsAlike(caller, ['hostName'], () => boot(db, input));
}

/** The host named, fit for an instance (of the zone, when one is asked for), or the one the scheduler picks. */
async function hostForInstance(db: Db, hostName: string | null | undefined, zone: string | null) {
  if (hostName === null || hostName === undefined) {
    const picked = await pickComputeHost(db, zone);
    if (!picked) fail('EXHAUSTED', zone === null ? null : ['availabilityZone'], NO_VALID_HOST);
    return picked;
  }
  const host = await hostByName(db, hostName, ['hostName']);
  checkHostFor(host, 'COMPUTE', ['hostName']);
  if (zone !== null && host.availabilityZone !== zone) fail('INVALID', ['hostName'], `host '${host.name}' is in availability zone '${host.availabilityZone}', not '${zone}'`);
  return host;
}

async function boot(db: Db, input: BootInstanceInput) {
  const id = idFor(input.id);
  checkName(input.name, ['name']);
  const projectId = checkProjectId(input.projectId);
  const zone = input.availabilityZone ?? null;
  if (zone !== null) checkName(zone, ['availabilityZone']);
  const networks = input.networks ?? [];
  const portIds = input.portIds ?? [];
  if (networks.length === 0 && portIds.length === 0) fail('INVALID', ['networks'], 'an instance needs at least one network or port');
  if (networks.length > 0 && portIds.length > 0) fail('INVALID', ['portIds'], 'give networks or portIds, not both');
  if (input.securityGroupIds && portIds.length > 0) fail('INVALID', ['securityGroupIds'], 'security groups apply to ports created at boot; set them on the given ports instead');
  const host = await hostForInstance(db, input.hostName, zone);
  await checkIdFree(db, id);
  await db.instance.create({ data: { id, name: input.name, projectId, hostId: host.id } });
  // nova's device owner is compute:<the instance's availability zone>, its host's zone once scheduled.
  const deviceOwner = `compute:${host.availabilityZone}`;

  for (const [i, nic] of networks.entries()) {
    let fixedIps: { subnetId: string; ipAddress: string }[] | undefined;
    if (nic.fixedIp) {
      const subnets = await db.subnet.findMany({ where: { networkId: mustBeUuid(nic.networkId, ['networks', String(i), 'networkId'], 'network') } });
      const subnet = subnets.find((s) => cidrContains(s.cidr, nic.fixedIp!));
      if (!subnet) fail('INVALID', ['networks', String(i), 'fixedIp'], `${nic.fixedIp} is in no subnet of network ${nic.networkId}`);
      fixedIps = [{ subnetId: subnet.id, ipAddress: nic.fixedIp }];
    }
    const port = await createPort(
      db,
      {
        networkId: nic.networkId,
        projectId,
        fixedIps,
        securityGroupIds: input.securityGroupIds,
        deviceOwner,
        deviceId: id,
      },
      { instanceId: id, preserveOnDelete: false },
      ['networks', String(i)],
    );
    await bindPortToHost(db, port, host);
  }
  for (const [i, portId] of portIds.entries()) {
    const port = await findPort(db, portId, ['portIds', String(i)]);
    if (port.instanceId || port.deviceId || port.deviceOwner) {
      fail('IN_USE', ['portIds', String(i)], `port ${port.id} is already used by ${port.deviceOwner || 'device'} ${port.deviceId || port.instanceId}`);
    }
    if (port.projectId !== projectId) fail('INVALID', ['portIds', String(i)], `port ${port.id} belongs to another project`);
    await db.port.update({ where: { id: port.id }, data: { instanceId: id, deviceId: id, deviceOwner } });
    await bindPortToHost(db, port, host);
  }
  return db.instance.findUniqueOrThrow({ where: { id } });
}

export async function findInstance(db: Db, id: string, field: string[]) {
  const instance = await db.instance.findUnique({ where: { id: mustBeUuid(id, field, 'instance') } });
  if (!instance) fail('NOT_FOUND', field, `instance '${id}' does not exist`);
  return instance;
}

export async function migrateInstance(db: Db, input: { instanceId: string; hostName: string }) {
  const instance = await findInstance(db, input.instanceId, ['instanceId']);
  const host = await hostByName(db, input.hostName, ['hostName']);
  if (instance.hostId === host.id) fail('INVALID', ['hostName'], `instance ${instance.id} is already on '${host.name}'`);
  checkHostFor(host, 'COMPUTE', ['hostName']);
  const ports = await db.port.findMany({ where: { instanceId: instance.id }, orderBy: { id: 'asc' } });
  for (const port of ports) await bindPortToHost(db, port, host);
  return db.instance.update({ where: { id: instance.id }, data: { hostId: host.id } });
}

export async function deleteInstance(db: Db, input: { id: string }) {
  const instance = await findInstance(db, input.id, ['id']);
  const ports = await db.port.findMany({ where: { instanceId: instance.id }, orderBy: { id: 'asc' } });
  for (const port of ports) {
    if (port.preserveOnDelete) {
      await releasePortBinding(db, port);
      await db.port.update({ where: { id: port.id }, data: { instanceId: null, deviceId: '', deviceOwner: '' } });
    } else {
      await removePort(db, port);
    }
  }
  await db.instance.delete({ where: { id: instance.id } });
  return instance.id;
}
