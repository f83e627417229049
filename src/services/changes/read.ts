// Reads the change log (docs/live.md). Only committed changes carry a
// sequence, and no commit ever takes a smaller one than a commit already
// visible, so "after sequence N" never misses a change that commits later.
import type { Prisma as P } from '../../generated/prisma/client.js';
import type { Db } from '../transaction.js';
import { isUuid } from '../ids.js';

export type ChangeAction = 'CREATED' | 'UPDATED' | 'DELETED';

export interface LoggedChange {
  sequence: number;
  committedAt: Date;
  action: ChangeAction;
  objectType: string;
  objectId: string;
  parentId: string | null;
  projectId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changeSetId: string;
  /** Its change set's token (null: the system). */
  actorTokenId: string | null;
}

export interface LoggedChangeSet {
  id: string;
  source: string;
  actorTokenId: string | null;
  actorProjectId: string | null;
  committedAt: Date;
  firstSequence: number;
  lastSequence: number;
  changes: LoggedChange[];
}

export interface ChangeFilter {
  since?: Date | null;
  until?: Date | null;
  objectType?: string | null;
  objectId?: string | null;
  projectId?: string | null;
  /** A token id, or 'system'. */
  actor?: string | null;
}

export interface ChangeRange {
  /** Only changes of this project (a project viewer); null: every change (an admin). */
  viewerProject: string | null;
  filter?: ChangeFilter | null;
  /** Exclusive bounds. */
  afterSequence?: number | null;
  beforeSequence?: number | null;
  direction: 'asc' | 'desc';
  take: number;
}

// Where a host an object sits on is admin-only (binding:host_id), as the
// object types' host fields are.
const ADMIN_ONLY_FIELDS = ['hostId'];

/** The change as `viewerProject` may read it: without the fields only an admin reads. */
export function asSeenBy(change: LoggedChange, viewerProject: string | null): LoggedChange {
  if (viewerProject === null) return change;
  const strip = (fields: Record<string, unknown> | null) =>
    fields && Object.fromEntries(Object.entries(fields).filter(([key]) => !ADMIN_ONLY_FIELDS.includes(key)));
  return { ...change, before: strip(change.before), after: strip(change.after) };
}

/** Whether `change` is one `viewerProject` may see and `filter` selects: whereOf's conditions, for changes already read. */
export function selects(change: LoggedChange, viewerProject: string | null, filter: ChangeFilter | null | undefined): boolean {
  if (viewerProject !== null && change.projectId !== viewerProject) return false;
  if (!filter) return true;
  if (filter.projectId && change.projectId !== filter.projectId) return false;
  if (filter.objectType && change.objectType !== filter.objectType) return false;
  if (filter.objectId && change.objectId !== filter.objectId && change.parentId !== filter.objectId) return false;
  if (filter.since && change.committedAt < filter.since) return false;
  if (filter.until && change.committedAt >= filter.until) return false;
  if (filter.actor === 'system') return change.actorTokenId === null;
  if (filter.actor) return change.actorTokenId !== null && change.actorTokenId === filter.actor.toLowerCase();
  return true;
}

type Row = P.ChangeGetPayload<{ include: { changeSet: true } }>;

function toChange(row: Row): LoggedChange {
  return {
    sequence: Number(row.sequence),
    committedAt: row.changeSet.committedAt!,
    action: row.action as ChangeAction,
    objectType: row.objectType,
    objectId: row.objectId,
    parentId: row.parentId,
    projectId: row.projectId,
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null,
    changeSetId: row.changeSetId,
    actorTokenId: row.changeSet.actorTokenId,
  };
}

function whereOf(viewerProject: string | null, filter: ChangeFilter | null | undefined): P.ChangeWhereInput {
  const and: P.ChangeWhereInput[] = [{ sequence: { not: null } }];
  if (viewerProject !== null) and.push({ projectId: viewerProject });
  if (filter?.projectId) and.push({ projectId: filter.projectId });
  if (filter?.objectType) and.push({ objectType: filter.objectType });
  if (filter?.objectId) and.push({ OR: [{ objectId: filter.objectId }, { parentId: filter.objectId }] });
  if (filter?.since) and.push({ changeSet: { committedAt: { gte: filter.since } } });
  if (filter?.until) and.push({ changeSet: { committedAt: { lt: filter.until } } });
  if (filter?.actor === 'system') and.push({ changeSet: { actorTokenId: null } });
  else if (filter?.actor) and.push({ changeSet: isUuid(filter.actor) ? { actorTokenId: filter.actor.toLowerCase() } : { id: { in: [] } } });
  return { AND: and };
}

/** Up to `take` changes in `direction`, between the exclusive bounds. */
export async function readChanges(db: Db, range: ChangeRange): Promise<LoggedChange[]> {
  const where = whereOf(range.viewerProject, range.filter);
  const bounds: P.BigIntNullableFilter = {};
  if (range.afterSequence !== null && range.afterSequence !== undefined) bounds.gt = BigInt(range.afterSequence);
  if (range.beforeSequence !== null && range.beforeSequence !== undefined) bounds.lt = BigInt(range.beforeSequence);
  const rows = await db.change.findMany({
    where: { AND: [where, { sequence: bounds }] },
    include: { changeSet: true },
    orderBy: { sequence: range.direction },
    take: range.take,
  });
  return rows.map((row) => asSeenBy(toChange(row), range.viewerProject));
}

/** One change set with the changes `viewerProject` may see; null when it sees none of them. */
export async function readChangeSet(db: Db, id: string, viewerProject: string | null): Promise<LoggedChangeSet | null> {
  if (!isUuid(id)) return null;
  const set = await db.changeSet.findUnique({
    where: { id: id.toLowerCase() },
    include: { changes: { where: viewerProject === null ? {} : { projectId: viewerProject }, orderBy: { sequence: 'asc' } } },
  });
  if (!set || set.lastSequence === null || set.committedAt === null) return null;
  if (viewerProject !== null && set.changes.length === 0) return null;
  return {
    id: set.id,
    source: set.source,
    actorTokenId: set.actorTokenId,
    actorProjectId: set.actorProjectId,
    committedAt: set.committedAt,
    firstSequence: Number(set.firstSequence),
    lastSequence: Number(set.lastSequence),
    changes: set.changes.map((row) => asSeenBy(toChange({ ...row, changeSet: set }), viewerProject)),
  };
}

/** The newest committed sequence (0 for an empty log). */
export async function latestSequence(db: Db): Promise<number> {
  const latest = await db.changeSet.aggregate({ _max: { lastSequence: true } });
  return Number(latest._max.lastSequence ?? 0);
}

/** The oldest sequence the log still holds (null for an empty log). */
export async function oldestSequence(db: Db): Promise<number | null> {
  const oldest = await db.changeSet.aggregate({ _min: { firstSequence: true } });
  return oldest._min.firstSequence === null ? null : Number(oldest._min.firstSequence);
}
