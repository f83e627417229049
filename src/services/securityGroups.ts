// Security groups and rules with Neutron's defaults: every group allows all
// egress (IPv4 and IPv6); a project's "default" group also allows ingress
// from its own members.
import { parsePrefix } from '../domain/addressing.js';
import type { Direction, Ethertype } from '../domain/model.js';
import { fail } from './errors.js';
import { idFor, mustBeUuid } from './ids.js';
import type { Db } from './transaction.js';
import { checkName, checkProjectId } from './validate.js';
import { randomUUID } from 'node:crypto';

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
  projectId: string;
  description?: string | null;
}

export async function createSecurityGroup(db: Db, input: CreateSecurityGroupInput) {
  const id = idFor(input.id);
  checkName(input.name, ['name']);
  checkProjectId(input.projectId);
  if (input.description) checkName(input.description, ['description'], false);
  if (input.name === DEFAULT_GROUP) {
    await ensureDefaultGroup(db, input.projectId);
    fail('CONFLICT', ['name'], `project ${input.projectId} already has a default security group`);
  }
  if (await db.securityGroup.findUnique({ where: { id }, select: { id: true } })) fail('CONFLICT', ['id'], `security group ${id} already exists`);
  return createGroup(db, id, input.name, input.projectId, input.description ?? '');
}

export async function findSecurityGroup(db: Db, id: string, field: string[]) {
  const group = await db.securityGroup.findUnique({ where: { id: mustBeUuid(id, field, 'security group') } });
  if (!group) fail('NOT_FOUND', field, `security group '${id}' does not exist`);
  return group;
}

export async function deleteSecurityGroup(db: Db, input: { id: string }) {
  const group = await findSecurityGroup(db, input.id, ['id']);
  if (group.name === DEFAULT_GROUP) fail('IN_USE', ['id'], 'the default security group cannot be deleted');
  const members = await db.portSecurityGroup.count({ where: { securityGroupId: group.id } });
  if (members > 0) fail('IN_USE', ['id'], `security group ${group.id} is used by ${members} port(s)`);
  await db.securityGroup.delete({ where: { id: group.id } });
  return group.id;
}

const NAMED_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);

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

function normalizeProtocol(protocol: string | null | undefined): string | null {
  if (protocol === null || protocol === undefined || protocol === '' || protocol.toLowerCase() === 'any') return null;
  const lower = protocol.toLowerCase();
  if (NAMED_PROTOCOLS.has(lower)) return lower;
  if (/^\d{1,3}$/.test(lower) && Number(lower) <= 255) return String(Number(lower));
  fail('INVALID', ['protocol'], `'${protocol}' is not tcp, udp, icmp, icmpv6 or a protocol number 0-255`);
}

export async function createSecurityGroupRule(db: Db, input: CreateSecurityGroupRuleInput) {
  const id = idFor(input.id);
  const group = await findSecurityGroup(db, input.securityGroupId, ['securityGroupId']);
  const ethertype = input.ethertype ?? 'IPV4';
  const protocol = normalizeProtocol(input.protocol);
  const min = input.portRangeMin ?? null;
  const max = input.portRangeMax ?? null;
  const isIcmp = protocol === 'icmp' || protocol === 'icmpv6';
  if (min !== null || max !== null) {
    if (protocol === null) fail('INVALID', ['portRangeMin'], 'a port range needs a protocol');
    const limit = isIcmp ? 255 : 65535;
    for (const [value, field] of [[min, 'portRangeMin'], [max, 'portRangeMax']] as const) {
      if (value !== null && (!Number.isInteger(value) || value < (isIcmp ? 0 : 1) || value > limit)) {
        fail('INVALID', [field], isIcmp ? `an ICMP ${field === 'portRangeMin' ? 'type' : 'code'} is from 0 to 255` : 'a port is from 1 to 65535');
      }
    }
    if (!isIcmp && (protocol === 'tcp' || protocol === 'udp')) {
      if (min === null || max === null) fail('INVALID', ['portRangeMax'], 'a TCP/UDP range needs both ends');
      if (min > max) fail('INVALID', ['portRangeMin'], `portRangeMin ${min} is above portRangeMax ${max}`);
    } else if (!isIcmp) {
      fail('INVALID', ['portRangeMin'], `protocol ${protocol} has no ports`);
    }
  }
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
  if (await db.securityGroupRule.findUnique({ where: { id }, select: { id: true } })) fail('CONFLICT', ['id'], `security group rule ${id} already exists`);
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
