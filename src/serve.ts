// `serve`: apply pending migrations, open the database, serve until SIGTERM
// or SIGINT, then drain requests and close the database.
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { openDatabase } from './store/db.js';
import { deployMigrations } from './store/migrations/index.js';
import { startServer } from './server.js';

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const logger = pino({ level: config.logLevel });
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite in ${config.database.dataDir}`;
  const { applied } = await deployMigrations(config.database, { log: (msg) => logger.debug(msg) });
  logger.info({ applied }, `database: ${where}, ${applied.length} migration(s) applied`);
  const db = await openDatabase(config.database, { onIdleError: (err) => logger.warn({ err }, 'idle database connection lost') });
  const server = await startServer(config, db, logger, { sqlStats: env.SQL_STATS === '1' });
  logger.info(`serving ${server.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: draining requests`);
    try {
      await server.stop();
      await db.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
