// The checks a mutation's input goes through for a project token before its
// service runs. Each adds userErrors to `problems`; an object the principal
// cannot see is NOT_FOUND with the service's own wording, so that another
// project's object and a missing one answer alike.
import type { Principal } from '../auth/principal.js';
import type { Problems } from '../services/errors.js';
import { isUuid } from '../services/ids.js';
import type { Db } from '../services/transaction.js';
import { within, type Visibility } from './visibility.js';

export type Input = Record<string, unknown>;

export interface CheckScope {
  auth: Principal;
  see: Visibility;
  db: Db;
  problems: Problems;
}

/** Returns the input to go on with (a check may fill in a default), or nothing to keep it. */
export type Check = (input: Input, scope: CheckScope) => Promise<Input | void>;

interface Ref {
  id: string;
  projectId: string;
  shared: boolean;
}

type RefKind = 'network' | 'subnet' | 'port' | 'instance' | 'router' | 'floatingIp' | 'securityGroup' | 'securityGroupRule';

const WHAT: Record<RefKind, string> = {
  network: 'network',
  subnet: 'subnet',
  port: 'port',
  instance: 'instance',
  router: 'router',
  floatingIp: 'floating IP',
  securityGroup: 'security group',
  securityGroupRule: 'security group rule',
};

const owner = { id: true, projectId: true } as const;
const plain = (rows: { id: string; projectId: string }[]): Ref[] => rows.map((r) => ({ ...r, shared: false }));

/** The visible rows of `kind` among `ids`, with what ownership needs. */
const FIND: Record<RefKind, (db: Db, ids: string[], see: Visibility) => Promise<Ref[]>> = {
  network: (db, ids, see) => db.network.findMany({ where: within({ id: { in: ids } }, see.network), select: { ...owner, shared: true } }),
  subnet: async (db, ids, see) => plain(await db.subnet.findMany({ where: within({ id: { in: ids } }, see.subnet), select: owner })),
  port: async (db, ids, see) => plain(await db.port.findMany({ where: within({ id: { in: ids } }, see.port), select: owner })),
  instance: async (db, ids, see) => plain(await db.instance.findMany({ where: within({ id: { in: ids } }, see.instance), select: owner })),
  router: async (db, ids, see) => plain(await db.router.findMany({ where: within({ id: { in: ids } }, see.router), select: owner })),
  floatingIp: async (db, ids, see) => plain(await db.floatingIp.findMany({ where: within({ id: { in: ids } }, see.floatingIp), select: owner })),
  securityGroup: async (db, ids, see) => plain(await db.securityGroup.findMany({ where: within({ id: { in: ids } }, see.securityGroup), select: owner })),
  securityGroupRule: async (db, ids, see) => {
    const rows = await db.securityGroupRule.findMany({
      where: within({ id: { in: ids } }, see.securityGroupRule),
      select: { id: true, securityGroup: { select: { projectId: true } } },
    });
    return rows.map((r) => ({ id: r.id, projectId: r.securityGroup.projectId, shared: false }));
  },
};

/**
 * The values at `path` with their input field paths: "networkId",
 * "securityGroupIds[]" (each element), "networks[].networkId".
 */
export function valuesAt(input: unknown, path: string): { value: unknown; field: string[] }[] {
  let found: { value: unknown; field: string[] }[] = [{ value: input, field: [] }];
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    found = found.flatMap(({ value, field }) => {
      const child = value !== null && typeof value === 'object' ? (value as Input)[key] : undefined;
      if (child === null || child === undefined) return [];
      if (!list) return [{ value: child, field: [...field, key] }];
      return Array.isArray(child) ? child.map((item, i) => ({ value: item, field: [...field, key, String(i)] })) : [];
    });
  }
  return found;
}

type Access = 'see' | 'own' | 'attach';

/** Every id at `path` must name a `kind` the principal sees; `own` and `attach` also check whose it is. */
function reference(kind: RefKind, path: string, access: Access): Check {
  return async (input, { auth, see, db, problems }) => {
    const refs = valuesAt(input, path);
    if (refs.length === 0) return;
    const ids = [...new Set(refs.map((r) => r.value).filter(isUuid).map((id) => id.toLowerCase()))];
    const rows = new Map((ids.length ? await FIND[kind](db, ids, see) : []).map((r) => [r.id, r]));
    for (const { value, field } of refs) {
      const row = isUuid(value) ? rows.get(value.toLowerCase()) : undefined;
      if (!row) {
        problems.add('NOT_FOUND', field, `${WHAT[kind]} '${String(value)}' does not exist`);
      } else if (access === 'own' && !auth.canWrite(row.projectId)) {
        problems.add('FORBIDDEN', field, `${WHAT[kind]} ${row.id} belongs to another project`);
      } else if (access === 'attach' && !auth.canWrite(row.projectId) && !row.shared) {
        problems.add('FORBIDDEN', field, `${WHAT[kind]} ${row.id} belongs to another project and is not shared`);
      }
    }
  };
}

/** The object must be visible (own, or a shared or external network and its subnets). */
export const sees = (kind: RefKind, path: string) => reference(kind, path, 'see');
/** The object must be the principal's own. */
export const owns = (kind: RefKind, path: string) => reference(kind, path, 'own');
/** A network to put ports on: own or shared. */
export const attachesTo = (path: string) => reference('network', path, 'attach');

/** The project the change is for: the principal's own; filled in when the input leaves it out. */
export function forProject(field = 'projectId'): Check {
  return async (input, { auth, problems }) => {
    const given = input[field];
    if (given === null || given === undefined) return { ...input, [field]: auth.projectId };
    if (typeof given === 'string' && !auth.canWrite(given)) {
      problems.add('FORBIDDEN', [field], `a token of project ${auth.projectId} cannot act for project '${given}'`);
    }
  };
}

/** Input fields only an admin may set: `isSet` tells a value that needs admin from the default. */
export function adminOnly(field: string, isSet: (value: unknown) => boolean = (v) => v !== null && v !== undefined && v !== false): Check {
  return async (input, { problems }) => {
    if (isSet(input[field])) problems.add('FORBIDDEN', [field], `only an admin may set ${field}`);
  };
}
