// Command-line flags of `npm run bench`. Without flags: the full run (a
// 1,000-port cloud, then the default 100,000-port cloud) that writes
// BENCHMARKS.md; --quick: small clouds and few iterations, a smoke test of
// the harness that takes seconds and writes nothing.
import { checkSize, DEFAULT_SIZE, sizeFor, type CloudSize } from './synthetic.js';
import { DEFAULT_SERVER_URL } from './database.js';

export interface Options {
  quick: boolean;
  /** Keep the benchmark database instead of dropping it. */
  keep: boolean;
  seed: number;
  /** A PostgreSQL server; the benchmark creates its own database there. */
  serverUrl: string;
  small: CloudSize;
  big: CloudSize;
  /** Timed path questions per kind, after `warmup` untimed ones. */
  iterations: number;
  warmup: number;
  /** Binds over GraphQL; as many raw SQL transactions again. */
  binds: number;
  clients: number;
  listIterations: number;
  whatIfRuns: number;
  /** Paths traced and topologies drawn in Chromium, each. */
  dashboardRuns: number;
  /** Where the report goes; null for none. */
  out: string | null;
}

/** A mistake in the flags: reported with the usage, without a stack. */
export class UsageError extends Error {}

export const USAGE = `usage: npm run bench -- [--quick] [--keep] [--seed N] [--out FILE | --no-out]
  [--ports N] [--hosts N] [--network-nodes N] [--projects N] [--networks N] [--instances N] [--routers N]
  [--small-ports N] [--iterations N] [--warmup N] [--binds N] [--clients N]
DATABASE_URL names the PostgreSQL server (default ${DEFAULT_SERVER_URL}); a database ng_bench_<timestamp> is created there.`;

const SIZE_FLAGS: Record<string, keyof CloudSize> = {
  '--ports': 'ports',
  '--hosts': 'hosts',
  '--network-nodes': 'networkNodes',
  '--projects': 'projects',
  '--networks': 'networks',
  '--instances': 'instances',
  '--routers': 'routers',
};

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const quick = argv.includes('--quick');
  const numbers: Record<string, number> = {};
  let out: string | null | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--quick' || flag === '--keep') continue;
    if (flag === '--no-out') {
      out = null;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === '--out') {
      out = value;
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number, got '${value}'`);
    numbers[flag] = n;
  }
  const known = new Set([...Object.keys(SIZE_FLAGS), '--seed', '--small-ports', '--iterations', '--warmup', '--binds', '--clients']);
  const unknown = Object.keys(numbers).find((flag) => !known.has(flag));
  if (unknown) throw new UsageError(`unknown flag ${unknown}`);

  const binds = numbers['--binds'] ?? (quick ? 100 : 3000);
  const bigPorts = numbers['--ports'] ?? (quick ? 2000 : DEFAULT_SIZE.ports);
  // The quick run's what-if asks 90 pairs (10 instances), not 2,450: it is a smoke test.
  const big: CloudSize = { ...sizeFor(bigPorts), sparePorts: 2 * binds, whatIfInstances: quick ? 10 : DEFAULT_SIZE.whatIfInstances };
  for (const [flag, key] of Object.entries(SIZE_FLAGS)) if (numbers[flag] !== undefined) big[key] = numbers[flag];
  const small: CloudSize = { ...sizeFor(numbers['--small-ports'] ?? (quick ? 500 : 1000), big), sparePorts: 0 };
  for (const size of [small, big]) {
    try {
      checkSize(size);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return {
    quick,
    keep: argv.includes('--keep'),
    seed: numbers['--seed'] ?? 42,
    serverUrl: env.DATABASE_URL || DEFAULT_SERVER_URL,
    small,
    big,
    iterations: numbers['--iterations'] ?? (quick ? 20 : 500),
    warmup: numbers['--warmup'] ?? (quick ? 5 : 50),
    binds,
    clients: numbers['--clients'] ?? 8,
    listIterations: quick ? 10 : 200,
    whatIfRuns: quick ? 1 : 5,
    dashboardRuns: quick ? 2 : 10,
    out: out === undefined ? (quick ? null : 'BENCHMARKS.md') : out,
  };
}
