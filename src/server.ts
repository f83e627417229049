// The HTTP service: /graphql (Apollo Server over express 5), /healthz
// (process up), /readyz (database answers). Stops gracefully: the HTTP
// server drains in-flight requests, then the database closes. Every GraphQL
// request is authenticated, authorized and held to the query limits; no
// response carries a stack trace or an internal error's message. Each
// request's log line says who asked (token id), what (operation), how long
// it took and how much SQL it ran; secrets are cut out by the logger.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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
import { createMetrics } from './metrics.js';
import { isConnectionLost } from './store/databaseErrors.js';
import { CommitInDoubt } from './services/transaction.js';
import { buildSchema } from './graphql/schema.js';
import { createLoaders } from './graphql/loaders.js';
import type { Context } from './graphql/context.js';
import { guardRootFields } from './graphql/rootGuard.js';
import { costLimitPlugin, limitRules, workRefusal } from './graphql/limits.js';
import { CostBudget } from './graphql/costBudget.js';
import { RequestCost, UNAUTHENTICATED_KEY } from './graphql/requestCost.js';
import { isAbandoned, RequestAbandoned, WorkRefused, withRequestWork } from './services/requestWork.js';
import { WorkSlots } from './services/workSlots.js';
import { withCancellation } from './store/cancellation.js';
import { isStatementTimeout, isTransactionStartTimeout } from './store/databaseErrors.js';
import { visibilityOf } from './graphql/visibility.js';
import { createAuthenticator } from './auth/authenticate.js';
import { TokenRevocations } from './auth/revocations.js';
import { corsFor } from './http/cors.js';
import { mountGraphiql, noApolloLandingPageOrReporting } from './http/graphiql.js';
import { mountWebApp } from './http/webApp.js';
import { startLive } from './live/index.js';
import { UNAUTHENTICATED_ADMIN } from './auth/principal.js';
import type { Send } from './commands/demoCloud.js';

const READY_TIMEOUT_MS = 2000;
/** The drain starts once no connection or request has arrived for this long. */
const ARRIVALS_QUIET_MS = 100;
/** A connection that has sent no request this long after it was accepted is idle, not slow to be read. */
const FIRST_REQUEST_GRACE_MS = 1000;

/**
 * Waits until nothing has arrived for ARRIVALS_QUIET_MS and every accepted
 * connection has sent its request or had FIRST_REQUEST_GRACE_MS to (at most
 * `maxMs`). A connection whose request a busy event loop has not read yet
 * looks idle, and the drain would close it with that request unanswered.
 */
function quietArrivals(httpServer: http.Server): (maxMs: number) => Promise<void> {
  let last = Date.now();
  /** Accepted connections that have sent no request yet, with when they were accepted. */
  const unread = new Map<Socket, number>();
  httpServer.on('connection', (socket: Socket) => {
    last = Date.now();
    unread.set(socket, last);
    socket.once('close', () => unread.delete(socket));
  });
  httpServer.on('request', (req: http.IncomingMessage) => {
    last = Date.now();
    unread.delete(req.socket);
  });
  const fresh = () => [...unread.values()].some((accepted) => Date.now() - accepted < FIRST_REQUEST_GRACE_MS);
  return async (maxMs) => {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, ARRIVALS_QUIET_MS));
      // After the poll phase: every socket that became readable meanwhile has been read.
      await new Promise((r) => setImmediate(r));
      if (Date.now() - last >= ARRIVALS_QUIET_MS && !fresh()) return;
    }
  };
}

/** What the request log line and the metrics say about one /graphql request. */
interface RequestFacts {
  log: Logger;
  sql: SqlCounter;
  /** The operation's name as the document gives it (null: anonymous or not parsed). */
  operationName: string | null;
  /** query, mutation or subscription, once the document is parsed. */
  operationType: string | null;
  tokenId: string | null;
  /** "ok" or the first error's code, once the response is ready. */
  outcome: string | null;
}

/** The outcome of a response that never reached the GraphQL pipeline (no token, malformed request). */
function outcomeOfStatus(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status >= 500) return 'INTERNAL_SERVER_ERROR';
  if (status >= 400) return 'BAD_REQUEST';
  return 'ok';
}

interface RequestLocals {
  sql: SqlCounter;
  facts: RequestFacts;
  cost: RequestCost;
}

/** The request a piece of code runs for: errors formatted deep in Apollo are logged with its request id. */
const currentRequest = new AsyncLocalStorage<RequestFacts>();

