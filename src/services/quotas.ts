// Per-project quotas as Neutron enforces them: a creation that would take a
// project past its limit is refused (OverQuota), whoever asks; usage is
// counted from the project's objects. The count and the creation serialize
// per project and resource, so that concurrent creations cannot overshoot.
import { DEFAULT_QUOTAS, fitsQuota, overQuotaMessage, QUOTA_RESOURCES, UNLIMITED, type QuotaResource } from '../domain/quotas.js';
import { DEVICE_OWNER } from '../domain/model.js';
import { fail } from './errors.js';
import type { Db } from './transaction.js';
import { checkProjectId } from './validate.js';

/** Ports Neutron creates with no project (a router's gateway, a floating IP's): not a project's usage. */
const PROJECTLESS_PORTS: string[] = [DEVICE_OWNER.routerGateway, DEVICE_OWNER.floatingIp];

export const isProjectlessPort = (deviceOwner: string | null | undefined) => PROJECTLESS_PORTS.includes(deviceOwner ?? '');

const USAGE: Record<QuotaResource, (db: Db, projectId: string) => Promise<number>> = {
  NETWORK: (db, projectId) => db.network.count({ where: { projectId } }),
  SUBNET: (db, projectId) => db.subnet.count({ where: { projectId } }),
  PORT: (db, projectId) => db.port.count({ where: { projectId, deviceOwner: { notIn: PROJECTLESS_PORTS } } }),
  ROUTER: (db, projectId) => db.router.count({ where: { projectId } }),
  FLOATINGIP: (db, projectId) => db.floatingIp.count({ where: { projectId } }),
  SECURITY_GROUP: (db, projectId) => db.securityGroup.count({ where: { projectId } }),
  SECURITY_GROUP_RULE: (db, projectId) => db.securityGroupRule.count({ where: { securityGroup: { projectId } } }),
};

async function limitOf(db: Db, projectId: string, resource: QuotaResource): Promise<number> {
  const row = await db.projectQuota.findUnique({ where: { projectId_resource: { projectId, resource } }, select: { limit: true } });
  return row?.limit ?? DEFAULT_QUOTAS[resource];
}

/** Refuses one more `resource` for the project when its quota is used up. Call before creating it, in the same transaction. */
export async function checkQuota(db: Db, projectId: string, resource: QuotaResource): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`quota:${resource}:${projectId}`}))`;
  const limit = await limitOf(db, projectId, resource);
  if (limit === UNLIMITED) return;
  if (!fitsQuota(limit, await USAGE[resource](db, projectId))) fail('EXHAUSTED', null, overQuotaMessage(resource));
}

export interface QuotaUsage {
  resource: QuotaResource;
  limit: number;
  used: number;
}

/** Every resource's limit and usage for the project (Neutron's quota details). */
export async function quotaUsage(db: Db, projectId: string): Promise<QuotaUsage[]> {
  const overrides = await db.projectQuota.findMany({ where: { projectId } });
  return Promise.all(
    QUOTA_RESOURCES.map(async (resource) => ({
      resource,
      limit: overrides.find((o) => o.resource === resource)?.limit ?? DEFAULT_QUOTAS[resource],
      used: await USAGE[resource](db, projectId),
    })),
  );
}

export interface SetQuotaInput {
  projectId: string;
  resource: QuotaResource;
  /** -1: no limit; null: Neutron's default again. */
  limit?: number | null;
}

/** Sets (or, with no limit given, resets) one quota of a project; returns all of its quotas. */
export async function setQuota(db: Db, input: SetQuotaInput) {
  const projectId = checkProjectId(input.projectId);
  const { resource } = input;
  const limit = input.limit ?? null;
  if (limit === null) {
    await db.projectQuota.deleteMany({ where: { projectId, resource } });
  } else {
    if (!Number.isInteger(limit) || limit < UNLIMITED) fail('INVALID', ['limit'], 'a quota is -1 (no limit) or a count from 0');
    await db.projectQuota.upsert({ where: { projectId_resource: { projectId, resource } }, create: { projectId, resource, limit }, update: { limit } });
  }
  return quotaUsage(db, projectId);
}
