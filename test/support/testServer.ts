// Starts the real HTTP server in-process on a fresh database and talks
// GraphQL to it over HTTP, as a client would. Authentication is off unless
// the test asks for it with AUTH=on; then requests carry an admin token
// unless they bring their own Authorization header. TEST_LOG_LEVEL=error
// shows the server's log (internal errors with their cause).
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase, serverPoolOptions, type Database } from '../../src/store/db.js';
import { startServer } from '../../src/server.js';
import { createToken } from '../../src/auth/tokenStore.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { sqlStatements?: number };
}

export interface TestServer {
  url: string;
  db: Database;
  /** The admin token requests carry by default (null with AUTH=off). */
  adminToken: string | null;
  /** Sends one GraphQL request and returns the body (whatever the HTTP status). */
  request<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Like request, but fails the test on any GraphQL error and returns data. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database: TestDatabase = await createTestDatabase();
  // No cost budget unless the test asks for one: a file's requests all come within a minute.
  const config = { ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', AUTH: 'off', COST_BUDGET_PER_MINUTE: '0', ...env }), database: database.target };
  const db = await openDatabase(config.database, serverPoolOptions(config));
  const server = await startServer(config, db, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { sqlStats: true });
  const adminToken = config.auth.enabled ? (await createToken(db.prisma, { admin: true, name: 'test admin' })).secret : null;
  const request = async (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const ownAuth = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(adminToken && !ownAuth ? { authorization: `Bearer ${adminToken}` } : {}), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse;
  };
  return {
    url: server.url,
    db,
    adminToken,
    request,
    gql: async (query, variables) => {
      const body = await request(query, variables);
      if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    stop: async () => {
      await server.stop();
      await db.close();
      await database.drop();
    },
  };
}
