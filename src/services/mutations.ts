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
import type { Tx } from './transaction.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MutationInput = any;

export interface MutationSpec {
  /** The payload field that carries the result. */
  payload: string;
  run(tx: Tx, input: MutationInput, config: Config): Promise<unknown>;
}

const spec = (payload: string, run: MutationSpec['run']): MutationSpec => ({ payload, run });

export const MUTATIONS = {
  registerHost: spec('host', (tx, input) => hosts.registerHost(tx, input)),
  setHostStatus: spec('host', (tx, input) => hosts.setHostStatus(tx, input)),
  createNetwork: spec('network', (tx, input, config) => networks.createNetwork(tx, config.segments, input)),
  deleteNetwork: spec('deletedId', (tx, input) => networks.deleteNetwork(tx, input)),
  createSubnet: spec('subnet', (tx, input) => subnets.createSubnet(tx, input)),
  deleteSubnet: spec('deletedId', (tx, input) => subnets.deleteSubnet(tx, input)),
  createRouter: spec('router', (tx, input) => routers.createRouter(tx, input)),
  deleteRouter: spec('deletedId', (tx, input) => routers.deleteRouter(tx, input)),
  addRouterInterface: spec('result', (tx, input) => routers.addRouterInterface(tx, input)),
  removeRouterInterface: spec('router', (tx, input) => routers.removeRouterInterface(tx, input)),
  setRouterGateway: spec('router', (tx, input) => routers.setRouterGateway(tx, input)),
  clearRouterGateway: spec('router', (tx, input) => routers.clearRouterGateway(tx, input)),
  createSecurityGroup: spec('securityGroup', (tx, input) => groups.createSecurityGroup(tx, input)),
  deleteSecurityGroup: spec('deletedId', (tx, input) => groups.deleteSecurityGroup(tx, input)),
  createSecurityGroupRule: spec('rule', (tx, input) => groups.createSecurityGroupRule(tx, input)),
  deleteSecurityGroupRule: spec('deletedId', (tx, input) => groups.deleteSecurityGroupRule(tx, input)),
  createPort: spec('port', (tx, input) => ports.createPort(tx, input)),
  deletePort: spec('deletedId', (tx, input) => ports.deletePort(tx, input)),
  bindPort: spec('port', (tx, input) => ports.bindPort(tx, input)),
  unbindPort: spec('port', (tx, input) => ports.unbindPort(tx, input)),
  bootInstance: spec('instance', (tx, input) => instances.bootInstance(tx, input)),
  migrateInstance: spec('instance', (tx, input) => instances.migrateInstance(tx, input)),
  deleteInstance: spec('deletedId', (tx, input) => instances.deleteInstance(tx, input)),
  createFloatingIp: spec('floatingIp', (tx, input) => floatingIps.createFloatingIp(tx, input)),
  associateFloatingIp: spec('floatingIp', (tx, input) => floatingIps.associateFloatingIp(tx, input)),
  disassociateFloatingIp: spec('floatingIp', (tx, input) => floatingIps.disassociateFloatingIp(tx, input)),
  deleteFloatingIp: spec('deletedId', (tx, input) => floatingIps.deleteFloatingIp(tx, input)),
} satisfies Record<string, MutationSpec>;

export type MutationName = keyof typeof MUTATIONS;
