// `import <dir-or-file> [--mode merge|replace]`: imports a Neutron API
// document straight into the database (DATABASE_URL, else DATA_DIR), all or
// nothing, with a progress bar on a terminal and progress lines in the log.
import cliProgress from 'cli-progress';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../config.js';
import { DomainError, type UserError } from '../services/errors.js';
import { importDocument, type ImportProgress, type ImportReport } from '../services/import/index.js';
import { openDatabase } from '../store/db.js';
import { deployMigrations } from '../store/migrations/index.js';
import { CommandError, parseOptions, table } from './client.js';
import { readDocumentFiles, type Sources } from './documentFiles.js';

const USAGE = 'usage: import <dir-or-file> [--mode merge|replace]';

/** Where a userError's field points: the document path, and the file entry it came from. */
function describeField(error: UserError, sources: Sources): string {
  const [, , key, index, ...rest] = error.field ?? [];
  if (key === undefined) return 'document';
  if (index === undefined) return key;
  const source = sources[key]?.[Number(index)];
  const where = `${key}[${index}]${rest.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')}`;
  return source ? `${where} (${source.file} #${source.index})` : where;
}

function reportTable(report: ImportReport): string {
  const kinds = ['hosts', 'networks', 'subnets', 'securityGroups', 'securityGroupRules', 'instances', 'routers', 'ports', 'floatingIps'] as const;
  return table(
    ['kind', 'created', 'updated', 'unchanged', 'deleted'],
    kinds.map((kind) => [kind, report[kind].created, report[kind].updated, report[kind].unchanged, report[kind].deleted]),
  );
}

/** Reports progress to the log (each phase, each table, each tenth of the rows) and to a bar on a terminal. */
function progressReporter(logger: Logger) {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: 'import |{bar}| {percentage}% {value}/{total} rows {table}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  let table: string | undefined;
  let tenth = 0;
  return {
    onProgress(progress: ImportProgress) {
      if (progress.phase !== 'write') {
        logger.info({ phase: progress.phase }, progress.phase === 'read' ? 'reading the database' : 'checking and planning the document');
        return;
      }
      if (table === undefined) bar?.start(progress.total, 0, { table: progress.table });
      const reached = Math.floor((progress.done * 10) / progress.total);
      if (progress.table !== table || reached > tenth) {
        logger.info({ phase: 'write', table: progress.table, done: progress.done, total: progress.total }, `writing ${progress.table}: ${progress.done}/${progress.total} rows`);
      }
      table = progress.table;
      tenth = reached;
      bar?.update(progress.done, { table });
    },
    stop() {
      bar?.stop();
    },
  };
}

export async function importCommand(args: string[]): Promise<number> {
  const { positional, options } = parseOptions(args, ['mode']);
  if (positional.length !== 1) throw new CommandError(USAGE);
  const mode = (options.mode ?? 'merge').toUpperCase();
  if (mode !== 'MERGE' && mode !== 'REPLACE') throw new CommandError(`--mode is merge or replace\n${USAGE}`);
  const { document, sources } = readDocumentFiles(positional[0]);

  const config = loadConfig();
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const { applied } = await deployMigrations(config.database);
  if (applied.length > 0) logger.info({ applied }, `${applied.length} migration(s) applied`);
  const db = await openDatabase(config.database, { poolSize: 2 });
  const progress = progressReporter(logger);
  const started = Date.now();
  try {
    const report = await importDocument(db.prisma, document, mode, progress.onProgress);
    progress.stop();
    logger.info({ ms: Date.now() - started }, 'import done');
    console.log(`${mode} import of ${positional[0]}:\n${reportTable(report)}`);
    console.log(`local VLANs: ${report.localVlans.allocated} allocated, ${report.localVlans.released} released, ${report.localVlans.kept} kept`);
    for (const warning of report.warnings) console.log(`warning: ${warning}`);
    return 0;
  } catch (error) {
    progress.stop();
    if (!(error instanceof DomainError)) throw error;
    console.error(`nothing was imported: the document has ${error.errors.length} problem(s)`);
    for (const e of error.errors) console.error(`${describeField(e, sources)}: ${e.message}`);
    return 1;
  } finally {
    await db.close();
  }
}
