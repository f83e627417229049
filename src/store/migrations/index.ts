// Prisma migrations without Prisma's native engine (docs/database.md, "Migrations"): the
// same prisma/migrations folder and _prisma_migrations table as the stock CLI.
//
// Every command opens its own connections and closes them before it returns,
// PGlite data directories included, so a server calls deployMigrations before
// opening its own client on the same directory. The engine arms timers that
// it never cancels; they are unreferenced (engine.ts), so a library caller's
// process still exits when its own work is done, and a long-lived process is
// unaffected when they fire. The CLI ends with an explicit exit all the same.
export {
  checkMigrations,
  createMigration,
  deployMigrations,
  migrationStatus,
  type CommandOptions,
  type MigrationStatus,
} from './commands.js';
export type { MigrationPaths } from './files.js';
