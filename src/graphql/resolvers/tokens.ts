// createToken, revokeToken and Query.tokens (admin only: authorization.ts).
// A secret leaves the server once, in createToken's answer; a revocation
// empties this process's token cache before the answer, and the database's
// notification empties every other process's (auth/revocations.ts).
import type { Context } from '../context.js';
import { mutation } from '../../services/transaction.js';
import { fail } from '../../services/errors.js';
import { mustBeUuid } from '../../services/ids.js';
import { createToken, listTokens, revokeToken } from '../../auth/tokenStore.js';

interface CreateTokenInput {
  name: string;
  projectId?: string | null;
  readOnly: boolean;
  expiresAt?: Date | null;
}

export const tokenResolvers = {
  Query: {
    tokens: (_: unknown, __: unknown, ctx: Context) => listTokens(ctx.db.prisma),
  },
  Mutation: {
    createToken: async (_: unknown, { input }: { input: CreateTokenInput }, ctx: Context) => {
      const scope = input.projectId === null || input.projectId === undefined ? { admin: true as const } : { admin: false as const, projectId: input.projectId };
      const { created, userErrors } = await mutation(ctx.db.prisma, 'created', (tx) =>
        createToken(tx, { ...scope, name: input.name, readOnly: input.readOnly, expiresAt: input.expiresAt ?? null }),
      );
      return { token: created?.token ?? null, secret: created?.secret ?? null, userErrors };
    },
    revokeToken: async (_: unknown, { input }: { input: { id: string } }, ctx: Context) => {
      const payload = await mutation(ctx.db.prisma, 'token', async (tx) => {
        const token = await revokeToken(tx, mustBeUuid(input.id, ['id'], 'token'));
        if (!token) fail('NOT_FOUND', ['id'], `token '${input.id}' does not exist`);
        return token;
      });
      if (payload.token) ctx.revocations.revoked(payload.token.id);
      return payload;
    },
  },
};
