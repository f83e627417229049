// The cloud as the database holds it, one plain row per object: what an
// import reads from a document, compares with the database and writes. Rows
// mirror the tables (the domain's objects, plus when they were created); a
// port carries its addresses, groups and pairs.
import type * as M from '../model.js';

type Dated<T> = T & { createdAt: string | null };

export type HostRow = M.Host;
export type NetworkRow = Dated<M.Network>;
export type SubnetRow = Dated<M.Subnet & { projectId: string }>;
export type SecurityGroupRow = Dated<Omit<M.SecurityGroup, 'rules'> & { description: string }>;
export type RuleRow = Dated<M.SecurityGroupRule>;
export type InstanceRow = Dated<M.Instance>;
export type RouteRow = M.RouterRoute;
export type RouterRow = Dated<M.Router>;
export type FixedIpRow = M.FixedIp;
export type AddressPairRow = M.AllowedAddressPair;
export type PortRow = Dated<M.Port>;
export type FloatingIpRow = Dated<M.FloatingIp & { floatingPortId: string }>;
export type LocalVlanRow = M.LocalVlan;

/** MERGE adds and updates; REPLACE also deletes what the document does not hold. */
export type ImportMode = 'MERGE' | 'REPLACE';

/** Every kind of object an import creates, updates or deletes, by id. */
export interface Cloud {
  hosts: Map<string, HostRow>;
  networks: Map<string, NetworkRow>;
  subnets: Map<string, SubnetRow>;
  securityGroups: Map<string, SecurityGroupRow>;
  rules: Map<string, RuleRow>;
  instances: Map<string, InstanceRow>;
  routers: Map<string, RouterRow>;
  ports: Map<string, PortRow>;
  floatingIps: Map<string, FloatingIpRow>;
}

export type Kind = keyof Cloud;

export const KINDS: Kind[] = ['hosts', 'networks', 'subnets', 'securityGroups', 'rules', 'instances', 'routers', 'ports', 'floatingIps'];

export function emptyCloud(): Cloud {
  return {
    hosts: new Map(),
    networks: new Map(),
    subnets: new Map(),
    securityGroups: new Map(),
    rules: new Map(),
    instances: new Map(),
    routers: new Map(),
    ports: new Map(),
    floatingIps: new Map(),
  };
}

/** The database's state: the cloud plus the OVS agents' local VLANs. */
export interface Snapshot {
  cloud: Cloud;
  localVlans: LocalVlanRow[];
}
