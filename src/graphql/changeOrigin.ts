// A request's change origin: the operation and the token that asked.
import type { ChangeOrigin } from '../services/changeOrigin.js';
import type { Context } from './context.js';

export const originOf = (source: string, ctx: Context): ChangeOrigin => ({
  source,
  tokenId: ctx.auth.tokenId,
  projectId: ctx.auth.projectId,
});
