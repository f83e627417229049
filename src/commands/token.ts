// `token create --project <id> [--read-only] [--name <n>] [--expires <time>]`,
// `token create --admin [...]`, `token list`, `token revoke <id>`: API tokens.
// Through a running server's API (createToken, tokens, revokeToken) when
// there is one: NG_URL names it, or, on the embedded database, the data
// directory's lock says where its server listens; NG_TOKEN is then an admin
// token. Otherwise straight in the database (DATABASE_URL, else DATA_DIR,
// locked meanwhile). A secret is printed once, at creation, alone on stdout
// so that a script can take it; `list` never prints one (only hashes are
// stored).
import { databaseTarget } from '../config.js';
import { isUuid } from '../services/ids.js';
import { DomainError } from '../services/errors.js';
import { openDatabase } from '../store/db.js';
import { lockDataDir, serverHolding } from '../store/dataDirLock.js';
import { deployMigrations } from '../store/migrations/index.js';
import { createToken, listTokens, revokeToken, type TokenInfo, type TokenScope } from '../auth/tokenStore.js';
import { CommandError, graphql, table } from './client.js';

const USAGE = [
  'usage: token create --project <id> [--read-only] [--name <name>] [--expires <ISO time>]',
  '       token create --admin [--read-only] [--name <name>] [--expires <ISO time>]',
  '       token list',
  '       token revoke <id>',
].join('\n');

interface CreateArgs {
  projectId: string | null;
  admin: boolean;
  readOnly: boolean;
  name: string;
  expiresAt: Date | null;
}

export function parseCreate(args: string[]): CreateArgs {
  const parsed: CreateArgs = { projectId: null, admin: false, readOnly: false, name: '', expiresAt: null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--admin') parsed.admin = true;
    else if (arg === '--read-only') parsed.readOnly = true;
    else if (arg === '--project' || arg === '--name' || arg === '--expires') {
      const value = args[++i];
      if (value === undefined) throw new CommandError(`${arg} needs a value`);
      if (arg === '--project') parsed.projectId = value;
      else if (arg === '--name') parsed.name = value;
      else {
        parsed.expiresAt = new Date(value);
        if (Number.isNaN(parsed.expiresAt.getTime())) throw new CommandError(`--expires takes a time such as 2027-01-31T00:00:00Z, not '${value}'`);
      }
    } else throw new CommandError(`unknown argument '${arg}'\n${USAGE}`);
  }
  if (parsed.admin === (parsed.projectId !== null)) throw new CommandError(`give either --project <id> or --admin\n${USAGE}`);
  return parsed;
}

const scopeOf = (t: TokenInfo) => (t.admin ? 'admin' : `project ${t.projectId}`);
const accessOf = (t: TokenInfo) => (t.readOnly ? 'read-only' : 'read-write');

/** Where the command writes: the secret and listings to `out`, notes and errors to `err`. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** What the command needs of tokens, from the database or from a server's API. */
interface Tokens {
  create(request: CreateArgs): Promise<{ token: TokenInfo; secret: string }>;
  list(): Promise<TokenInfo[]>;
  /** null when no token has this id. */
  revoke(id: string): Promise<TokenInfo | null>;
}

type Action = (tokens: Tokens, io: Io) => Promise<void>;

/** The command's work, from its arguments (refused before anything is opened). */
function actionOf([sub, ...args]: string[]): Action {
  if (sub === 'create') {
    const request = parseCreate(args);
    return async (tokens, io) => {
      const { token, secret } = await tokens.create(request);
      io.err(`created token ${token.id} (${scopeOf(token)}, ${accessOf(token)}); the secret below is shown only this once:\n`);
      io.out(`${secret}\n`);
    };
  }
  if (sub === 'list' && args.length === 0) {
    return async (tokens, io) => {
      const rows = (await tokens.list()).map((t) => [t.id, t.name, scopeOf(t), accessOf(t), t.createdAt.toISOString(), t.expiresAt?.toISOString() ?? '', t.revokedAt?.toISOString() ?? '']);
      io.out(`${table(['id', 'name', 'scope', 'access', 'created', 'expires', 'revoked'], rows)}\n`);
    };
  }
  if (sub === 'revoke' && args.length === 1) {
    const [id] = args;
    if (!isUuid(id)) throw new CommandError(`'${id}' is not a token id (see token list)`);
    return async (tokens, io) => {
      const token = await tokens.revoke(id.toLowerCase());
      if (!token) throw new CommandError(`no token has id ${id}`);
      io.out(`revoked token ${token.id} (${scopeOf(token)}); every running server refuses it from now on\n`);
    };
  }
  throw new CommandError(USAGE);
}

