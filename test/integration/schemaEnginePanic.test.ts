// A panic of the WASM schema engine fails the command with the engine's
// message, instead of a TypeError thrown where nothing awaits it and a
// command that never ends; a command after it is refused, the instance being
// broken. In a file of its own: a test file has its own engine instance.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { ColumnTypeEnum, type SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { scratchAdapterFactory, type MigrationAdapterFactory } from '../../src/store/migrations/adapters.js';
import { withEngine } from '../../src/store/migrations/engine.js';
import { readMigrations } from '../../src/store/migrations/files.js';
import { checkMigrations } from '../../src/store/migrations/index.js';

// A PGlite start-up takes seconds.
jest.setTimeout(120_000);

const root = fileURLToPath(new URL('../..', import.meta.url));
const schemaPath = path.join(root, 'prisma', 'schema.prisma');

/** One migration with a constraint trigger, as the change log's. */
const CONSTRAINT_TRIGGER = `CREATE TABLE "Sealed" ("id" INTEGER NOT NULL);
CREATE FUNCTION seal() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER "Sealed_seal" AFTER INSERT ON "Sealed" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION seal();
`;

let migrationsDir: string;

beforeAll(async () => {
  migrationsDir = await mkdtemp(path.join(tmpdir(), 'engine-panic-'));
  await cp(path.join(root, 'prisma', 'migrations', 'migration_lock.toml'), path.join(migrationsDir, 'migration_lock.toml'));
  await mkdir(path.join(migrationsDir, '20260101000000_sealed'));
  await writeFile(path.join(migrationsDir, '20260101000000_sealed', 'migration.sql'), CONSTRAINT_TRIGGER);
});
afterAll(async () => rm(migrationsDir, { recursive: true, force: true }));

/** Types "char" columns as text: the engine panics reading a constraint trigger's pg_constraint.contype. */
const charsAsText = (adapter: SqlDriverAdapter): SqlDriverAdapter => ({
  ...adapter,
  queryRaw: async (query) => {
    const result = await adapter.queryRaw(query);
    return { ...result, columnTypes: result.columnTypes.map((t) => (t === ColumnTypeEnum.Character ? ColumnTypeEnum.Text : t)) };
  },
});

it("fails the command with the panic's message, and refuses the next one", async () => {
  const factory = await scratchAdapterFactory();
  const misreading: MigrationAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => charsAsText(await factory.connect()),
    connectToShadowDb: async () => charsAsText(await factory.connectToShadowDb()),
    close: () => factory.close(),
  };
  const schema = { path: schemaPath, content: await readFile(schemaPath, 'utf8') };
  const migrationsList = await readMigrations(migrationsDir);
  const replay = withEngine(misreading, schema, (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...migrationsList },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    }),
  );
  await expect(replay).rejects.toThrow(/^the schema engine failed: panicked at .*constraint_type/s);
  await expect(checkMigrations({ migrationsDir })).rejects.toThrow(/^the schema engine failed earlier in this process, and cannot run again: panicked at /);
});
