// The live side of the server (docs/live.md): the change log's retention,
// the change feed that follows the log, GraphQL subscriptions over
// WebSocket at /graphql, and webhook deliveries.
import type http from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../store/db.js';
import type { Authenticate } from '../auth/authenticate.js';
import type { TokenRevocations } from '../auth/revocations.js';
import { buildSchema } from '../graphql/schema.js';
import { guardRootFields } from '../graphql/rootGuard.js';
import { startPruner } from './pruner.js';
import { ChangeFeed } from './feed.js';
import { mountWebSocket } from './websocket.js';
import { startWebhookWorker } from './webhooks.js';

export interface Live {
  stop(): Promise<void>;
}

/** The server's token checking, shared with the WebSocket. */
export interface LiveAuth {
  authenticate: Authenticate;
  revocations: TokenRevocations;
}

export async function startLive(config: Config, db: Database, httpServer: http.Server, auth: LiveAuth, logger: Logger): Promise<Live> {
  const pruner = startPruner(db.prisma, config.live.retentionDays, config.live.pruneIntervalMs, logger);
  const feed = new ChangeFeed(db, logger);
  await feed.start();
  const ws = mountWebSocket(httpServer, guardRootFields(buildSchema()), config, db, feed, auth, logger);
  const webhooks = startWebhookWorker(db.prisma, feed, { retryForMs: config.live.webhookRetryForMs, retryBaseMs: config.live.webhookRetryBaseMs }, logger);
  return {
    stop: async () => {
      await webhooks.stop();
      await ws.stop();
      await feed.stop();
      await pruner.stop();
    },
  };
}
