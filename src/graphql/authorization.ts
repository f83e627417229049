// Who may call each root field, in one place. A Query field is 'scoped'
// (any token; results narrowed to what it sees) or 'admin'. A Mutation is
// 'admin', or the list of checks a project token's input must pass before
// the service runs, so that a refusal writes nothing. Admin tokens pass
// every check; read-only tokens no mutation. A root field missing from
// these tables is admin-only.
import { GraphQLError } from 'graphql';
import { Problems } from '../services/errors.js';
import type { Db } from '../services/transaction.js';
import type { Context } from './context.js';
import { adminOnly, attachesTo, forProject, owns, sees, type Check, type Input } from './referenceChecks.js';

export type QueryAccess = 'scoped' | 'admin';
export type MutationRule = 'admin' | Check[];

export const QUERY_ACCESS: Record<string, QueryAccess> = {
  node: 'scoped',
  networks: 'scoped',
  subnets: 'scoped',
  ports: 'scoped',
  instances: 'scoped',
  routers: 'scoped',
  floatingIps: 'scoped',
  securityGroups: 'scoped',
  hosts: 'admin',
  host: 'admin',
  segmentPools: 'admin',
  // A project reads its own quotas (the resolver refuses another project's).
  quotas: 'scoped',
  // A project's path starts at its own instance and shows the rest as it may see it (domain/path/viewer.ts).
  path: 'scoped',
  // A project's changes are authorized as its mutations would be (MUTATION_RULES).
  whatIf: 'scoped',
  impact: 'admin',
  // The change log: a project reads its own objects' changes only (services/changes/read.ts).
  changes: 'scoped',
  changeSet: 'scoped',
  diff: 'scoped',
  // A project's webhooks only (services/webhooks/manage.ts).
  webhooks: 'scoped',
  // A project's sets hold its own instances and ports only (domain/analysis/endpointSets.ts).
  reachability: 'scoped',
  // A project reads its own exposure and audit (the resolver refuses another project's).
  exposure: 'scoped',
  securityGroupAudit: 'scoped',
  // API tokens are an operator's: listing them tells who has access to what.
  tokens: 'admin',
};

// network:* owners (router, DHCP, floating IP ports) are the platform's.
const isNetworkOwner = (v: unknown) => typeof v === 'string' && v.startsWith('network:');

export const MUTATION_RULES: Record<string, MutationRule> = {
  registerHost: 'admin',
  setHostStatus: 'admin',
  updateHost: 'admin',
  createNetwork: [
    forProject(),
    adminOnly('shared'),
    adminOnly('external'),
    adminOnly('segmentationId'),
    adminOnly('physicalNetwork'),
    adminOnly('networkType', (v) => v !== null && v !== undefined && v !== 'VXLAN'),
  ],
  // Sharing is an admin's, as in Neutron's policy.
  updateNetwork: [owns('network', 'id'), adminOnly('shared')],
  deleteNetwork: [owns('network', 'id')],
  createSubnet: [owns('network', 'networkId')],
  updateSubnet: [owns('subnet', 'id')],
  deleteSubnet: [owns('subnet', 'id')],
  createRouter: [forProject()],
  updateRouter: [owns('router', 'id')],
  deleteRouter: [owns('router', 'id')],
  addRouterInterface: [owns('router', 'routerId'), owns('subnet', 'subnetId')],
  removeRouterInterface: [owns('router', 'routerId'), sees('subnet', 'subnetId')],
  setRouterGateway: [owns('router', 'routerId'), sees('network', 'externalNetworkId')],
  clearRouterGateway: [owns('router', 'routerId')],
  createSecurityGroup: [forProject()],
  updateSecurityGroup: [owns('securityGroup', 'id')],
  deleteSecurityGroup: [owns('securityGroup', 'id')],
  createSecurityGroupRule: [owns('securityGroup', 'securityGroupId'), sees('securityGroup', 'remoteGroupId')],
  deleteSecurityGroupRule: [owns('securityGroupRule', 'id')],
  createPort: [
    forProject(),
    attachesTo('networkId'),
    sees('securityGroup', 'securityGroupIds[]'),
    adminOnly('deviceOwner', isNetworkOwner),
  ],
  updatePort: [owns('port', 'id'), sees('securityGroup', 'securityGroupIds[]')],
  deletePort: [owns('port', 'id')],
  // binding:host_id is admin-only in Neutron.
  bindPort: 'admin',
  unbindPort: 'admin',
  bootInstance: [
    forProject(),
    attachesTo('networks[].networkId'),
    owns('port', 'portIds[]'),
    sees('securityGroup', 'securityGroupIds[]'),
  ],
  // Migration is an operator's action, as in Nova.
  migrateInstance: 'admin',
  deleteInstance: [owns('instance', 'id')],
  createFloatingIp: [forProject(), sees('network', 'externalNetworkId'), owns('port', 'portId')],
  associateFloatingIp: [owns('floatingIp', 'floatingIpId'), owns('port', 'portId')],
  disassociateFloatingIp: [owns('floatingIp', 'floatingIpId')],
  deleteFloatingIp: [owns('floatingIp', 'id')],
  // A project token's webhook gets, and deletes, only its own project's (services/webhooks/manage.ts).
  createWebhook: [],
  deleteWebhook: [],
  // A token made by a project token could be an admin's, or another project's.
  createToken: 'admin',
  revokeToken: 'admin',
};

