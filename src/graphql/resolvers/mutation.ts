// Mutations: each runs its service call in one transaction and returns its
// payload; domain failures come back as userErrors with nothing written.
import type { Context } from '../context.js';
import { mutation } from '../../services/transaction.js';
import { viewerOf } from '../authorization.js';
import { MUTATIONS, type MutationInput } from '../../services/mutations.js';
import { originOf } from '../changeOrigin.js';

/** A mutation's own statement_timeout, set only where it differs from the one PostgreSQL's connections carry (reads'). */
function statementTimeoutOf(ctx: Context): number | undefined {
  const { readMs, mutationMs } = ctx.config.statementTimeouts;
  return ctx.db.kind === 'postgres' && mutationMs !== readMs ? mutationMs : undefined;
}

type Resolver = (parent: unknown, args: { input: MutationInput }, ctx: Context) => Promise<unknown>;

function resolverOf(name: string, spec: (typeof MUTATIONS)[keyof typeof MUTATIONS]): Resolver {
  return async (_, { input }, ctx) => {
    const payload = await mutation(ctx.db.prisma, spec.payload, (tx) => spec.run(tx, input, ctx.config, { project: viewerOf(ctx) }), {
      origin: originOf(name, ctx),
      statementTimeoutMs: statementTimeoutOf(ctx),
    });
    // addRouterInterface answers with both the router and its new port.
    if (spec.payload === 'result') {
      const result = payload.result as { router: unknown; port: unknown } | null;
      return { router: result?.router ?? null, port: result?.port ?? null, userErrors: payload.userErrors };
    }
    return payload;
  };
}

export const mutationResolvers: Record<string, Resolver> = Object.fromEntries(
  Object.entries(MUTATIONS).map(([name, spec]) => [name, resolverOf(name, spec)]),
);
