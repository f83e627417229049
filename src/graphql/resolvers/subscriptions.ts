// Subscription.changes: the change log live, from resumeAfter or from now,
// narrowed to what the caller may see. Subscription.pathVerdict: a path,
// traced again whenever a committed change touches what it depends on
// (src/live/pathWatch.ts), sent when its verdict, drop reason or hops
// change. Only over WebSocket (src/live).
import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import { viewerOf } from '../authorization.js';
import { ResumeTooOld } from '../../live/feed.js';
import type { LiveContext } from '../../live/context.js';
import type { ChangeFilter, LoggedChange } from '../../services/changes/read.js';
import { EndpointError, type PathResult } from '../../domain/path/index.js';
import { endpointRef, flowOf, PathInputError, type EndpointInput } from '../../services/path.js';
import { traceWatched } from '../../services/pathWatch.js';
import { touches, type PathDependencies } from '../../live/pathWatch.js';
import { createLoaders } from '../loaders.js';
import { badUserInput } from '../errors.js';

export function liveOf(ctx: Context): LiveContext {
  if (!ctx.live) throw new GraphQLError('subscriptions are served over WebSocket (graphql-ws) at /graphql', { extensions: { code: 'BAD_REQUEST' } });
  return ctx.live;
}

interface ChangesArgs {
  filter?: ChangeFilter | null;
  resumeAfter?: number | null;
}

interface PathVerdictArgs {
  from: EndpointInput;
  to: EndpointInput;
  flow?: { protocol?: string | null; destinationPort?: number | null; sourcePort?: number | null } | null;
}

/**
 * What a watcher is told about: the verdict, the drop reason and the hops
 * (where the packet goes: host, namespace, device, kind, VLAN, tunnel id),
 * not the hops' wording (which rule of a group allowed it).
 */
const verdictKey = (path: PathResult) =>
  JSON.stringify([path.verdict, path.dropReason, path.hops.map((h) => [h.hostId, h.namespace, h.device, h.kind, h.vlan, h.tunnelId])]);

/** Shared by a subscription's emissions and its end. */
interface Signal {
  closed: boolean;
  /** Resolves the wait for a relevant change (or the end). */
  wake: (() => void) | null;
}

/**
 * The emissions of one pathVerdict subscription. Its end (the client
 * unsubscribes or goes away) wakes the wait for changes at once: an async
 * generator's own return() would wait until the next emission.
 */
function pathVerdicts(args: PathVerdictArgs, ctx: Context): AsyncIterableIterator<PathResult> {
  const signal: Signal = { closed: false, wake: null };
  const generator = emissions(args, ctx, signal);
  return {
    next: () => generator.next(),
    return: async () => {
      signal.closed = true;
      signal.wake?.();
      return generator.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* emissions(args: PathVerdictArgs, ctx: Context, signal: Signal): AsyncGenerator<PathResult> {
  const live = liveOf(ctx);
  let from, to, flow;
  try {
    from = endpointRef(args.from, 'from');
    to = endpointRef(args.to, 'to');
    flow = flowOf(args.flow as Parameters<typeof flowOf>[0]);
  } catch (error) {
    if (error instanceof PathInputError) throw badUserInput(error.message);
    throw error;
  }
  let deps: PathDependencies | null = null;
  let dirty = false;
  const unwatch = live.feed.watch((changes) => {
    // While a trace runs its dependencies are not known yet: any change counts.
    if (deps === null || changes.some((change) => touches(change, deps!))) {
      dirty = true;
      signal.wake?.();
    }
  });
  try {
    let sent: string | null = null;
    while (!signal.closed) {
      dirty = false;
      deps = null;
      let traced;
      try {
        traced = await traceWatched(ctx.db.prisma, from, to, flow, viewerOf(ctx));
      } catch (error) {
        if (error instanceof EndpointError) throw badUserInput(error.message);
        throw error;
      }
      deps = traced.dependsOn;
      const key = verdictKey(traced.path);
      if (key !== sent) {
        sent = key;
        // The path's Host and Router objects as they are now, not as an earlier emission cached them.
        ctx.loaders = createLoaders(ctx.db.prisma, ctx.see);
        yield traced.path;
      }
      if (!dirty && !signal.closed) await new Promise<void>((resolve) => (signal.wake = resolve));
      signal.wake = null;
    }
  } finally {
    unwatch();
  }
}

export const subscriptionResolvers = {
  Subscription: {
    changes: {
      subscribe: async (_: unknown, args: ChangesArgs, ctx: Context) => {
        const live = liveOf(ctx);
        try {
          return await live.feed.subscribe({
            viewerProject: viewerOf(ctx),
            filter: args.filter ?? null,
            resumeAfter: args.resumeAfter ?? null,
            maxBufferedBytes: live.maxBufferedBytes,
            onSlow: live.dropSlow,
          });
        } catch (error) {
          if (error instanceof ResumeTooOld) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
          throw error;
        }
      },
      resolve: (change: LoggedChange) => change,
    },
    pathVerdict: {
      subscribe: (_: unknown, args: PathVerdictArgs, ctx: Context) => pathVerdicts(args, ctx),
      resolve: (path: PathResult) => path,
    },
  },
};
