// importNeutron: the whole document in one transaction, its problems as userErrors.
import type { Context } from '../context.js';
import { originOf } from '../changeOrigin.js';
import { mutation } from '../../services/transaction.js';
import { IMPORT_TIMEOUT_MS, importNeutron, type ImportMode } from '../../services/import/index.js';

interface ImportNeutronArgs {
  input: { document: unknown; mode?: ImportMode | null };
}

export const importResolvers = {
  Mutation: {
    importNeutron: (_: unknown, { input }: ImportNeutronArgs, ctx: Context) =>
      mutation(ctx.db.prisma, 'report', (tx) => importNeutron(tx, input.document, input.mode ?? 'MERGE'), { timeoutMs: IMPORT_TIMEOUT_MS, origin: originOf('importNeutron', ctx) }),
  },
};
