// Security groups and rules with Neutron's defaults: every group allows all
// egress (IPv4 and IPv6); a project's "default" group also allows ingress
// from its own members.
import { parsePrefix } from '../domain/addressing.js';
import type { Direction, Ethertype } from '../domain/model.js';
import { apiProtocolNumber, IP_PROTOCOL_NUMBERS, PORT_PROTOCOL_NUMBERS } from '../domain/firewall/protocols.js';
import { fail } from './errors.js';
import { idFor, mustBeUuid, checkIdFree } from './ids.js';
import type { Db } from './transaction.js';
import { checkName, checkProjectId } from './validate.js';
import { randomUUID } from 'node:crypto';
import { ADMIN_CALLER, type Caller } from './caller.js';
import { checkQuota } from './quotas.js';
import { describeHolders, portHolder } from './inUse.js';

export const DEFAULT_GROUP = 'default';
const ETHERTYPES: Ethertype[] = ['IPV4', 'IPV6'];

async function createGroup(db: Db, id: string, name: string, projectId: string, description: string) {
  const group = await db.securityGroup.create({ data: { id, name, projectId, description } });
  const rules: { id: string; securityGroupId: string; direction: Direction; ethertype: Ethertype; remoteGroupId?: string }[] =
    ETHERTYPES.map((ethertype) => ({ id: randomUUID(), securityGroupId: id, direction: 'EGRESS', ethertype }));
  if (name === DEFAULT_GROUP) {
    rules.push(...ETHERTYPES.map((ethertype) => ({ id: randomUUID(), securityGroupId: id, direction: 'INGRESS' as const, ethertype, remoteGroupId: id })));
  }
  await db.securityGroupRule.createMany({ data: rules });
  return group;
}