export const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

export type AuthContext = Pick<Context, 'auth' | 'see' | 'db'>;

/** The project a question is answered for: null for an admin, who sees every project. */
export const viewerOf = (ctx: Pick<Context, 'auth'>): string | null => (ctx.auth.isAdmin ? null : ctx.auth.projectId);

/** Throws FORBIDDEN unless the request is an admin's. */
export function requireAdmin(ctx: Pick<Context, 'auth'>, what = 'this'): void {
  if (!ctx.auth.isAdmin) throw forbidden(`${what} needs an admin token`);
}

/** Throws FORBIDDEN when a project token may not call the Query field. */
export function authorizeQuery(field: string, ctx: Pick<Context, 'auth'>): void {
  if ((QUERY_ACCESS[field] ?? 'admin') === 'admin') requireAdmin(ctx, field);
}

/**
 * Throws FORBIDDEN when the token may not make this kind of change at all;
 * else the checks its input must pass ('admin': none, the token is an admin's).
 */
export function ruleFor(mutation: string, ctx: Pick<Context, 'auth'>): MutationRule {
  if (ctx.auth.readOnly) throw forbidden('this token is read-only');
  if (ctx.auth.isAdmin) return 'admin';
  const rule = MUTATION_RULES[mutation] ?? 'admin';
  if (!Array.isArray(rule)) throw forbidden(`${mutation} needs an admin token`);
  return rule;
}

/**
 * Authorizes one change (a mutation's input) for the request's principal and
 * returns the input to run it with (a project token's own projectId filled
 * in where the input leaves it to the network's owner). Throws a GraphQLError
 * FORBIDDEN when the token may not make this kind of change at all, and a
 * DomainError (userErrors: NOT_FOUND, FORBIDDEN) when the input names what
 * the token may not see or change. `db` is where referenced objects are
 * looked up: pass the transaction when earlier changes of it must count.
 */
export async function authorizeChange<I extends object>(mutation: string, input: I, ctx: AuthContext, db: Db = ctx.db.prisma): Promise<I> {
  const { auth, see } = ctx;
  const rule = ruleFor(mutation, ctx);
  if (rule === 'admin') return input;
  const problems = new Problems();
  let current = input as Input;
  for (const check of rule) current = (await check(current, { auth, see, db, problems })) ?? current;
  problems.throwIfAny();
  return current as I;
}

/** Refuses a filter argument that would tell a project token something admin-only. */
export function requireAdminForFilter(ctx: Pick<Context, 'auth'>, filter: Record<string, unknown> | null | undefined, key: string): void {
  if (filter?.[key] !== null && filter?.[key] !== undefined) requireAdmin(ctx, `filter.${key}`);
}

/** A nested field only an admin reads: null for project tokens (README, "Authentication and tenancy"). */
export function adminField<P, A, R>(resolve: (parent: P, args: A, ctx: Context) => R) {
  return (parent: P, args: A, ctx: Context): R | null => (ctx.auth.isAdmin ? resolve(parent, args, ctx) : null);
}
