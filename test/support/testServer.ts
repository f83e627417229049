// Starts the real HTTP server in-process on a fresh database and talks
// GraphQL to it over HTTP, as a client would.
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { startServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface GraphQLResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { sqlStatements?: number };
}

export interface TestServer {
  url: string;
  db: Database;
  /** Sends one GraphQL request; throws on HTTP errors, returns the body. */
  request<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Like request, but fails the test on any GraphQL error and returns data. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database: TestDatabase = await createTestDatabase();
  const config = { ...loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', ...env }), database: database.target };
  const db = await openDatabase(config.database);
  const server = await startServer(config, db, pino({ level: 'silent' }), { sqlStats: true });
  const request = async (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse;
  };
  return {
    url: server.url,
    db,
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
