// `migrate deploy | create <name> | check | status`: prints what it did and
// returns the exit code; the caller ends the process.
import path from 'node:path';
import { databaseTarget, type DatabaseTarget } from '../../config.js';
import { checkMigrations, createMigration, deployMigrations, migrationStatus } from './commands.js';
import { resolvePaths } from './files.js';

export const migrateUsage = `usage: migrate <command>
  deploy          apply the pending migrations (prisma migrate deploy)
  create <name>   write a new migration from the changes in prisma/schema.prisma
                  (prisma migrate dev --create-only; applies pending migrations first)
  check           exit 1 and print the SQL when the migrations do not produce
                  prisma/schema.prisma (needs no database)
  status          list applied and pending migrations; exit 1 unless up to date
The database is DATABASE_URL (PostgreSQL) or else the PGlite folder DATA_DIR (default ./.data);
a PGlite folder must not be in use by a running server at the same time.`;

function describe(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return `PGlite ${target.dataDir}`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

const relative = (file: string) => path.relative(process.cwd(), file) || '.';

type Print = (line: string) => void;

const commands: Record<string, (args: string[], target: DatabaseTarget, print: Print) => Promise<number>> = {
  async deploy(_args, target, print) {
    print(`deploying to ${describe(target)}`);
    const { applied } = await deployMigrations(target, { log: print });
    if (applied.length === 0) print('no pending migrations');
    return 0;
  },

  async create(args, target, print) {
    const [name] = args;
    if (!name || args.length > 1) throw new UsageError('create needs exactly one migration name');
    const { directory } = await createMigration(target, name, { log: print });
    print(directory ? `wrote ${relative(path.join(directory, 'migration.sql'))}` : 'no schema changes: no migration created');
    return 0;
  },

  async check(_args, _target, print) {
    const { schemaPath, migrationsDir } = resolvePaths();
    const { inSync, sql } = await checkMigrations();
    if (inSync) {
      print(`in sync: ${relative(migrationsDir)} produce ${relative(schemaPath)}`);
      return 0;
    }
    print(`out of sync: ${relative(migrationsDir)} do not produce ${relative(schemaPath)}; missing SQL:`);
    print(sql.trimEnd());
    print('create a migration with: npm run db:migrate:create -- <name>');
    return 1;
  },

  async status(_args, target, print) {
    print(`status of ${describe(target)}`);
    const { applied, pending, failed } = await migrationStatus(target);
    for (const name of applied) print(`applied  ${name}`);
    for (const name of failed) print(`FAILED   ${name}`);
    for (const name of pending) print(`pending  ${name}`);
    if (applied.length + failed.length + pending.length === 0) print('no migrations');
    return pending.length + failed.length === 0 ? 0 : 1;
  },
};

class UsageError extends Error {}

/** The engine appends a Rust span trace ("   0: sql_schema_connector::…") that says nothing to a user. */
function firstLines(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  const trace = lines.findIndex((line) => /^\s+\d+: /.test(line));
  return (trace === -1 ? lines : lines.slice(0, trace)).join('\n').trim();
}

export async function runMigrate(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: Print = (line) => console.log(line),
  printError: Print = (line) => console.error(line),
): Promise<number> {
  const [name, ...rest] = args;
  const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    printError(migrateUsage);
    return 1;
  }
  try {
    return await command(rest, databaseTarget(env), print);
  } catch (error) {
    printError(`migrate ${name} failed: ${firstLines(error)}`);
    if (error instanceof UsageError) printError(migrateUsage);
    return 1;
  }
}
