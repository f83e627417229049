// The HTTP service: /graphql (Apollo Server over express 5), /healthz
// (process up), /readyz (database answers). Stops gracefully: the HTTP
// server drains in-flight requests, then the database closes. Every GraphQL
// request is authenticated, authorized and held to the query limits; no
// response carries a stack trace or an internal error's message.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Database } from './store/db.js';
import { withCounter, type SqlCounter } from './store/sqlStats.js';
import { buildSchema } from './graphql/schema.js';
import { createLoaders } from './graphql/loaders.js';
import type { Context } from './graphql/context.js';
import { guardRootFields } from './graphql/rootGuard.js';
import { costLimitPlugin, limitRules } from './graphql/limits.js';
import { visibilityOf } from './graphql/visibility.js';
import { createAuthenticator } from './auth/authenticate.js';
import { corsFor } from './http/cors.js';
import { mountGraphiql, noApolloLandingPageOrReporting } from './http/graphiql.js';
import { mountWebApp } from './http/webApp.js';
import { startLive } from './live/index.js';

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
  /** From now on /readyz answers 503, so that load balancers send no new requests; everything else still works. */
  markDraining(): void;
  stop(): Promise<void>;
}

/** Internal faults answer with a fixed message; the real one goes to the log. */
function formatErrorWith(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'internal error in a GraphQL request');
    return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** Bodies that are too large or not JSON: a GraphQL-shaped error, never express's HTML page with a stack. */
const bodyErrors: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) req.log.error({ err: error }, 'internal error before GraphQL');
  const message = status === 413 ? 'request body too large' : status === 500 ? 'Internal server error' : 'malformed request body';
  res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
};

export async function startServer(config: Config, db: Database, logger: Logger, options: { sqlStats?: boolean } = {}): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context & RequestLocals>({
    schema: guardRootFields(buildSchema()),
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    validationRules: limitRules(config.limits),
    formatError: formatErrorWith(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      costLimitPlugin(config.limits.maxCost),
      // No cache hints in this schema: the default plugin would only wrap every field resolver to find none.
      ApolloServerPluginCacheControlDisabled(),
      ...noApolloLandingPageOrReporting(),
      ...(options.sqlStats ? [sqlStatsPlugin()] : []),
    ],
    logger,
  });
  await apollo.start();
  const authenticate = createAuthenticator(db.prisma, config.auth);
  if (!config.auth.enabled) logger.warn('AUTH=off: every request is served as an admin, without a token. Use this for local development only.');

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
  let draining = false;
  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining', database: db.kind });
      return;
    }
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
  app.use('/graphql', corsFor(config.corsOrigins));
  mountGraphiql(app);
  app.use(
    '/graphql',
    express.json({ limit: config.limits.maxBodyBytes }),
    (req, res, next) => {
      // Count this request's SQL from here on, through every resolver it runs.
      const sql: SqlCounter = { statements: 0 };
      res.locals.sql = sql;
      // What the cache control plugin answered for every response: answers are never cacheable.
      res.setHeader('cache-control', 'no-store');
      withCounter(sql, () => next());
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const auth = await authenticate(req.headers.authorization);
        const see = visibilityOf(auth);
        return { db, config, auth, see, loaders: createLoaders(db.prisma, see), sql: res.locals.sql as SqlCounter };
      },
    }),
  );
  app.use('/graphql', bodyErrors);
  mountWebApp(app);

  const live = await startLive(config, db, httpServer, logger);

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    url: `http://${shown}:${port}/graphql`,
    port,
    markDraining: () => {
      draining = true;
    },
    stop: async () => {
      await live.stop();
      await apollo.stop();
    },
  };
}
