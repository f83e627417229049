// Every mutation of the API as one table: its payload field and the service
// call that does it. The GraphQL resolvers and the what-if run the same
// entries, so a what-if change is validated, allocated and scheduled exactly
// like the real mutation.
import type { Config } from '../config.js';
import * as hosts from './hosts.js';
import * as networks from './networks.js';
import * as subnets from './subnets.js';
import * as routers from './routers.js';
import * as groups from './securityGroups.js';
import * as ports from './ports.js';
import * as instances from './instances.js';
import * as floatingIps from './floatingIps.js';
import * as quotas from './quotas.js';
import type { Caller } from './caller.js';
import type { Tx } from './transaction.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MutationInput = any;

export interface MutationSpec {
  /** The payload field that carries the result. */
  payload: string;
  /** `caller`: who asks; errors name only what it may read. */
  run(tx: Tx, input: MutationInput, config: Config, caller: Caller): Promise<unknown>;
}

const spec = (payload: string, run: MutationSpec['run']): MutationSpec => ({ payload, run });

export const MUTATIONS = {
  registerHost: spec('host', (tx, input) => hosts.registerHost(tx, input)),
  setHostStatus: spec('host', (tx, input) => hosts.setHostStatus(tx, input)),
  updateHost: spec('host', (tx, input) => hosts.updateHost(tx, input)),
  createNetwork: spec('network', (tx, input, config) => networks.createNetwork(tx, config.segments, input)),
  updateNetwork: spec('network', (tx, input) => networks.updateNetwork(tx, input)),
  deleteNetwork: spec('deletedId', (tx, input, _, caller) => networks.deleteNetwork(tx, input, caller)),
  createSubnet: spec('subnet', (tx, input) => subnets.createSubnet(tx, input)),
  updateSubnet: spec('subnet', (tx, input, _, caller) => subnets.updateSubnet(tx, input, caller)),
  deleteSubnet: spec('deletedId', (tx, input, _, caller) => subnets.deleteSubnet(tx, input, caller)),
  createRouter: spec('router', (tx, input) => routers.createRouter(tx, input)),
  updateRouter: spec('router', (tx, input) => routers.updateRouter(tx, input)),
  deleteRouter: spec('deletedId', (tx, input, _, caller) => routers.deleteRouter(tx, input, caller)),
  addRouterInterface: spec('result', (tx, input) => routers.addRouterInterface(tx, input)),
  removeRouterInterface: spec('router', (tx, input, _, caller) => routers.removeRouterInterface(tx, input, caller)),
  setRouterGateway: spec('router', (tx, input, _, caller) => routers.setRouterGateway(tx, input, caller)),
  clearRouterGateway: spec('router', (tx, input, _, caller) => routers.clearRouterGateway(tx, input, caller)),
  createSecurityGroup: spec('securityGroup', (tx, input) => groups.createSecurityGroup(tx, input)),
  updateSecurityGroup: spec('securityGroup', (tx, input) => groups.updateSecurityGroup(tx, input)),
  deleteSecurityGroup: spec('deletedId', (tx, input, _, caller) => groups.deleteSecurityGroup(tx, input, caller)),
  createSecurityGroupRule: spec('rule', (tx, input) => groups.createSecurityGroupRule(tx, input)),
  deleteSecurityGroupRule: spec('deletedId', (tx, input) => groups.deleteSecurityGroupRule(tx, input)),
  createPort: spec('port', (tx, input) => ports.createPort(tx, input)),
  updatePort: spec('port', (tx, input) => ports.updatePort(tx, input)),
  deletePort: spec('deletedId', (tx, input) => ports.deletePort(tx, input)),
  bindPort: spec('port', (tx, input) => ports.bindPort(tx, input)),
  unbindPort: spec('port', (tx, input) => ports.unbindPort(tx, input)),
  bootInstance: spec('instance', (tx, input, _, caller) => instances.bootInstance(tx, input, caller)),
  migrateInstance: spec('instance', (tx, input) => instances.migrateInstance(tx, input)),
  deleteInstance: spec('deletedId', (tx, input) => instances.deleteInstance(tx, input)),
  createFloatingIp: spec('floatingIp', (tx, input) => floatingIps.createFloatingIp(tx, input)),
  associateFloatingIp: spec('floatingIp', (tx, input) => floatingIps.associateFloatingIp(tx, input)),
  disassociateFloatingIp: spec('floatingIp', (tx, input) => floatingIps.disassociateFloatingIp(tx, input)),
  deleteFloatingIp: spec('deletedId', (tx, input) => floatingIps.deleteFloatingIp(tx, input)),
  setQuota: spec('quotas', (tx, input) => quotas.setQuota(tx, input)),
} satisfies Record<string, MutationSpec>;

export type MutationName = keyof typeof MUTATIONS;
