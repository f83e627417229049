// Neutron's per-project quotas: the resources it counts and their default
// limits (neutron/conf/quota.py, stable/2026.1: quota_network 100,
// quota_subnet 100, quota_port 500, quota_router 10, quota_floatingip 50,
// quota_security_group 10, quota_security_group_rule 100); -1 is no limit.

export const QUOTA_RESOURCES = ['NETWORK', 'SUBNET', 'PORT', 'ROUTER', 'FLOATINGIP', 'SECURITY_GROUP', 'SECURITY_GROUP_RULE'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

export const DEFAULT_QUOTAS: Record<QuotaResource, number> = {
  NETWORK: 100,
  SUBNET: 100,
  PORT: 500,
  ROUTER: 10,
  FLOATINGIP: 50,
  SECURITY_GROUP: 10,
  SECURITY_GROUP_RULE: 100,
};

export const UNLIMITED = -1;

/** Neutron's name of the resource, as its OverQuota message lists it. */
export const neutronResourceName = (resource: QuotaResource) => resource.toLowerCase();

/** Whether one more fits: `used` already held against `limit`. */
export const fitsQuota = (limit: number, used: number) => limit === UNLIMITED || used < limit;

/** neutron-lib OverQuota, as the API answers it. */
export const overQuotaMessage = (resource: QuotaResource) => `Quota exceeded for resources: ['${neutronResourceName(resource)}'].`;
