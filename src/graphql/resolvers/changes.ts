// Query.changes and Query.changeSet: the change log, narrowed to what the
// caller may see (a project token: its own project's objects only).
import { GraphQLScalarType, Kind } from 'graphql';
import type { Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { viewerOf } from '../authorization.js';
import { readChanges, readChangeSet, type ChangeFilter, type LoggedChange, type LoggedChangeSet } from '../../services/changes/read.js';
import { diffSince, type DiffSince } from '../../services/changes/diff.js';
import { PathInputError } from '../../services/path.js';
import { pairsOf, type CheckArg } from './whatIf.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

/** Sequences as JSON numbers (exact up to 2^53); input as an Int, a number or a decimal string. */
export const Sequence = new GraphQLScalarType({
  name: 'Sequence',
  serialize: (value) => Number(value),
  parseValue(value) {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new TypeError(`'${String(value)}' is not a sequence`);
    return n;
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.INT || (ast.kind === Kind.STRING && /^\d+$/.test(ast.value))) return Number(ast.value);
    throw new TypeError('a sequence is a non-negative integer');
  },
});

const encode = (sequence: number) => Buffer.from(`seq:${sequence}`, 'utf8').toString('base64url');

function decode(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const n = Number(text.slice(4));
  if (!text.startsWith('seq:') || !Number.isSafeInteger(n) || n < 0) throw badUserInput(`'${cursor}' is not a cursor of the change log`);
  return n;
}

function pageSize(name: string, value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) throw badUserInput(`${name} must be from 0 to ${MAX_PAGE}`);
  return value;
}

interface ChangesArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  order?: 'OLDEST_FIRST' | 'NEWEST_FIRST' | null;
  filter?: ChangeFilter | null;
}

async function changes(_: unknown, args: ChangesArgs, ctx: Context) {
  const first = pageSize('first', args.first);
  const last = pageSize('last', args.last);
  if (first !== null && last !== null) throw badUserInput('give first or last, not both');
  const newestFirst = args.order === 'NEWEST_FIRST';
  const after = args.after ? decode(args.after) : null;
  const before = args.before ? decode(args.before) : null;
  // "after" and "before" are positions in the list's order; the bounds are in sequence order.
  const lower = newestFirst ? before : after;
  const upper = newestFirst ? after : before;
  const backward = last !== null;
  const take = (backward ? last : first ?? DEFAULT_PAGE)!;
  const listAscending = !newestFirst;
  // Paging backward reads from the list's far end toward its start, then turns the page around.
  const readAscending = backward ? !listAscending : listAscending;
  const rows = await readChanges(ctx.db.prisma, {
    viewerProject: viewerOf(ctx),
    filter: args.filter,
    afterSequence: lower,
    beforeSequence: upper,
    direction: readAscending ? 'asc' : 'desc',
    take: take + 1,
  });
  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (backward) page.reverse();
  const edges = page.map((node) => ({ cursor: encode(node.sequence), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: backward ? before !== null : more,
      hasPreviousPage: backward ? more : after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

// A page's changes mostly share a few change sets: each is read once per
// request. Not in subscriptions, whose context lives as long as they do.
const changeSetsRead = new WeakMap<Context, Map<string, Promise<LoggedChangeSet | null>>>();
function changeSetOf(ctx: Context, id: string): Promise<LoggedChangeSet | null> {
  if (ctx.live) return readChangeSet(ctx.db.prisma, id, viewerOf(ctx));
  let read = changeSetsRead.get(ctx);
  if (!read) changeSetsRead.set(ctx, (read = new Map()));
  let set = read.get(id);
  if (!set) read.set(id, (set = readChangeSet(ctx.db.prisma, id, viewerOf(ctx))));
  return set;
}

const actorOf = (set: LoggedChangeSet) => ({ system: set.actorTokenId === null, tokenId: set.actorTokenId, projectId: set.actorProjectId });

export const changeResolvers = {
  Sequence,
  Query: {
    changes,
    changeSet: (_: unknown, { id }: { id: string }, ctx: Context) => readChangeSet(ctx.db.prisma, id, viewerOf(ctx)),
    diff: async (_: unknown, args: { since: DiffSince; check?: CheckArg | null }, ctx: Context) => {
      let pairs;
      try {
        pairs = pairsOf(args.check);
      } catch (error) {
        if (error instanceof PathInputError) throw badUserInput(error.message);
        throw error;
      }
      return diffSince(ctx.db.prisma, args.since, pairs, viewerOf(ctx), ctx.config.whatIf.timeoutMs);
    },
  },
  Change: {
    changeSet: (change: LoggedChange, _: unknown, ctx: Context) => changeSetOf(ctx, change.changeSetId),
  },
  ChangeSet: {
    actor: actorOf,
  },
};
