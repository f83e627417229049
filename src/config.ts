// Configuration from environment variables; every default is documented in
// the README's configuration table.
import path from 'node:path';
import { segmentConfigFrom, type SegmentConfig } from './domain/segments.js';
import type { AuthConfig } from './auth/authenticate.js';
import type { QueryLimits } from './graphql/limits.js';
import { corsOriginsFrom } from './http/cors.js';
import { liveConfigFrom, type LiveConfig } from './live/config.js';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  logLevel: string;
  production: boolean;
  segments: SegmentConfig;
  whatIf: { timeoutMs: number; statementTimeoutMs: number };
  auth: AuthConfig;
  limits: QueryLimits & { maxBodyBytes: number; costBudgetPerMinute: number };
  /** PostgreSQL connections of this process, and how many of them what-ifs and set analyses may hold at once. */
  pool: { size: number; analysisSlots: number };
  /** statement_timeout of reads (paths, analyses) and of mutations, in milliseconds (what-ifs: whatIf.statementTimeoutMs). */
  statementTimeouts: { readMs: number; mutationMs: number };
  /** After SIGTERM: how long the server keeps serving (not ready) before it drains and exits. */
  shutdownDelayMs: number;
  /** How long the drain waits for requests in flight before it closes their connections. */
  drainTimeoutMs: number;
  /** Origins whose pages may call /graphql (CORS_ORIGINS). */
  corsOrigins: string[];
  /** The change log's retention, subscriptions and webhooks. */
  live: LiveConfig;
  /** DEMO: load the demo cloud into an empty model at start ('auto': on an embedded database outside production). */
  demo: 'auto' | 'on' | 'off';
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/** One of `choices` (any case), or `fallback` when unset. */
function choiceFrom<C extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly C[], fallback: C): C {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  const choice = choices.find((c) => c === raw);
  if (choice === undefined) throw new ConfigError(`${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got '${env[name]}'`);
  return choice;
}

/** AUTH=on (the default) or off; off is for local development only. */
function authEnabled(env: NodeJS.ProcessEnv): boolean {
  const raw = (env.AUTH ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`AUTH must be 'on' or 'off', got '${env.AUTH}'`);
}

/** DEMO=on, off, or unset (auto). */
function demoSetting(env: NodeJS.ProcessEnv): Config['demo'] {
  const raw = (env.DEMO ?? '').trim().toLowerCase();
  if (raw === '') return 'auto';
  if (raw === 'on' || raw === 'off') return raw;
  throw new ConfigError(`DEMO must be 'on' or 'off', got '${env.DEMO}'`);
}

/** The URL as it may be shown: without the user and password. */
const withoutCredentials = (url: string) => url.replace(/\/\/[^/]*@/, '//***@');

/** A DATABASE_URL that is not a postgres:// or postgresql:// URL is refused here, before anything tries to connect to it. */
function postgresUrl(raw: string): string {
  const example = 'postgresql://user:password@host:5432/database';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a URL: '${withoutCredentials(raw)}'; expected a PostgreSQL URL such as ${example} (or leave it unset for the embedded database)`);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new ConfigError(`DATABASE_URL must be a postgresql:// or postgres:// URL, got a ${url.protocol} URL; for example ${example}`);
  }
  if (!url.hostname && !url.searchParams.has('host')) {
    throw new ConfigError(`DATABASE_URL names no host: '${withoutCredentials(raw)}'; for example ${example}`);
  }
  return raw;
}

function corsOrigins(env: NodeJS.ProcessEnv): string[] {
  try {
    return corsOriginsFrom(env.CORS_ORIGINS);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** PostgreSQL when DATABASE_URL is set, else embedded PGlite in DATA_DIR (default ./.data). */
export function databaseTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: 'postgres', url: postgresUrl(url) };
  const dataDir = env.DATA_DIR || '.data';
  return { kind: 'pglite', dataDir: dataDir === 'memory://' ? dataDir : path.resolve(dataDir) };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const poolSize = intFrom(env, 'DATABASE_POOL_SIZE', 10, 2, 1000);
  return {
    port: intFrom(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    database: databaseTarget(env),
    logLevel: env.LOG_LEVEL || 'info',
    production: env.NODE_ENV === 'production',
    segments: segmentConfigFrom(env),
    whatIf: {
      timeoutMs: intFrom(env, 'WHATIF_TIMEOUT_MS', 60_000, 1_000, 600_000),
      statementTimeoutMs: intFrom(env, 'WHATIF_STATEMENT_TIMEOUT_MS', 10_000, 100, 600_000),
    },
    auth: {
      enabled: authEnabled(env),
      cacheTtlMs: intFrom(env, 'AUTH_CACHE_TTL_MS', 5000, 0, 60_000),
    },
    limits: {
      maxDepth: intFrom(env, 'MAX_QUERY_DEPTH', 12, 1, 100),
      maxAliases: intFrom(env, 'MAX_QUERY_ALIASES', 30, 0, 1000),
      maxCost: intFrom(env, 'MAX_QUERY_COST', 50_000, 1, 1_000_000_000),
      maxBodyBytes: intFrom(env, 'MAX_BODY_BYTES', 1_048_576, 1024, 104_857_600),
      costBudgetPerMinute: intFrom(env, 'COST_BUDGET_PER_MINUTE', 500_000, 0, 1_000_000_000_000),
    },
    pool: { size: poolSize, analysisSlots: intFrom(env, 'ANALYSIS_SLOTS', Math.max(1, Math.floor(poolSize / 3)), 1, poolSize - 1) },
    statementTimeouts: {
      readMs: intFrom(env, 'STATEMENT_TIMEOUT_MS', 30_000, 100, 600_000),
      mutationMs: intFrom(env, 'MUTATION_STATEMENT_TIMEOUT_MS', 30_000, 100, 600_000),
    },
    shutdownDelayMs: intFrom(env, 'SHUTDOWN_DELAY_MS', 1000, 0, 60_000),
    drainTimeoutMs: intFrom(env, 'DRAIN_TIMEOUT_MS', 20_000, 0, 600_000),
    corsOrigins: corsOrigins(env),
    live: liveConfigFrom(env, intFrom, choiceFrom),
    demo: demoSetting(env),
  };
}
