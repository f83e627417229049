import type { Config } from '../config.js';
import type { Database } from '../store/db.js';
import type { Principal } from '../auth/principal.js';
import type { TokenRevocations } from '../auth/revocations.js';
import type { Loaders } from './loaders.js';
import type { Visibility } from './visibility.js';
import type { LiveContext } from '../live/context.js';

export interface Context {
  db: Database;
  config: Config;
  loaders: Loaders;
  /** Who is asking (an admin while AUTH=off). */
  auth: Principal;
  /** What `auth` may read, as where clauses to add to every query. */
  see: Visibility;
  /** Where this process hears of revocations (its token cache, its WebSocket connections). */
  revocations: TokenRevocations;
  /** Only in subscriptions (over WebSocket). */
  live?: LiveContext;
}
