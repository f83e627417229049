// Applies an import plan in bulk statements, ordered so that no constraint
// sees a half-done state: what makes room (released VLANs and segments, old
// child rows, removed floating IPs, ports and rules) goes first, then rows
// are upserted parents before children, then removed parents go last, once
// nothing refers to them any more. The id key (ObjectId) is checked once the
// writes are done: a removed object's id may go to an object of another kind
// before the removal of its old holder, which comes last.
import type { PortRow, RouterRow } from '../../domain/import/model.js';
import type { Db } from '../transaction.js';
import { deleteRows, insertRows, type Table } from './bulk.js';
import type { ImportPlan } from './plan.js';
import * as T from './tables.js';

export interface WriteProgress {
  /** The table a statement just wrote. */
  table: string;
  done: number;
  total: number;
}

const ID = [{ name: 'id', type: 'uuid' }];
const PORT_ID = [{ name: 'portId', type: 'uuid' }];
const HOST_NETWORK = [
  { name: 'hostId', type: 'uuid' },
  { name: 'networkId', type: 'uuid' },
];

const childrenOf = (ports: PortRow[]) => ({
  fixedIps: ports.flatMap((p) => p.fixedIps.map((ip) => ({ portId: p.id, ...ip }))),
  groups: ports.flatMap((p) => p.securityGroupIds.map((securityGroupId) => ({ portId: p.id, securityGroupId }))),
  pairs: ports.flatMap((p) => p.allowedAddressPairs.map((pair) => ({ portId: p.id, ...pair }))),
});

const routesOf = (routers: RouterRow[]) => routers.flatMap((r) => r.routes.map((route) => ({ routerId: r.id, ...route })));

type Step = { table: string; rows: number; run: (progress: (rows: number) => void) => Promise<void> };

export async function writePlan(db: Db, plan: ImportPlan, onProgress: (progress: WriteProgress) => void = () => {}): Promise<void> {
  const c = plan.changes;
  const upserted = <R>(changes: { created: R[]; updated: R[] }) => [...changes.updated, ...changes.created];
  const steps: Step[] = [];
  const remove = (table: string, columns: { name: string; type: string }[], keys: unknown[][]) =>
    steps.push({ table, rows: keys.length, run: (progress) => deleteRows(db, table, columns, keys, progress) });
  const removeIds = (table: string, ids: string[]) => remove(table, ID, ids.map((id) => [id]));
  const write = <R>(table: Table<R>, rows: R[], upsert = true) =>
    steps.push({ table: table.name, rows: rows.length, run: (progress) => insertRows(db, table, rows, upsert, progress) });

  const updatedPortIds = c.ports.updated.map((p) => [p.id]);
  remove('LocalVlan', HOST_NETWORK, plan.localVlans.released.map((v) => [v.hostId, v.networkId]));
  remove('LocalVlanPool', [{ name: 'hostId', type: 'uuid' }], plan.localVlans.restartedHosts.map((id) => [id]));
  remove('SegmentAllocation', [{ name: 'networkId', type: 'uuid' }], [...c.networks.updated.map((n) => n.id), ...c.networks.deleted].map((id) => [id]));
  remove('IpAllocation', PORT_ID, updatedPortIds);
  remove('PortSecurityGroup', PORT_ID, updatedPortIds);
  remove('AllowedAddressPair', PORT_ID, updatedPortIds);
  remove('RouterRoute', [{ name: 'routerId', type: 'uuid' }], c.routers.updated.map((r) => [r.id]));
  // An updated floating IP is written anew: its old row may hold a port that goes now.
  removeIds('FloatingIp', [...c.floatingIps.deleted, ...c.floatingIps.updated.map((f) => f.id)]);
  removeIds('Port', c.ports.deleted);
  removeIds('SecurityGroupRule', c.rules.deleted);

  write(T.HOSTS, upserted(c.hosts));
  write(T.NETWORKS, upserted(c.networks));
  write(T.SEGMENTS, upserted(c.networks), false);
  write(T.SUBNETS, upserted(c.subnets));
  write(T.SECURITY_GROUPS, upserted(c.securityGroups));
  write(T.RULES, upserted(c.rules));
  write(T.INSTANCES, upserted(c.instances));
  write(T.ROUTERS, upserted(c.routers));
  write(T.ROUTES, routesOf(upserted(c.routers)), false);
  const ports = upserted(c.ports);
  const children = childrenOf(ports);
  write(T.PORTS, ports);
  write(T.FIXED_IPS, children.fixedIps, false);
  write(T.PORT_GROUPS, children.groups, false);
  write(T.ADDRESS_PAIRS, children.pairs, false);
  write(T.FLOATING_IPS, upserted(c.floatingIps), false);
  write(T.LOCAL_VLANS, plan.localVlans.allocated, false);

  removeIds('Router', c.routers.deleted);
  removeIds('Instance', c.instances.deleted);
  removeIds('Subnet', c.subnets.deleted);
  removeIds('SecurityGroup', c.securityGroups.deleted);
  removeIds('Network', c.networks.deleted);
  removeIds('Host', c.hosts.deleted);

  const total = steps.reduce((n, s) => n + s.rows, 0);
  let done = 0;
  await db.$executeRawUnsafe('SET CONSTRAINTS "ObjectId_pkey" DEFERRED');
  for (const step of steps) {
    if (step.rows === 0) continue;
    await step.run((rows) => {
      done += rows;
      onProgress({ table: step.table, done, total });
    });
  }
  // Here, not at commit: at commit the change log's lock is held (docs/live.md).
  await db.$executeRawUnsafe('SET CONSTRAINTS "ObjectId_pkey" IMMEDIATE');
}
