// `token create --project <id> [--read-only] [--name <n>]`, `token create
// --admin [--read-only] [--name <n>]`, `token list`, `token revoke <id>`:
// API tokens, straight in the database (DATABASE_URL, else DATA_DIR). A
// secret is printed once, at creation, alone on stdout so that a script can
// take it; `list` never prints one (only hashes are stored).
import { databaseTarget } from '../config.js';
import { isUuid } from '../services/ids.js';
import { openDatabase, type Prisma } from '../store/db.js';
import { deployMigrations } from '../store/migrations/index.js';
import { createToken, listTokens, revokeToken, TokenInputError, type TokenInfo } from '../auth/tokenStore.js';
import { CommandError, table } from './client.js';

const USAGE = [
  'usage: token create --project <id> [--read-only] [--name <name>]',
  '       token create --admin [--read-only] [--name <name>]',
  '       token list',
  '       token revoke <id>',
].join('\n');

interface CreateArgs {
  projectId: string | null;
  admin: boolean;
  readOnly: boolean;
  name: string;
}

export function parseCreate(args: string[]): CreateArgs {
  const parsed: CreateArgs = { projectId: null, admin: false, readOnly: false, name: '' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--admin') parsed.admin = true;
    else if (arg === '--read-only') parsed.readOnly = true;
    else if (arg === '--project' || arg === '--name') {
      const value = args[++i];
      if (value === undefined) throw new CommandError(`${arg} needs a value`);
      if (arg === '--project') parsed.projectId = value;
      else parsed.name = value;
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

type Action = (prisma: Prisma, io: Io) => Promise<void>;

/** The command's work, from its arguments (refused before the database is opened). */
function actionOf([sub, ...args]: string[]): Action {
  if (sub === 'create') {
    const request = parseCreate(args);
    const scope = request.admin ? { admin: true as const } : { admin: false as const, projectId: request.projectId! };
    return async (prisma, io) => {
      const { token, secret } = await createToken(prisma, { ...scope, name: request.name, readOnly: request.readOnly });
      io.err(`created token ${token.id} (${scopeOf(token)}, ${accessOf(token)}); the secret below is shown only this once:\n`);
      io.out(`${secret}\n`);
    };
  }
  if (sub === 'list' && args.length === 0) {
    return async (prisma, io) => {
      const rows = (await listTokens(prisma)).map((t) => [t.id, t.name, scopeOf(t), accessOf(t), t.createdAt.toISOString(), t.revokedAt?.toISOString() ?? '']);
      io.out(`${table(['id', 'name', 'scope', 'access', 'created', 'revoked'], rows)}\n`);
    };
  }
  if (sub === 'revoke' && args.length === 1) {
    const [id] = args;
    if (!isUuid(id)) throw new CommandError(`'${id}' is not a token id (see token list)`);
    return async (prisma, io) => {
      const token = await revokeToken(prisma, id.toLowerCase());
      if (!token) throw new CommandError(`no token has id ${id}`);
      io.out(`revoked token ${token.id} (${scopeOf(token)}); running servers refuse it within AUTH_CACHE_TTL_MS\n`);
    };
  }
  throw new CommandError(USAGE);
}

export async function tokenCommand(args: string[], env: NodeJS.ProcessEnv = process.env, io: Io = STDIO): Promise<number> {
  try {
    const action = actionOf(args);
    const target = databaseTarget(env);
    await deployMigrations(target);
    const db = await openDatabase(target, { poolSize: 1 });
    try {
      await action(db.prisma, io);
      return 0;
    } finally {
      await db.close();
    }
  } catch (error) {
    if (error instanceof CommandError || error instanceof TokenInputError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