const TOKEN_FIELDS = 'id name projectId admin readOnly createdAt expiresAt revokedAt';

interface TokenJson {
  id: string;
  name: string;
  projectId: string | null;
  admin: boolean;
  readOnly: boolean;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

const fromJson = (t: TokenJson): TokenInfo => ({
  ...t,
  createdAt: new Date(t.createdAt),
  expiresAt: t.expiresAt === null ? null : new Date(t.expiresAt),
  revokedAt: t.revokedAt === null ? null : new Date(t.revokedAt),
});

type UserErrors = { userErrors: { code: string; message: string }[] };
const refused = (payload: UserErrors) => new CommandError(payload.userErrors.map((e) => e.message).join('; '));

/** Tokens through a running server's API, as the admin token NG_TOKEN. */
function overHttp(env: NodeJS.ProcessEnv): Tokens {
  const ask = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    try {
      return await graphql<T>(query, variables, env);
    } catch (error) {
      if (error instanceof CommandError && !env.NG_TOKEN) throw new CommandError(`${error.message} (set NG_TOKEN to an admin token of the server at ${env.NG_URL})`);
      throw error;
    }
  };
  return {
    create: async (request) => {
      const input = { name: request.name, projectId: request.admin ? null : request.projectId, readOnly: request.readOnly, expiresAt: request.expiresAt?.toISOString() ?? null };
      const { createToken: payload } = await ask<{ createToken: UserErrors & { token: TokenJson | null; secret: string | null } }>(
        `mutation($input: CreateTokenInput!) { createToken(input: $input) { token { ${TOKEN_FIELDS} } secret userErrors { code message } } }`,
        { input },
      );
      if (!payload.token || !payload.secret) throw refused(payload);
      return { token: fromJson(payload.token), secret: payload.secret };
    },
    list: async () => (await ask<{ tokens: TokenJson[] }>(`{ tokens { ${TOKEN_FIELDS} } }`)).tokens.map(fromJson),
    revoke: async (id) => {
      const { revokeToken: payload } = await ask<{ revokeToken: UserErrors & { token: TokenJson | null } }>(
        `mutation($id: ID!) { revokeToken(input: { id: $id }) { token { ${TOKEN_FIELDS} } userErrors { code message } } }`,
        { id },
      );
      if (payload.token) return fromJson(payload.token);
      if (payload.userErrors.some((e) => e.code === 'NOT_FOUND')) return null;
      throw refused(payload);
    },
  };
}

/** The running server to ask, if there is one: NG_URL, else the server holding the embedded database's lock. */
function runningServer(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | null {
  if (env.NG_URL) return env;
  const target = databaseTarget(env);
  if (target.kind !== 'pglite' || target.dataDir === 'memory://') return null;
  const holder = serverHolding(target.dataDir);
  if (!holder) return null;
  if (!holder.url) throw new CommandError(`neutron-graph process ${holder.pid} is starting on ${target.dataDir}; try again once it serves`);
  return { ...env, NG_URL: holder.url };
}

/** Runs `action` straight in the database; the embedded one is locked meanwhile, so that no server opens it too. */
async function inDatabase(env: NodeJS.ProcessEnv, io: Io, action: Action): Promise<void> {
  const target = databaseTarget(env);
  const lock = target.kind === 'pglite' && target.dataDir !== 'memory://' ? lockDataDir(target.dataDir) : null;
  try {
    await deployMigrations(target);
    const db = await openDatabase(target, { poolSize: 1 });
    try {
      const tokens: Tokens = {
        create: (request) => {
          const scope: TokenScope = request.admin ? { admin: true } : { admin: false, projectId: request.projectId! };
          return createToken(db.prisma, { ...scope, name: request.name, readOnly: request.readOnly, expiresAt: request.expiresAt });
        },
        list: () => listTokens(db.prisma),
        revoke: (id) => revokeToken(db.prisma, id),
      };
      await action(tokens, io);
    } finally {
      await db.close();
    }
  } finally {
    lock?.release();
  }
}

export async function tokenCommand(args: string[], env: NodeJS.ProcessEnv = process.env, io: Io = STDIO): Promise<number> {
  try {
    const action = actionOf(args);
    const server = runningServer(env);
    if (server) await action(overHttp(server), io);
    else await inDatabase(env, io, action);
    return 0;
  } catch (error) {
    if (error instanceof CommandError || error instanceof DomainError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