/** The project's default group, created on first need as Neutron does. */
export async function ensureDefaultGroup(db: Db, projectId: string) {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`default-sg:${projectId}`}))`;
  const existing = await db.securityGroup.findFirst({ where: { projectId, name: DEFAULT_GROUP } });
  return existing ?? createGroup(db, randomUUID(), DEFAULT_GROUP, projectId, 'Default security group');
}

export interface CreateSecurityGroupInput {
  id?: string | null;
  name: string;
  projectId?: string | null;
  description?: string | null;
}

export async function createSecurityGroup(db: Db, input: CreateSecurityGroupInput) {
  const id = idFor(input.id);
  checkName(input.name, ['name']);
  const projectId = checkProjectId(input.projectId);
  if (input.description) checkName(input.description, ['description'], false);
  if (input.name === DEFAULT_GROUP) {
    await ensureDefaultGroup(db, projectId);
    fail('CONFLICT', ['name'], `project ${projectId} already has a default security group`);
  }
  await checkIdFree(db, id);
  await checkQuota(db, projectId, 'SECURITY_GROUP');
  return createGroup(db, id, input.name, projectId, input.description ?? '');
}

export async function findSecurityGroup(db: Db, id: string, field: string[]) {
  const group = await db.securityGroup.findUnique({ where: { id: mustBeUuid(id, field, 'security group') } });
  if (!group) fail('NOT_FOUND', field, `security group '${id}' does not exist`);
  return group;
}

export async function deleteSecurityGroup(db: Db, input: { id: string }, caller: Caller = ADMIN_CALLER) {
  const group = await findSecurityGroup(db, input.id, ['id']);
  if (group.name === DEFAULT_GROUP) fail('IN_USE', ['id'], 'the default security group cannot be deleted');
  const members = await db.port.findMany({
    where: { securityGroups: { some: { securityGroupId: group.id } } },
    select: { id: true, projectId: true, deviceOwner: true },
    orderBy: { id: 'asc' },
  });
  if (members.length > 0) fail('IN_USE', ['id'], `Security Group ${group.id} in use by ${describeHolders(caller, 'port', members.map(portHolder))}.`);
  await db.securityGroup.delete({ where: { id: group.id } });
  return group.id;
}

export interface CreateSecurityGroupRuleInput {
  id?: string | null;
  securityGroupId: string;
  direction: Direction;
  ethertype?: Ethertype | null;
  protocol?: string | null;
  portRangeMin?: number | null;
  portRangeMax?: number | null;
  remoteIpPrefix?: string | null;
  remoteGroupId?: string | null;
}

/** As Neutron's API takes it: a name of neutron-lib's IP_PROTOCOL_MAP (lower case), or a number 0-255. */
function normalizeProtocol(protocol: string | null | undefined): { protocol: string | null; number: number | null } {
  const number = apiProtocolNumber(protocol ?? null);
  if (number === undefined) {
    const names = Object.keys(IP_PROTOCOL_NUMBERS).sort().join(', ');
    fail('INVALID', ['protocol'], `protocol '${protocol}' is not supported: use one of ${names}, or a protocol number 0-255`);
  }
  if (number === null) return { protocol: null, number };
  const lower = protocol!.toLowerCase();
  return { protocol: /^\d+$/.test(lower) ? String(number) : lower, number };
}

/** securitygroups_db.py _validate_port_range: ports for DCCP, SCTP, TCP, UDP, UDPLITE; type and code for ICMP. */
function checkPortRange(number: number | null, protocol: string | null, min: number | null, max: number | null): void {
  if (min === null && max === null) return;
  if (number === null) fail('INVALID', ['portRangeMin'], 'a port range needs a protocol');
  if (PORT_PROTOCOL_NUMBERS.has(number)) {
    if (min === null || max === null) fail('INVALID', ['portRangeMax'], `a ${protocol} port range needs both ends`);
    for (const [value, field] of [[min, 'portRangeMin'], [max, 'portRangeMax']] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 65535) fail('INVALID', [field], 'a port is from 1 to 65535');
    }
    if (min > max) fail('INVALID', ['portRangeMin'], `portRangeMin ${min} is above portRangeMax ${max}`);
  } else if (number === 1 || number === 58) {
    for (const [value, field] of [[min, 'portRangeMin'], [max, 'portRangeMax']] as const) {
      if (value !== null && (!Number.isInteger(value) || value < 0 || value > 255)) {
        fail('INVALID', [field], `an ICMP ${field === 'portRangeMin' ? 'type' : 'code'} is from 0 to 255`);
      }
    }
    if (min === null) fail('INVALID', ['portRangeMin'], 'an ICMP code needs an ICMP type');
  } else {
    fail('INVALID', ['portRangeMin'], `protocol ${protocol} has no ports; only DCCP, SCTP, TCP, UDP and UDPLITE rules take a port range`);
  }
}

export async function createSecurityGroupRule(db: Db, input: CreateSecurityGroupRuleInput) {
  const id = idFor(input.id);
  const group = await findSecurityGroup(db, input.securityGroupId, ['securityGroupId']);
  const ethertype = input.ethertype ?? 'IPV4';
  const { protocol, number } = normalizeProtocol(input.protocol);
  const min = input.portRangeMin ?? null;
  const max = input.portRangeMax ?? null;
  checkPortRange(number, protocol, min, max);
  if (input.remoteIpPrefix && input.remoteGroupId) fail('INVALID', ['remoteGroupId'], 'a rule takes a remote prefix or a remote group, not both');
  let remoteIpPrefix: string | null = null;
  if (input.remoteIpPrefix) {
    const prefix = parsePrefix(input.remoteIpPrefix);
    if (!prefix) fail('INVALID', ['remoteIpPrefix'], `'${input.remoteIpPrefix}' is not a CIDR`);
    if ((prefix.version === 4) !== (ethertype === 'IPV4')) fail('INVALID', ['remoteIpPrefix'], `${prefix.text} does not match ethertype ${ethertype}`);
    remoteIpPrefix = prefix.text;
  }
  let remoteGroupId: string | null = null;
  if (input.remoteGroupId) remoteGroupId = (await findSecurityGroup(db, input.remoteGroupId, ['remoteGroupId'])).id;
  const duplicate = await db.securityGroupRule.findFirst({
    where: { securityGroupId: group.id, direction: input.direction, ethertype, protocol, portRangeMin: min, portRangeMax: max, remoteIpPrefix, remoteGroupId },
    select: { id: true },
  });
  if (duplicate) fail('CONFLICT', null, `security group ${group.id} already has this rule (${duplicate.id})`);
  await checkIdFree(db, id);
  await checkQuota(db, group.projectId, 'SECURITY_GROUP_RULE');
  return db.securityGroupRule.create({
    data: { id, securityGroupId: group.id, direction: input.direction, ethertype, protocol, portRangeMin: min, portRangeMax: max, remoteIpPrefix, remoteGroupId },
  });
}

export async function deleteSecurityGroupRule(db: Db, input: { id: string }) {
  const rule = await db.securityGroupRule.findUnique({ where: { id: mustBeUuid(input.id, ['id'], 'security group rule') } });
  if (!rule) fail('NOT_FOUND', ['id'], `security group rule '${input.id}' does not exist`);
  await db.securityGroupRule.delete({ where: { id: rule.id } });
  return rule.id;
}

export interface UpdateSecurityGroupInput {
  id: string;
  name?: string | null;
  description?: string | null;
}

/** Neutron's PUT /v2.0/security-groups/{id}: the default group keeps its name, and no other takes it. */
export async function updateSecurityGroup(db: Db, input: UpdateSecurityGroupInput) {
  const group = await findSecurityGroup(db, input.id, ['id']);
  const renamed = input.name !== null && input.name !== undefined && input.name !== group.name;
  if (renamed) {
    checkName(input.name!, ['name']);
    if (group.name === DEFAULT_GROUP) fail('INVALID', ['name'], 'Updating default security group not allowed.');
    if (input.name === DEFAULT_GROUP) fail('CONFLICT', ['name'], 'Default security group already exists.');
  }
  if (input.description) checkName(input.description, ['description'], false);
  return db.securityGroup.update({ where: { id: group.id }, data: { name: input.name ?? group.name, description: input.description ?? group.description } });
}
