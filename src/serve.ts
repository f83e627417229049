// `serve`: apply pending migrations, open the database, serve until SIGTERM
// or SIGINT, then drain requests and close the database.
import { loadConfig } from './config.js';
import { createLogger } from './log/logger.js';
import { lockDataDir } from './store/dataDirLock.js';
import { openDatabase } from './store/db.js';
import { deployMigrations } from './store/migrations/index.js';
import { startServer } from './server.js';
import { createFirstAdminToken } from './auth/tokenStore.js';

/** The first admin token, on stdout, once: it is never stored or shown again. */
function announceFirstToken(secret: string, dashboard: string): void {
  const rule = '='.repeat(72);
  process.stdout.write(
    `${rule}\nFIRST ADMIN API TOKEN (shown only this once; only its hash is stored):\n\n    ${secret}\n\n` +
      `Sign in with it to the dashboard at ${dashboard}, or send it as\n` +
      `"Authorization: Bearer <token>". Create project tokens with\n` +
      `\`NG_TOKEN=<this token> npm run cli -- token create --project <id>\`.\n${rule}\n`,
  );
}

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite in ${config.database.dataDir}`;
  // The embedded database is this process's alone: refuse before touching it if another server has it.
  const lock = config.database.kind === 'pglite' && config.database.dataDir !== 'memory://' ? lockDataDir(config.database.dataDir) : null;
  const { applied } = await deployMigrations(config.database, { log: (msg) => logger.debug(msg) });
  logger.info({ applied }, `database: ${where}, ${applied.length} migration(s) applied`);
  const db = await openDatabase(config.database, { onIdleError: (err) => logger.warn({ err }, 'idle database connection lost') });
  if (config.auth.enabled) {
    const secret = await createFirstAdminToken(db.prisma);
    if (secret) announceFirstToken(secret, `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/`);
  }
  const server = await startServer(config, db, logger, { sqlStats: env.SQL_STATS === '1' });
  logger.info(`serving ${server.url}`);
  lock?.describe(server.url);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.info(`${signal}: already stopping`);
      return;
    }
    stopping = true;
    try {
      if (signal === 'SIGTERM' && config.shutdownDelayMs > 0) {
        // Orchestrators send SIGTERM while their load balancers may still route here: keep
        // serving (not ready) for a while, so that requests already on their way are answered.
        server.markDraining();
        logger.info(`SIGTERM: not ready; serving ${config.shutdownDelayMs} ms more`);
        await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      }
      logger.info(`${signal}: draining requests`);
      await server.stop();
      await db.close();
      lock?.release();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  // Handlers stay installed: a second signal must not kill the process half-way through its drain.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
