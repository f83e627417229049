// path(from, to, flow): one packet traced through the model.
import type { Context } from '../context.js';
import { adminField, viewerOf } from '../authorization.js';
import { badUserInput } from '../errors.js';
import { EndpointError, type Hop, type PathResult } from '../../domain/path/index.js';
import { renderDiagram, type DiagramFormat } from '../../domain/diagram.js';
import { endpointRef, flowOf, PathInputError, tracePathIn, type EndpointInput } from '../../services/path.js';

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const present = <T>(xs: (T | Error | null)[]) => xs.filter((x): x is T => x !== null && !(x instanceof Error));

export async function resolvePath(ctx: Context, args: { from: EndpointInput; to: EndpointInput; flow?: Row | null; bidirectional?: boolean | null }): Promise<PathResult> {
  try {
    const traced = await tracePathIn(ctx.db.prisma, endpointRef(args.from, 'from'), endpointRef(args.to, 'to'), flowOf(args.flow), viewerOf(ctx), args.bidirectional === true);
    // The answer's hosts and routers come from the snapshot it was traced on, as far as the token may read them.
    if (ctx.auth.isAdmin) for (const host of traced.hostRows) ctx.loaders.host.prime(host.id, host);
    for (const router of traced.routerRows) if (ctx.auth.canRead(router.projectId)) ctx.loaders.router.prime(router.id, router);
    return traced.path;
  } catch (error) {
    if (error instanceof EndpointError || error instanceof PathInputError) throw badUserInput(error.message);
    throw error;
  }
}

export const pathResolvers = {
  Query: {
    path: (_: unknown, args: { from: EndpointInput; to: EndpointInput; flow?: Row | null; bidirectional?: boolean | null }, ctx: Context) => resolvePath(ctx, args),
  },
  // A project's path names hosts by ids opaque to it (asSeenBy): no Host objects.
  Path: {
    hosts: async (path: PathResult, _: unknown, ctx: Context) => (ctx.auth.isAdmin ? present(await ctx.loaders.host.loadMany(path.hostIds)) : []),
    routers: async (path: PathResult, _: unknown, ctx: Context) => present(await ctx.loaders.router.loadMany(path.routerIds)),
    diagram: async (path: PathResult, { format }: { format: DiagramFormat }, ctx: Context) => {
      const hostIds = [...new Set(path.hops.map((h) => h.hostId).filter((id): id is string => id !== null))];
      const hosts = ctx.auth.isAdmin ? (present(await ctx.loaders.host.loadMany(hostIds)) as Row[]) : [];
      return renderDiagram(path, new Map(hosts.map((h) => [h.id, h.name])), format);
    },
  },
  Hop: {
    host: adminField((hop: Hop, _: unknown, ctx: Context) => (hop.hostId ? ctx.loaders.host.load(hop.hostId) : null)),
  },
};
