// What changed since a sequence or a time, and what it did to paths
// (docs/live.md, "History and diff"). The state before is rebuilt from the
// log inside a transaction that is always rolled back: the window's changes
// are undone newest first (a creation deleted, an update given its fields
// before, a deletion inserted again from its row), with foreign keys and
// triggers off for that transaction only (session_replication_role =
// replica), since a cascade's rows were logged after their parent. The
// state after is read in the same snapshot first, so both sides agree on
// the window. It reaches back as far as the log keeps (retention).
import type { Prisma } from '../../store/db.js';
import type { Tx } from '../transaction.js';
import { inWorkSlot } from '../requestWork.js';
import { comparePaths, readPairs, tracePairs, type PathDiff, type PathPair } from '../whatIf.js';
import { latestSequence, oldestSequence, readChanges, type ChangeAction, type LoggedChange } from './read.js';
import type { UserError } from '../errors.js';

/** Each logged object type's table and key columns. */
const TABLES: Record<string, { table: string; key: string[] }> = {
  HOST: { table: 'Host', key: ['id'] },
  NETWORK: { table: 'Network', key: ['id'] },
  SUBNET: { table: 'Subnet', key: ['id'] },
  PORT: { table: 'Port', key: ['id'] },
  INSTANCE: { table: 'Instance', key: ['id'] },
  ROUTER: { table: 'Router', key: ['id'] },
  FLOATING_IP: { table: 'FloatingIp', key: ['id'] },
  SECURITY_GROUP: { table: 'SecurityGroup', key: ['id'] },
  SECURITY_GROUP_RULE: { table: 'SecurityGroupRule', key: ['id'] },
  PORT_SECURITY_GROUP: { table: 'PortSecurityGroup', key: ['portId', 'securityGroupId'] },
  IP_ALLOCATION: { table: 'IpAllocation', key: ['portId', 'subnetId', 'ipAddress'] },
  ALLOWED_ADDRESS_PAIR: { table: 'AllowedAddressPair', key: ['portId', 'ipAddress'] },
  ROUTER_ROUTE: { table: 'RouterRoute', key: ['routerId', 'destination', 'nexthop'] },
  LOCAL_VLAN: { table: 'LocalVlan', key: ['hostId', 'networkId'] },
  SEGMENT: { table: 'SegmentAllocation', key: ['networkId'] },
};

export interface ChangedObject {
  objectType: string;
  objectId: string;
  projectId: string | null;
  /** Over the whole window: created, updated or deleted. */
  change: ChangeAction;
  changes: number;
}

export interface DiffReport {
  since: number;
  through: number;
  objects: ChangedObject[];
  paths: PathDiff[];
  summary: { pairs: number; broken: number; fixed: number; unchanged: number; changed: number };
  userErrors: UserError[];
}

const PAGE = 1000;

