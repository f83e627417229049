// Who and what a transaction's changes come from, told to the change log's
// triggers as transaction-local settings (docs/live.md): the first change a
// transaction writes opens its change set with them.
import type { Tx } from './transaction.js';

export interface ChangeOrigin {
  /** The mutation or import, e.g. bindPort or importNeutron. */
  source: string;
  /** The token that asked; null for the system. */
  tokenId: string | null;
  /** The project of a project token; null for an admin or the system. */
  projectId: string | null;
}

/** `fn`, preceded in its transaction by the settings that attribute its changes. */
export function withOrigin<T>(origin: ChangeOrigin, fn: (tx: Tx) => Promise<T>): (tx: Tx) => Promise<T> {
  return async (tx) => {
    await tx.$executeRaw`SELECT set_config('neutron.change_source', ${origin.source}, true), set_config('neutron.change_token', ${origin.tokenId ?? ''}, true), set_config('neutron.change_project', ${origin.projectId ?? ''}, true)`;
    return fn(tx);
  };
}
