// Relay connections over keyset pagination by id: stable under inserts,
// one indexed range scan per page. totalCount is counted only when asked.
import { GraphQLError } from 'graphql';
import { isUuid } from '../services/ids.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  take: number;
  afterId: string | null;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

export const encodeCursor = (id: string) => Buffer.from(`id:${id}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Every list is keyed by a UUID id: anything else was not made by encodeCursor.
  const id = text.slice(3);
  if (!text.startsWith('id:') || !isUuid(id)) throw badInput(`'${cursor}' is not a cursor of this list`);
  return id.toLowerCase();
}

export function pageOf(args: PageArgs): Page {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) throw badInput(`first must be from 0 to ${MAX_PAGE}`);
  return { take: first, afterId: args.after ? decodeCursor(args.after) : null };
}

/** Prisma arguments for one page: ordered by id, starting after the cursor. */
export function pageQuery(page: Page) {
  return {
    take: page.take + 1,
    orderBy: { id: 'asc' as const },
    ...(page.afterId ? { where: { id: { gt: page.afterId } } } : {}),
  };
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/** Builds the connection from rows fetched with pageQuery (one row more than the page). */
export function toConnection<T extends { id: string }>(rows: T[], page: Page, count: () => Promise<number>): Connection<T> {
  const nodes = rows.slice(0, page.take);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > page.take, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: count,
  };
}

/** Lists `where` in pages: `find` gets Prisma findMany arguments, `count` the bare filter. */
export async function listConnection<T extends { id: string }, W extends object>(
  args: PageArgs,
  where: W,
  find: (query: { where: W; take: number; orderBy: { id: 'asc' } }) => Promise<T[]>,
  count: (query: { where: W }) => Promise<number>,
): Promise<Connection<T>> {
  const page = pageOf(args);
  const { take, orderBy, where: after } = pageQuery(page);
  const rows = await find({ where: (after ? { AND: [where, after] } : where) as W, take, orderBy });
  return toConnection(rows, page, () => count({ where }));
}