/** Records the operation, and logs its variables at debug level (the logger redacts secret ones). */
function requestFactsPlugin(): ApolloServerPlugin<Context & RequestLocals> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, request }) {
          const facts = contextValue.facts;
          facts.operationName = operation?.name?.value ?? null;
          facts.operationType = operation?.operation ?? null;
          facts.log.debug({ operationName: facts.operationName, operationType: facts.operationType, variables: request.variables }, 'graphql operation');
        },
        async willSendResponse({ contextValue, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          contextValue.facts.outcome = errors?.length ? (typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR') : 'ok';
        },
      };
    },
  };
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
  /** Runs one GraphQL operation in-process as the system (no token, an admin): what the server does by itself. Throws on errors. */
  runAsSystem: Send;
  stop(): Promise<void>;
}

/** The request log line's own fields: never the token, only its id. */
function loggedFacts(facts: RequestFacts | undefined) {
  if (!facts) return {};
  return { operationName: facts.operationName, operationType: facts.operationType, tokenId: facts.tokenId, sqlStatements: facts.sql.statements };
}

/**
 * A database connection that died under the request (and could not be
 * retried) is the database's state, not a bug: the client is told what
 * happened and whether its change may have been written.
 */
function causeOf(error: unknown): unknown {
  const cause: unknown = unwrapResolverError(error);
  // Context (authentication) failures come wrapped once more.
  if (cause && typeof cause === 'object' && 'originalError' in cause && cause.originalError) return cause.originalError;
  return cause;
}

function databaseLost(error: unknown): { code: string; message: string } | null {
  const cause = causeOf(error);
  if (cause instanceof CommitInDoubt) return { code: 'COMMIT_IN_DOUBT', message: `${cause.message}: read before you send it again` };
  if (isConnectionLost(cause)) return { code: 'DATABASE_UNAVAILABLE', message: 'the database connection was lost before the request completed; send it again' };
  return null;
}

/**
 * Work refused or stopped by a limit (docs/operations.md, "Cost and
 * limits"): the client is told which, never INTERNAL_SERVER_ERROR.
 */
function limitReached(cause: unknown): { message: string; extensions: Record<string, unknown> } | null {
  if (cause instanceof WorkRefused) {
    const { message, extensions } = workRefusal(cause);
    const { http: _http, ...shown } = extensions;
    return { message, extensions: shown };
  }
  // Nobody reads this answer; a statement cancelled for it fails as query_canceled, which is no timeout.
  if (cause instanceof RequestAbandoned || isAbandoned()) return { message: new RequestAbandoned().message, extensions: { code: 'CLIENT_CLOSED_REQUEST' } };
  if (isStatementTimeout(cause)) {
    return { message: 'a database statement of this request ran longer than its kind of request may (statement_timeout) and was stopped; nothing of it was written', extensions: { code: 'STATEMENT_TIMEOUT' } };
  }
  if (isTransactionStartTimeout(cause)) {
    return { message: 'every database connection stayed busy while this request waited for one; send it again', extensions: { code: 'DATABASE_BUSY' } };
  }
  return null;
}

