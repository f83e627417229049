// Mutations: each runs its service call in one transaction and returns its
// payload; domain failures come back as userErrors with nothing written.
import type { Context } from '../context.js';
import { mutation } from '../../services/transaction.js';
import { viewerOf } from '../authorization.js';
import { MUTATIONS, type MutationInput } from '../../services/mutations.js';
import { originOf } from '../changeOrigin.js';

type Resolver = (parent: unknown, args: { input: MutationInput }, ctx: Context) => Promise<unknown>;

function resolverOf(name: string, spec: (typeof MUTATIONS)[keyof typeof MUTATIONS]): Resolver {
  return async (_, { input }, ctx) => {
    const payload = await mutation(ctx.db.prisma, spec.payload, (tx) => spec.run(tx, input, ctx.config, { project: viewerOf(ctx) }), { origin: originOf(name, ctx) });
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
