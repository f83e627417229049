// Hosts and their agents' liveness.
import { isIpAddress, normalizeIp } from '../domain/addressing.js';
import { DEVICE_OWNER, type FirewallDriver, type HostRole } from '../domain/model.js';
import { fail } from './errors.js';
import { idFor, checkIdFree } from './ids.js';
import type { Db } from './transaction.js';
import { checkName } from './validate.js';

export interface RegisterHostInput {
  id?: string | null;
  name: string;
  tunnelIp: string;
  roles: HostRole[];
  bridgeMappings?: { physicalNetwork: string; bridge: string }[] | null;
  availabilityZone?: string | null;
  /** Agent settings; absent means Neutron's default (false). */
  l2Population?: boolean | null;
  arpResponder?: boolean | null;
  enableIsolatedMetadata?: boolean | null;
  /** Absent means the hybrid iptables driver, the model's default (Neutron itself has none). */
  firewallDriver?: FirewallDriver | null;
}

const BRIDGE_RE = /^[A-Za-z0-9_.-]{1,15}$/;
const HOST_NAME_RE = /^[A-Za-z0-9_.-]+$/;

/** nova's default_availability_zone: the zone of a compute service no aggregate puts elsewhere. */
export const DEFAULT_AVAILABILITY_ZONE = 'nova';

/** What registerHost accepts as a name; nothing else can name a host. */
export const isHostName = (name: string) => name.length <= 255 && HOST_NAME_RE.test(name);

export async function registerHost(db: Db, input: RegisterHostInput) {
  const id = idFor(input.id);
  const name = checkName(input.name, ['name']);
  if (!HOST_NAME_RE.test(name)) fail('INVALID', ['name'], 'a host name holds letters, digits, "_", "." and "-"');
  if (!isIpAddress(input.tunnelIp)) fail('INVALID', ['tunnelIp'], `'${input.tunnelIp}' is not an IP address`);
  if (input.roles.length === 0) fail('INVALID', ['roles'], 'a host needs at least one role');
  const mappings: Record<string, string> = {};
  (input.bridgeMappings ?? [{ physicalNetwork: 'physnet1', bridge: 'br-ex' }]).forEach((m, i) => {
    checkName(m.physicalNetwork, ['bridgeMappings', String(i), 'physicalNetwork']);
    if (!BRIDGE_RE.test(m.bridge)) fail('INVALID', ['bridgeMappings', String(i), 'bridge'], 'an OVS bridge name holds at most 15 letters, digits, "_", "." or "-"');
    if (mappings[m.physicalNetwork]) fail('CONFLICT', ['bridgeMappings', String(i), 'physicalNetwork'], `physnet '${m.physicalNetwork}' is mapped twice`);
    mappings[m.physicalNetwork] = m.bridge;
  });
  const availabilityZone = checkName(input.availabilityZone ?? DEFAULT_AVAILABILITY_ZONE, ['availabilityZone']);
  if (await db.host.findUnique({ where: { name } })) fail('CONFLICT', ['name'], `host '${name}' already exists`);
  await checkIdFree(db, id);
  return db.host.create({
    data: {
      id,
      name,
      tunnelIp: normalizeIp(input.tunnelIp),
      roles: [...new Set(input.roles)],
      bridgeMappings: mappings,
      availabilityZone,
      l2Population: input.l2Population ?? false,
      arpResponder: input.arpResponder ?? false,
      enableIsolatedMetadata: input.enableIsolatedMetadata ?? false,
      firewallDriver: input.firewallDriver ?? 'IPTABLES_HYBRID',
    },
  });
}

export async function hostByName(db: Db, name: string, field: string[]) {
  // Text no host can be named (NUL, spaces, ...) is not even looked up: PostgreSQL refuses NUL outright.
  return foundHost(isHostName(name) ? await db.host.findUnique({ where: { name } }) : null, name, field);
}

/** The host looked up by `name`, or NOT_FOUND. */
export function foundHost<H>(host: H | null, name: string, field: string[]): H {
  if (!host) fail('NOT_FOUND', field, `host '${name}' does not exist`);
  return host;
}

export async function setHostStatus(db: Db, input: { hostName: string; up: boolean }) {
  const host = await hostByName(db, input.hostName, ['hostName']);
  return db.host.update({ where: { id: host.id }, data: { up: input.up } });
}

export interface UpdateHostInput {
  hostName: string;
  tunnelIp?: string | null;
  roles?: HostRole[] | null;
  l2Population?: boolean | null;
  arpResponder?: boolean | null;
  enableIsolatedMetadata?: boolean | null;
  firewallDriver?: FirewallDriver | null;
}

/**
 * Changes a host's agents: its tunnel IP, the roles it serves and the OVS
 * and DHCP agents' settings. The plumbing is derived from them, so every
 * host's tunnels, flows and plugs follow. A role stays while the host runs
 * what needs it: instances and VM ports (COMPUTE), routers and DHCP ports
 * (NETWORK).
 */
export async function updateHost(db: Db, input: UpdateHostInput) {
  const host = await hostByName(db, input.hostName, ['hostName']);
  await db.$queryRaw`SELECT 1 FROM "Host" WHERE id = ${host.id}::uuid FOR NO KEY UPDATE`;
  if (input.tunnelIp !== null && input.tunnelIp !== undefined && !isIpAddress(input.tunnelIp)) fail('INVALID', ['tunnelIp'], `'${input.tunnelIp}' is not an IP address`);
  const roles = input.roles ? [...new Set(input.roles)] : host.roles;
  if (roles.length === 0) fail('INVALID', ['roles'], 'a host needs at least one role');
  if (!roles.includes('COMPUTE') && host.roles.includes('COMPUTE')) {
    const vms = await db.instance.count({ where: { hostId: host.id } });
    if (vms > 0) fail('IN_USE', ['roles'], `host '${host.name}' runs ${vms} instance(s); migrate them before it stops being a COMPUTE host`);
  }
  if (!roles.includes('NETWORK') && host.roles.includes('NETWORK')) {
    const routers = await db.router.count({ where: { hostId: host.id } });
    const dhcp = await db.port.count({ where: { hostId: host.id, deviceOwner: DEVICE_OWNER.dhcp } });
    if (routers + dhcp > 0) fail('IN_USE', ['roles'], `host '${host.name}' hosts ${routers} router(s) and ${dhcp} DHCP port(s); it stays a NETWORK host while it does`);
  }
  return db.host.update({
    where: { id: host.id },
    data: {
      tunnelIp: input.tunnelIp ? normalizeIp(input.tunnelIp) : host.tunnelIp,
      roles,
      l2Population: input.l2Population ?? host.l2Population,
      arpResponder: input.arpResponder ?? host.arpResponder,
      enableIsolatedMetadata: input.enableIsolatedMetadata ?? host.enableIsolatedMetadata,
      firewallDriver: input.firewallDriver ?? host.firewallDriver,
    },
  });
}