async function changesAfter(db: Tx | Prisma, since: number, through: number, viewer: string | null): Promise<LoggedChange[]> {
  const all: LoggedChange[] = [];
  for (;;) {
    const page = await readChanges(db, { viewerProject: viewer, afterSequence: all.at(-1)?.sequence ?? since, beforeSequence: through + 1, direction: 'asc', take: PAGE });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

/** The objects the changes touched, each once, with its net change over the window; created and deleted within it: left out. */
export function changedObjects(changes: LoggedChange[]): ChangedObject[] {
  const byObject = new Map<string, { first: LoggedChange; last: LoggedChange; count: number }>();
  for (const change of changes) {
    const key = `${change.objectType}:${change.objectId}`;
    const seen = byObject.get(key);
    if (seen) {
      seen.last = change;
      seen.count++;
    } else byObject.set(key, { first: change, last: change, count: 1 });
  }
  return [...byObject.values()].flatMap(({ first, last, count }) => {
    const created = first.action === 'CREATED';
    const deleted = last.action === 'DELETED';
    if (created && deleted) return [];
    const change: ChangeAction = created ? 'CREATED' : deleted ? 'DELETED' : 'UPDATED';
    return [{ objectType: first.objectType, objectId: first.objectId, projectId: first.projectId, change, changes: count }];
  });
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Undoes one change (see the header). */
async function undo(tx: Tx, change: LoggedChange): Promise<void> {
  const { table, key } = TABLES[change.objectType];
  const row = (change.after ?? change.before)!;
  const where = key.map((k, i) => `${quote(table)}.${quote(k)}::text = $${i + 2}`).join(' AND ');
  const keyValues = key.map((k) => String(row[k]));
  if (change.action === 'CREATED') {
    await tx.$executeRawUnsafe(`DELETE FROM ${quote(table)} WHERE ${where.replaceAll(/\$(\d+)/g, (_, n) => `$${Number(n) - 1}`)}`, ...keyValues);
  } else if (change.action === 'DELETED') {
    await tx.$executeRawUnsafe(`INSERT INTO ${quote(table)} SELECT * FROM jsonb_populate_record(NULL::${quote(table)}, $1::jsonb)`, JSON.stringify(change.before));
  } else {
    const columns = Object.keys(change.before ?? {});
    if (columns.length === 0) return;
    const set = columns.map((c) => `${quote(c)} = r.${quote(c)}`).join(', ');
    await tx.$executeRawUnsafe(`UPDATE ${quote(table)} SET ${set} FROM jsonb_populate_record(NULL::${quote(table)}, $1::jsonb) r WHERE ${where}`, JSON.stringify(change.before), ...keyValues);
  }
}

class Rollback extends Error {
  constructor(readonly report: () => Promise<DiffReport>) {
    super('diff rolled back');
  }
}

const refused = (message: string, field: string[]): DiffReport => ({
  since: 0,
  through: 0,
  objects: [],
  paths: [],
  summary: { pairs: 0, broken: 0, fixed: 0, unchanged: 0, changed: 0 },
  userErrors: [{ code: 'INVALID', field, message }],
});

export interface DiffSince {
  sequence?: number | null;
  time?: Date | null;
}

/** In one of the slots what-ifs share: it holds a transaction and traces its pairs twice, as a what-if. */
export function diffSince(prisma: Prisma, since: DiffSince, pairs: PathPair[], viewer: string | null, timeoutMs: number): Promise<DiffReport> {
  return inWorkSlot(() => diffInSlot(prisma, since, pairs, viewer, timeoutMs));
}

async function diffInSlot(prisma: Prisma, since: DiffSince, pairs: PathPair[], viewer: string | null, timeoutMs: number): Promise<DiffReport> {
  let after = since.sequence ?? null;
  if (after === null) {
    const before = await prisma.changeSet.aggregate({ _max: { lastSequence: true }, where: { committedAt: { lt: since.time! } } });
    after = Number(before._max.lastSequence ?? 0);
  }
  const oldest = await oldestSequence(prisma);
  if (oldest !== null && after + 1 < oldest) {
    return refused(`the change log keeps changes from sequence ${oldest} on (CHANGES_RETENTION_DAYS); a diff reaches back that far`, ['since']);
  }
  const from = after;
  try {
    await prisma.$transaction(
      async (tx) => {
        const through = await latestSequence(tx);
        const afterState = await readPairs(tx, pairs);
        const window = await changesAfter(tx, from, through, null);
        const shown = viewer === null ? window : await changesAfter(tx, from, through, viewer);
        // Undo without the foreign keys (a cascade's rows were logged after their parent) and without logging.
        await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
        for (const change of [...window].reverse()) await undo(tx, change);
        const beforeState = await readPairs(tx, pairs);
        throw new Rollback(async () => {
          const before = await tracePairs(beforeState, pairs, viewer);
          const now = await tracePairs(afterState, pairs, viewer);
          return { since: from, through, objects: changedObjects(shown), ...comparePaths(pairs, before, now), userErrors: [] };
        });
      },
      { isolationLevel: 'RepeatableRead', timeout: timeoutMs, maxWait: timeoutMs },
    );
  } catch (error) {
    if (error instanceof Rollback) return await error.report();
    throw error;
  }
  throw new Error('unreachable: a diff transaction always rolls back');
}
