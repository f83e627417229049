// Mutations: each runs one service function in one transaction and returns
// its payload; domain failures come back as userErrors with nothing written.
import type { Context } from '../context.js';
import { mutation, type Tx } from '../../services/transaction.js';
import * as hosts from '../../services/hosts.js';
import * as networks from '../../services/networks.js';
import * as subnets from '../../services/subnets.js';
import * as routers from '../../services/routers.js';
import * as groups from '../../services/securityGroups.js';
import * as ports from '../../services/ports.js';
import * as instances from '../../services/instances.js';
import * as floatingIps from '../../services/floatingIps.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = { input: any };
type Resolver = (parent: unknown, args: Args, ctx: Context) => Promise<unknown>;

/** A mutation whose payload carries the service's result under `key`. */
const returning = <V>(key: string, run: (tx: Tx, input: Args['input'], ctx: Context) => Promise<V>): Resolver =>
  (_, { input }, ctx) => mutation(ctx.db.prisma, key, (tx) => run(tx, input, ctx));

export const mutationResolvers: Record<string, Resolver> = {
  registerHost: returning('host', (tx, input) => hosts.registerHost(tx, input)),
  setHostStatus: returning('host', (tx, input) => hosts.setHostStatus(tx, input)),
  createNetwork: returning('network', (tx, input, ctx) => networks.createNetwork(tx, ctx.config.segments, input)),
  deleteNetwork: returning('deletedId', (tx, input) => networks.deleteNetwork(tx, input)),
  createSubnet: returning('subnet', (tx, input) => subnets.createSubnet(tx, input)),
  deleteSubnet: returning('deletedId', (tx, input) => subnets.deleteSubnet(tx, input)),
  createRouter: returning('router', (tx, input) => routers.createRouter(tx, input)),
  deleteRouter: returning('deletedId', (tx, input) => routers.deleteRouter(tx, input)),
  addRouterInterface: async (_, { input }, ctx) => {
    const payload = await mutation(ctx.db.prisma, 'result', (tx) => routers.addRouterInterface(tx, input));
    return { router: payload.result?.router ?? null, port: payload.result?.port ?? null, userErrors: payload.userErrors };
  },
  removeRouterInterface: returning('router', (tx, input) => routers.removeRouterInterface(tx, input)),
  setRouterGateway: returning('router', (tx, input) => routers.setRouterGateway(tx, input)),
  clearRouterGateway: returning('router', (tx, input) => routers.clearRouterGateway(tx, input)),
  createSecurityGroup: returning('securityGroup', (tx, input) => groups.createSecurityGroup(tx, input)),
  deleteSecurityGroup: returning('deletedId', (tx, input) => groups.deleteSecurityGroup(tx, input)),
  createSecurityGroupRule: returning('rule', (tx, input) => groups.createSecurityGroupRule(tx, input)),
  deleteSecurityGroupRule: returning('deletedId', (tx, input) => groups.deleteSecurityGroupRule(tx, input)),
  createPort: returning('port', (tx, input) => ports.createPort(tx, input)),
  deletePort: returning('deletedId', (tx, input) => ports.deletePort(tx, input)),
  bindPort: returning('port', (tx, input) => ports.bindPort(tx, input)),
  unbindPort: returning('port', (tx, input) => ports.unbindPort(tx, input)),
  bootInstance: returning('instance', (tx, input) => instances.bootInstance(tx, input)),
  migrateInstance: returning('instance', (tx, input) => instances.migrateInstance(tx, input)),
  deleteInstance: returning('deletedId', (tx, input) => instances.deleteInstance(tx, input)),
  createFloatingIp: returning('floatingIp', (tx, input) => floatingIps.createFloatingIp(tx, input)),
  associateFloatingIp: returning('floatingIp', (tx, input) => floatingIps.associateFloatingIp(tx, input)),
  disassociateFloatingIp: returning('floatingIp', (tx, input) => floatingIps.disassociateFloatingIp(tx, input)),
  deleteFloatingIp: returning('deletedId', (tx, input) => floatingIps.deleteFloatingIp(tx, input)),
};
