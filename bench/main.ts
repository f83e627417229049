// The benchmark run: loads a small and a big synthetic cloud into a fresh
// PostgreSQL database through the bulk import, serves it with the real HTTP
// server in this process, measures it as clients would, prints the figures
// and the targets, and (full run) writes them into BENCHMARKS.md. It fails
// only when the harness breaks (a GraphQL error, a wrong answer, a
// duplicate VLAN), never because of a timing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { openDatabase, type Database } from '../src/store/db.js';
import { GraphQLClient } from './client.js';
import { createBenchDatabase, emptyModel } from './database.js';
import { describeMachine } from './machine.js';
import { memoryAfterGc } from './memory.js';
import { parseOptions, USAGE, UsageError, type Options } from './options.js';
import { printReport, writeReport } from './report.js';
import type { CloudResults, Results } from './results.js';
import { measureAnalysis } from './scenarios/analysis.js';
import { measureBinds } from './scenarios/binds.js';
import { measureDashboard } from './scenarios/dashboard.js';
import { floorProbe } from './scenarios/floor.js';
import { loadCloud, type LoadedCloud } from './scenarios/load.js';
import { measurePaths } from './scenarios/paths.js';
import { measurePortList } from './scenarios/portList.js';
import { measureWhatIf } from './scenarios/whatIf.js';
import type { CloudSize } from './synthetic.js';
import { checkTargets } from './targets.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function measureCloud(db: Database, client: GraphQLClient, size: CloudSize, options: Options, first: boolean): Promise<{ results: CloudResults; cloud: LoadedCloud }> {
  log(`generating and importing a cloud of ${size.ports.toLocaleString('en-US')} VM ports`);
  const { cloud, figures } = await loadCloud(db, size, options.seed);
  log(`imported ${figures.ports.toLocaleString('en-US')} ports in ${(figures.importMs / 1000).toFixed(1)} s; measuring ${options.iterations} paths per kind`);
  const floor = await floorProbe(db);
  // A fresh process answers slower until its code is optimized: the first cloud's figures would carry that.
  if (first) await measurePaths(client, cloud.paths, options.iterations, options.warmup, floor);
  const measured = await measurePaths(client, cloud.paths, options.iterations, options.warmup, floor);
  return { results: { size, load: figures, floor: measured.floor, paths: measured.paths }, cloud };
}

async function run(options: Options): Promise<Results> {
  const started = performance.now();
  const database = await createBenchDatabase(options.serverUrl);
  log(`database ${database.name}`);
  let db: Database | null = null;
  let server: RunningServer | null = null;
  let client: GraphQLClient | null = null;
  try {
    // The benchmark measures the engine: one client asks all day, with no budget per minute.
    const config = loadConfig({ ...process.env, DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', AUTH: 'off', COST_BUDGET_PER_MINUTE: '0' });
    db = await openDatabase(config.database);
    server = await startServer(config, db, pino({ level: 'silent' }), { sqlStats: true });
    client = new GraphQLClient(server.url, options.clients);
    const machine = await describeMachine(db);

    const small = await measureCloud(db, client, options.small, options, true);
    await emptyModel(db);
    const big = await measureCloud(db, client, options.big, options, false);
    const memory = await memoryAfterGc();

    log('listing ports');
    const portList = await measurePortList(client, db, options.listIterations, Math.ceil(options.listIterations / 10));
    log(`what-if over the ${options.big.whatIfInstances} instances of one project`);
    const whatIf = await measureWhatIf(client, big.cloud.whatIf, options.big.whatIfInstances, options.whatIfRuns);
    const reachable = options.quick ? 20 : 100;
    log(`reachability of ${reachable} instances, exposure and audit of one project`);
    const analysis = await measureAnalysis(client, big.cloud.whatIf.projectId, options.whatIfRuns, reachable);
    log(`${options.binds} binds over GraphQL and as raw SQL, ${options.clients} clients each`);
    const binds = await measureBinds(client, database.url, big.cloud.spares, options.clients);
    if (binds.duplicates.hostVlan > 0 || binds.duplicates.hostNetwork > 0 || binds.unwired > 0 || binds.misbound > 0) {
      throw new Error(
        `binding invariants broken: ${binds.duplicates.hostVlan} duplicate (host, VLAN), ${binds.duplicates.hostNetwork} duplicate (host, network), ` +
          `${binds.unwired} bound ports without a VLAN, ${binds.misbound} spare ports not bound where sent`,
      );
    }
    log(`the dashboard in Chromium: ${options.dashboardRuns} paths and topologies`);
    const dashboard = await measureDashboard(options.serverUrl, options.dashboardRuns, log);
    return {
      machine,
      quick: options.quick,
      seed: options.seed,
      iterations: options.iterations,
      warmup: options.warmup,
      small: small.results,
      big: big.results,
      memory,
      portList,
      whatIf,
      analysis,
      binds,
      dashboard,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    client?.close();
    await server?.stop();
    await db?.close();
    if (options.keep) log(`kept ${database.url}`);
    else await database.drop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const results = await run(options);
  const checks = checkTargets(results);
  process.stdout.write(`${printReport(results, checks)}\n`);
  if (options.out) {
    const file = path.resolve(ROOT, options.out);
    writeReport(file, results, checks);
    log(`wrote ${path.relative(process.cwd(), file) || file}`);
  }
}

export async function benchmark(): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
    else process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
