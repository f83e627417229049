// Prometheus metrics of one server (prom-client, a registry per server):
// GraphQL requests by operation, type and outcome, their latency, the SQL
// statements each ran, the PostgreSQL pool's use, the analyses' share of
// it, and Node's own process metrics (event-loop lag, heap, CPU, handles).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from './store/db.js';
import type { WorkSlots } from './services/workSlots.js';

/** Operation names are chosen by clients: beyond this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;

export interface RequestObservation {
  /** The operation's name in the document; null when anonymous or never parsed. */
  operationName: string | null;
  /** query, mutation, subscription; null when never parsed. */
  operationType: string | null;
  /** "ok", or the first error's code (UNAUTHENTICATED, BAD_USER_INPUT, …). */
  outcome: string;
  seconds: number;
  sqlStatements: number;
}

export interface Metrics {
  readonly contentType: string;
  observe(request: RequestObservation): void;
  /** The exposition text of every metric. */
  render(): Promise<string>;
}

export function createMetrics(db: Database, analysisSlots: WorkSlots): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'neutron_graph_graphql_requests_total',
    help: 'GraphQL requests answered, by operation name, operation type and outcome (ok or the first error code)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'neutron_graph_graphql_request_duration_seconds',
    help: 'Time from a /graphql request body being read to its response being sent',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const statements = new Histogram({
    name: 'neutron_graph_graphql_sql_statements',
    help: 'SQL statements one GraphQL request sent to the database',
    labelNames: ['operation', 'type'] as const,
    buckets: [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers,
  });
  new Gauge({
    name: 'neutron_graph_db_pool_connections',
    help: 'PostgreSQL connection pool: max, total open, idle, and requests waiting for a connection (absent on the embedded database)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const use = db.poolUse();
      if (!use) return;
      for (const state of ['max', 'total', 'idle', 'waiting'] as const) this.set({ state }, use[state]);
    },
  });

  new Gauge({
    name: 'neutron_graph_analysis_slots',
    help: 'Slots of the pool that what-ifs, diffs, reachability and exposure share: size, taken, and requests waiting for one',
    labelNames: ['state'] as const,
    registers,
    collect() {
      this.set({ state: 'size' }, analysisSlots.size);
      this.set({ state: 'taken' }, analysisSlots.taken);
      this.set({ state: 'waiting' }, analysisSlots.waiting);
    },
  });

  const seen = new Set<string>();
  const operationLabel = (name: string | null): string => {
    if (name === null) return '(anonymous)';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_NAMES) return '(other)';
    seen.add(name);
    return name;
  };

  return {
    contentType: registry.contentType,
    observe: (request) => {
      const operation = operationLabel(request.operationName);
      const type = request.operationType ?? '(none)';
      requests.inc({ operation, type, outcome: request.outcome });
      duration.observe({ operation, type }, request.seconds);
      statements.observe({ operation, type }, request.sqlStatements);
    },
    render: () => registry.metrics(),
  };
}
