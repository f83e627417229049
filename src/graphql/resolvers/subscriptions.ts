// Subscription.changes: the change log live, from resumeAfter or from now,
// narrowed to what the caller may see. Only over WebSocket (src/live).
import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import { viewerOf } from '../authorization.js';
import { ResumeTooOld } from '../../live/feed.js';
import type { LiveContext } from '../../live/context.js';
import type { ChangeFilter, LoggedChange } from '../../services/changes/read.js';

export function liveOf(ctx: Context): LiveContext {
  if (!ctx.live) throw new GraphQLError('subscriptions are served over WebSocket (graphql-ws) at /graphql', { extensions: { code: 'BAD_REQUEST' } });
  return ctx.live;
}

interface ChangesArgs {
  filter?: ChangeFilter | null;
  resumeAfter?: number | null;
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
  },
};
