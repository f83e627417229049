// The migration commands: each opens its database, runs one engine call
// sequence, and closes everything before returning.
import type { DatabaseTarget } from '../../config.js';
import { scratchAdapterFactory, openAdapterFactory, type MigrationAdapterFactory } from './adapters.js';
import { withEngine, type SchemaEngine, type SchemaFile } from './engine.js';
import { migrationSlug, readMigrations, readSchema, resolvePaths, writeMigration, type MigrationPaths } from './files.js';

export interface CommandOptions extends MigrationPaths {
  /** Progress messages (one per applied migration, warnings). */
  log?: (msg: string) => void;
  /** The engine's own JSON log lines, for debugging. */
  engineLog?: (line: string) => void;
}

const noFilters = { externalTables: [], externalEnums: [] };

interface Inputs {
  schema: SchemaFile;
  migrationsDir: string;
}

async function run<T>(
  openFactory: () => Promise<MigrationAdapterFactory>,
  opts: CommandOptions,
  work: (engine: SchemaEngine, inputs: Inputs) => Promise<T>,
): Promise<T> {
  const { schemaPath, migrationsDir } = resolvePaths(opts);
  const schema = await readSchema(schemaPath);
  return withEngine(await openFactory(), schema, (engine) => work(engine, { schema, migrationsDir }), opts.engineLog);
}

/**
 * `prisma migrate deploy`: applies the pending migrations. For PGlite it opens
 * the data directory (creating it if missing) and closes it again, so call it
 * before the application opens its own client on the same directory.
 */
export function deployMigrations(target: DatabaseTarget, opts: CommandOptions = {}): Promise<{ applied: string[] }> {
  return run(() => openAdapterFactory(target), opts, async (engine, { migrationsDir }) => {
    const migrationsList = await readMigrations(migrationsDir);
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    for (const name of appliedMigrationNames) opts.log?.(`applied ${name}`);
    return { applied: appliedMigrationNames };
  });
}

/**
 * `prisma migrate dev --create-only`: applies pending migrations to the target
 * (as migrate dev does), then writes a migration from the difference between
 * the migrations and the schema. Returns null, writing nothing, when there is
 * no difference; refuses when the database has drifted from the migrations.
 */
export function createMigration(
  target: DatabaseTarget,
  name: string,
  opts: CommandOptions = {},
): Promise<{ directory: string | null }> {
  const migrationName = migrationSlug(name);
  return run(() => openAdapterFactory(target), opts, async (engine, { schema, migrationsDir }) => {
    const migrationsList = await readMigrations(migrationsDir);

    const diagnose = async () => {
      const { action } = await engine.devDiagnostic({ migrationsList, filters: noFilters });
      if (action.tag === 'reset') {
        throw new Error(`the database has drifted from the migrations and would need a reset: ${action.reason}`);
      }
    };
    await diagnose();
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    for (const applied of appliedMigrationNames) opts.log?.(`applied ${applied}`);
    // In the WASM engine, evaluateDataLoss and createMigration cannot open a
    // shadow database themselves; they reuse the migration history that
    // devDiagnostic replayed on one, which only covers every migration once
    // the database is up to date.
    if (appliedMigrationNames.length > 0) await diagnose();

    const loss = await engine.evaluateDataLoss({ migrationsList, schema: { files: [schema] }, filters: noFilters });
    for (const step of [...loss.unexecutableSteps, ...loss.warnings]) opts.log?.(`warning: ${step.message}`);

    const created = await engine.createMigration({
      draft: false,
      migrationName,
      migrationsList,
      schema: { files: [schema] },
      filters: noFilters,
    });
    if (created.migrationScript === null) return { directory: null };
    const directory = await writeMigration(migrationsDir, {
      name: created.generatedMigrationName,
      extension: created.extension,
      script: created.migrationScript,
      provider: created.connectorType,
    });
    opts.log?.(`created ${created.generatedMigrationName}`);
    return { directory };
  });
}

/**
 * Drift check: do the migrations produce exactly the schema? Replays them on
 * an in-memory PGlite shadow database, so it needs no server (CI, a laptop).
 * `sql` is the script that would bring the migrations to the schema.
 */
export function checkMigrations(opts: CommandOptions = {}): Promise<{ inSync: boolean; sql: string }> {
  return run(scratchAdapterFactory, opts, async (engine, { schema, migrationsDir }) => {
    const migrationsList = await readMigrations(migrationsDir);
    const result = await engine.diff({
      // The engine wants a lock file to read migrations; having none means starting from nothing.
      from: migrationsList.migrationDirectories.length > 0 ? { tag: 'migrations', ...migrationsList } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    const inSync = result.exitCode === 0;
    return { inSync, sql: inSync ? '' : (result.stdout ?? '') };
  });
}

export interface MigrationStatus {
  /** Recorded as applied in the database. */
  applied: string[];
  /** In the migrations directory, not yet applied. */
  pending: string[];
  /** Started and failed in the database: deploy refuses to run until resolved. */
  failed: string[];
}

/** Which migrations the database has applied and which are pending (`prisma migrate status`). */
export function migrationStatus(target: DatabaseTarget, opts: CommandOptions = {}): Promise<MigrationStatus> {
  return run(() => openAdapterFactory(target), opts, async (engine, { migrationsDir }) => {
    const migrationsList = await readMigrations(migrationsDir);
    const diagnosis = await engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters: noFilters,
    });
    const history = diagnosis.history;
    const pending = history && 'unappliedMigrationNames' in history ? history.unappliedMigrationNames : [];
    const onlyInDatabase = history && 'unpersistedMigrationNames' in history ? history.unpersistedMigrationNames : [];
    const failed = diagnosis.failedMigrationNames;
    const local = migrationsList.migrationDirectories.map((dir) => dir.path);
    const applied = [...local.filter((name) => !pending.includes(name) && !failed.includes(name)), ...onlyInDatabase];
    return { applied, pending, failed };
  });
}
