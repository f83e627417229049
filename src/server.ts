// The HTTP service: /graphql (Apollo Server over express 5), /healthz
// (process up), /readyz (database answers). Stops gracefully: the HTTP
// server drains in-flight requests, then the database closes.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './store/db.js';
import { withCounter, type SqlCounter } from './store/sqlStats.js';
import { buildSchema } from './graphql/schema.js';
import { createLoaders } from './graphql/loaders.js';
import type { Context } from './graphql/context.js';

/** Request bodies above this are refused before parsing (413). */
export const MAX_BODY = '1mb';
const READY_TIMEOUT_MS = 2000;

interface RequestLocals {
  sql: SqlCounter;
}

/** Adds `extensions.sqlStatements` to responses when SQL_STATS=1 (tests, benchmarks). */
function sqlStatsPlugin(): ApolloServerPlugin<Context & RequestLocals> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.sql.statements };
          }
        },
      };
    },
  };
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(config: Config, db: Database, logger: Logger, options: { sqlStats?: boolean } = {}): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context & RequestLocals>({
    schema: buildSchema(),
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...(options.sqlStats ? [sqlStatsPlugin()] : [])],
    logger,
  });
  await apollo.start();

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && given.length <= 200 ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([
        db.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database did not answer in time')), READY_TIMEOUT_MS).unref()),
      ]);
      res.json({ status: 'ready', database: db.kind });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', database: db.kind, error: (error as Error).message });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY }),
    (req, res, next) => {
      // Count this request's SQL from here on, through every resolver it runs.
      const sql: SqlCounter = { statements: 0 };
      res.locals.sql = sql;
      withCounter(sql, () => next());
    },
    expressMiddleware(apollo, {
      context: async ({ res }) => ({ db, config, loaders: createLoaders(db.prisma), sql: res.locals.sql as SqlCounter }),
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    url: `http://${shown}:${port}/graphql`,
    port,
    stop: async () => {
      await apollo.stop();
    },
  };
}
