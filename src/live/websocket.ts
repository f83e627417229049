// GraphQL over WebSocket (the graphql-ws protocol) on the HTTP server's
// /graphql: authenticated once, on connection_init, with the same Bearer
// tokens as HTTP, and closed with TOKEN_REVOKED_CLOSE when its token is
// revoked; held to the same query limits; subscriptions counted per
// connection and per process; a connection that reads too slowly is closed
// with SLOW_CONSUMER_CLOSE rather than buffered without bound. A change
// that many subscriptions get is executed once per group of equal ones
// (src/live/sharedExecution.ts).
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../store/db.js';
import type { Principal } from '../auth/principal.js';
import { createLoaders } from '../graphql/loaders.js';
import { limitRules } from '../graphql/limits.js';
import { visibilityOf } from '../graphql/visibility.js';
import type { Context } from '../graphql/context.js';
import type { ChangeFeed } from './feed.js';
import type { LiveAuth } from './index.js';
import { activeTokenIds } from '../auth/tokenStore.js';
import { SLOW_CONSUMER_CLOSE, TOKEN_REVOKED_CLOSE } from './context.js';
import { groupOf, sharedExecution } from './sharedExecution.js';
import { viewerOf } from '../graphql/authorization.js';

interface Connection {
  principal?: Principal;
  operations: Set<string>;
}

const refuse = (message: string) => [new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];

export function mountWebSocket(httpServer: http.Server, schema: GraphQLSchema, config: Config, db: Database, feed: ChangeFeed, { authenticate, revocations }: LiveAuth, logger: Logger) {
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.limits.maxBodyBytes });
  const connections = new WeakMap<WebSocket, Connection>();
  const rules = [...specifiedRules, ...limitRules(config.limits)];
  let open = 0;
  const connectionOf = (socket: WebSocket) => {
    let c = connections.get(socket);
    if (!c) connections.set(socket, (c = { operations: new Set() }));
    return c;
  };
  const release = (c: Connection, id: string) => {
    if (c.operations.delete(id)) open--;
  };
  // Authenticated connections, to close those whose token is revoked.
  const authenticated = new Set<WebSocket>();
  const closeIf = (revoked: (tokenId: string) => boolean) => {
    for (const socket of authenticated) {
      const tokenId = connections.get(socket)?.principal?.tokenId;
      if (tokenId && revoked(tokenId)) socket.close(TOKEN_REVOKED_CLOSE, 'the API token was revoked');
    }
  };
  const stopWatching = revocations.onRevoked((tokenId) => {
    if (tokenId !== null) return closeIf((id) => id === tokenId);
    // Some revocation may have gone unnoticed: ask the database about the tokens in use.
    const inUse = [...new Set([...authenticated].map((s) => connections.get(s)?.principal?.tokenId).filter((id): id is string => Boolean(id)))];
    if (inUse.length === 0) return;
    activeTokenIds(db.prisma, inUse)
      .then((active) => closeIf((id) => !active.has(id)))
      .catch((err) => logger.warn({ err }, 'WebSocket: could not check the tokens of open connections'));
  });

  const shared = sharedExecution();
  // A read's messages to one connection leave in one write, not one each: the feed's
  // subscribers send in the microtasks that follow its read, after it has told its
  // watchers, so the connections are corked until the event loop moves on.
  const raw = new WeakMap<WebSocket, Duplex>();
  wss.on('connection', (socket, request) => raw.set(socket, request.socket));
  const stopBatching = feed.watch(() => {
    const corked = [...wss.clients].map((socket) => raw.get(socket)).filter((s): s is Duplex => s !== undefined);
    for (const socket of corked) socket.cork();
    setImmediate(() => corked.forEach((socket) => socket.uncork()));
  });
  const cleanup = useServer(
    {
      schema,
      subscribe: shared.subscribe,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params.authorization ?? params.Authorization;
        try {
          connectionOf(ctx.extra.socket).principal = await authenticate(typeof header === 'string' ? header : undefined);
          // Gone while its token was looked up: onClose has come already.
          if (ctx.extra.socket.readyState === ctx.extra.socket.OPEN) authenticated.add(ctx.extra.socket);
          return true;
        } catch {
          // graphql-ws closes with 4403 Forbidden.
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const c = connectionOf(ctx.extra.socket);
        if (c.operations.size >= config.live.maxSubscriptionsPerConnection) {
          return refuse(`this connection holds ${c.operations.size} subscriptions, the most one may (MAX_SUBSCRIPTIONS_PER_CONNECTION)`);
        }
        if (open >= config.live.maxSubscriptions) return refuse('the server holds as many subscriptions as it may (MAX_SUBSCRIPTIONS); try again later');
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, rules);
        if (errors.length) return errors;
        const principal = c.principal!;
        shared.join(document, groupOf(payload.query, payload.variables, payload.operationName, viewerOf({ auth: principal })));
        const see = visibilityOf(principal);
        const contextValue: Context = {
          db,
          config,
          auth: principal,
          see,
          revocations,
          loaders: createLoaders(db.prisma, see),
          live: {
            feed,
            maxBufferedBytes: config.live.maxBufferedBytes,
            dropSlow: () => {
              logger.warn({ tokenId: principal.tokenId }, 'subscription dropped: the client read too slowly');
              ctx.extra.socket.close(SLOW_CONSUMER_CLOSE, 'slow consumer: too many unread messages');
            },
          },
        };
        c.operations.add(id);
        open++;
        return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined, contextValue };
      },
      onComplete: (ctx, id) => release(connectionOf(ctx.extra.socket), id),
      onClose: (ctx) => {
        authenticated.delete(ctx.extra.socket);
        const c = connectionOf(ctx.extra.socket);
        for (const id of [...c.operations]) release(c, id);
      },
    },
    wss,
  );

  return {
    /** Subscriptions open on this process. */
    get open() {
      return open;
    },
    stop: async () => {
      stopWatching();
      stopBatching();
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