/** Internal faults answer with a fixed message; the real one goes to the log. */
function formatErrorWith(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
    const limited = limitReached(causeOf(error));
    if (limited) return { message: limited.message, locations: formatted.locations, path: formatted.path, extensions: limited.extensions };
    const lost = databaseLost(error);
    if (lost) {
      (currentRequest.getStore()?.log ?? logger).warn({ err: unwrapResolverError(error), path: formatted.path }, 'database connection lost under a GraphQL request');
      return { message: lost.message, locations: formatted.locations, path: formatted.path, extensions: { code: lost.code } };
    }
    (currentRequest.getStore()?.log ?? logger).error({ err: unwrapResolverError(error), path: formatted.path }, 'internal error in a GraphQL request');
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
  const arrivalsQuiet = quietArrivals(httpServer);
  const analysisSlots = new WorkSlots(config.pool.analysisSlots);
  const metrics = createMetrics(db, analysisSlots);
  const budget = new CostBudget(config.limits.costBudgetPerMinute);
  const apollo = new ApolloServer<Context & RequestLocals>({
    schema: guardRootFields(buildSchema()),
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    validationRules: limitRules(config.limits),
    formatError: formatErrorWith(logger),
    // serve() stops on SIGTERM and SIGINT itself, after the drain period; Apollo's own handler would exit at once.
    stopOnTerminationSignals: false,
    plugins: [
      requestFactsPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.drainTimeoutMs }),
      costLimitPlugin(config.limits.maxCost) as ApolloServerPlugin<Context & RequestLocals>,
      // No cache hints in this schema: the default plugin would only wrap every field resolver to find none.
      ApolloServerPluginCacheControlDisabled(),
      ...noApolloLandingPageOrReporting(),
      ...(options.sqlStats ? [sqlStatsPlugin()] : []),
    ],
    logger,
  });
  await apollo.start();
  const revocations = new TokenRevocations();
  // Without authentication there is no token cache to empty.
  if (config.auth.enabled) await revocations.start(db, logger);
  // One cache per process, for HTTP and WebSocket alike.
  const authenticate = createAuthenticator(db.prisma, config.auth, revocations);
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
      customAttributeKeys: { responseTime: 'durationMs' },
      customProps: (req) => ({ requestId: req.id }),
      customSuccessObject: (_req, res, line) => ({ ...line, ...loggedFacts(res.locals.facts as RequestFacts | undefined) }),
      customErrorObject: (_req, res, _error, line) => ({ ...line, ...loggedFacts(res.locals.facts as RequestFacts | undefined) }),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    }),
  );
  // Prometheus scrapes this; it carries operation names and counts, never tokens or project ids.
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.contentType);
    res.send(await metrics.render());
  });
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
  // Production turns introspection off, and with it what GraphiQL needs: no IDE there.
  if (!config.production) mountGraphiql(app);
  app.use(
    '/graphql',
    express.json({ limit: config.limits.maxBodyBytes }),
    (req, res, next) => {
      // Count this request's SQL from here on, through every resolver it runs.
      const sql: SqlCounter = { statements: 0 };
      const facts: RequestFacts = { log: req.log, sql, operationName: null, operationType: null, tokenId: null, outcome: null };
      const started = process.hrtime.bigint();
      res.once('finish', () =>
        metrics.observe({
          operationName: facts.operationName,
          operationType: facts.operationType,
          outcome: facts.outcome ?? outcomeOfStatus(res.statusCode),
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
          sqlStatements: sql.statements,
        }),
      );
      const cost = new RequestCost(config.limits.maxCost, budget);
      // A client that goes away before its answer abandons the request: its database work is cancelled.
      const abandoned = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) abandoned.abort(new RequestAbandoned());
      });
      res.locals.sql = sql;
      res.locals.facts = facts;
      res.locals.cost = cost;
      // What the cache control plugin answered for every response: answers are never cacheable.
      res.setHeader('cache-control', 'no-store');
      const work = { signal: abandoned.signal, slots: analysisSlots, charge: (amount: number, what: string) => cost.charge(amount, what) };
      currentRequest.run(facts, () => withCounter(sql, () => withCancellation(abandoned.signal, () => withRequestWork(work, () => next()))));
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const facts = res.locals.facts as RequestFacts;
        const cost = res.locals.cost as RequestCost;
        const auth = await authenticate(req.headers.authorization);
        facts.tokenId = auth.tokenId;
        cost.payer = auth.tokenId ?? UNAUTHENTICATED_KEY;
        const see = visibilityOf(auth);
        return { db, config, auth, see, revocations, loaders: createLoaders(db.prisma, see), sql: facts.sql, facts, cost };
      },
    }),
  );
  app.use('/graphql', bodyErrors);
  mountWebApp(app);

  const live = await startLive(config, db, httpServer, { authenticate, revocations }, logger);

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    url: `http://${shown}:${port}/graphql`,
    port,
    markDraining: () => {
      draining = true;
    },
    runAsSystem: async (query, variables) => {
      const sql: SqlCounter = { statements: 0 };
      const facts: RequestFacts = { log: logger, sql, operationName: null, operationType: null, tokenId: null, outcome: null };
      const see = visibilityOf(UNAUTHENTICATED_ADMIN);
      // The server's own work answers to nobody's limit or budget.
      const cost = new RequestCost(Number.POSITIVE_INFINITY, new CostBudget(0));
      const contextValue = { db, config, auth: UNAUTHENTICATED_ADMIN, see, revocations, loaders: createLoaders(db.prisma, see), sql, facts, cost };
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('an operation run by the server answered incrementally');
      const { data, errors } = response.body.singleResult;
      if (errors?.length) throw new Error(errors.map((e) => e.message).join('; '));
      return data;
    },
    stop: async () => {
      await arrivalsQuiet(config.drainTimeoutMs);
      await live.stop();
      await apollo.stop();
      await revocations.stop();
    },
  };
}
