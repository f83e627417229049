// `serve`: apply pending migrations, open the database, serve until SIGTERM
// or SIGINT, then drain requests and close the database.
import type { Logger } from 'pino';
import { loadConfig } from './config.js';
import { createLogger } from './log/logger.js';
import { lockDataDir } from './store/dataDirLock.js';
import { openDatabase, serverPoolOptions } from './store/db.js';
import { deployMigrations } from './store/migrations/index.js';
import { startServer } from './server.js';
import type { Send } from './commands/demoCloud.js';
import { createFirstAdminToken } from './auth/tokenStore.js';
import { demoWanted, loadDemoIntoEmptyModel } from './demoAtStart.js';

/** The first admin token, on stdout, once: it is never stored or shown again. */
function announceFirstToken(secret: string, dashboard: string, demo: string | null): void {
  const rule = '='.repeat(72);
  process.stdout.write(
    `${rule}\nFIRST ADMIN API TOKEN (shown only this once; only its hash is stored):\n\n    ${secret}\n\n` +
      `Sign in with it to the dashboard at ${dashboard}, or send it as\n` +
      `"Authorization: Bearer <token>". Create project tokens with\n` +
      `\`NG_TOKEN=<this token> npm run cli -- token create --project <id>\`.\n` +
      (demo ? `\nThe demo cloud is loaded (${demo}):\nopen the Path explorer and trace test to test2. DEMO=off starts empty.\n` : '') +
      `${rule}\n`,
  );
}

/** The demo cloud, when the model is empty and DEMO allows it; a failure is logged, never fatal. */
async function loadDemo(send: Send, logger: Logger): Promise<string | null> {
  try {
    const demo = await loadDemoIntoEmptyModel(send, () => logger.info('the model is empty: loading the demo cloud (DEMO=off starts empty)'));
    logger.info(demo ? `demo cloud loaded: ${demo}` : 'the model is not empty: the demo cloud is not loaded');
    return demo;
  } catch (error) {
    logger.warn({ err: error }, 'the demo cloud was not loaded');
    return null;
  }
}

export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  const where = config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded PGlite in ${config.database.dataDir}`;
  // The embedded database is this process's alone: refuse before touching it if another server has it.
  const lock = config.database.kind === 'pglite' && config.database.dataDir !== 'memory://' ? lockDataDir(config.database.dataDir) : null;
  const { applied } = await deployMigrations(config.database, { log: (msg) => logger.debug(msg) });
  logger.info({ applied }, `database: ${where}, ${applied.length} migration(s) applied`);
  const db = await openDatabase(config.database, { ...serverPoolOptions(config), onIdleError: (err) => logger.warn({ err }, 'idle database connection lost') });
  let unannounced = config.auth.enabled ? await createFirstAdminToken(db.prisma) : null;
  const withDemo = demoWanted(config);
  // With a demo to load, the token waits for it, so that its banner can say the demo is there.
  const announce = (demo: string | null) => {
    if (unannounced) announceFirstToken(unannounced, `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/`, demo);
    unannounced = null;
  };
  if (!withDemo) announce(null);
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
    // Stopped while the demo loads: the token is shown all the same, since it is never shown again.
    announce(null);
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

  if (withDemo) announce(await loadDemo(server.runAsSystem, logger));
}
