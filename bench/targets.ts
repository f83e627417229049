// The performance targets, checked against one run's results. A target is
// met or missed by a stated amount; the benchmark reports, it never fails
// on a timing.
import type { Results } from './results.js';
import { PATH_KINDS, PATH_LABELS } from './scenarios/paths.js';

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  /** How far off a missed target is. */
  miss: string | null;
}

export const TARGETS = {
  pathTimesFloor: 25,
  scaleRatio: 1.5,
  bindShare: 0.3,
  listStatements: 6,
  loadSeconds: 60,
  rssMB: 400,
  dashboardJsGzipMB: 1,
  pathDrawnMs: 1000,
  topologyDrawnMs: 2000,
  reachabilityMs: 2000,
  exposureMs: 500,
  auditMs: 500,
} as const;

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const percentOver = (value: number, limit: number) => `${fmt(((value - limit) / limit) * 100, 0)}% over`;

/** The worst of the path kinds by `score`, with its label. */
function worst(score: (kind: (typeof PATH_KINDS)[number]) => number) {
  const kind = PATH_KINDS.reduce((a, b) => (score(b) > score(a) ? b : a));
  return { label: PATH_LABELS[kind], value: score(kind) };
}

export function checkTargets(r: Results): TargetCheck[] {
  const bigPorts = r.big.load.vmPorts.toLocaleString('en-US');
  const smallPorts = r.small.load.vmPorts.toLocaleString('en-US');
  const checks: TargetCheck[] = [];
  const add = (target: string, measured: string, met: boolean, miss: string) => checks.push({ target, measured, met, miss: met ? null : miss });

  const timesFloor = worst((k) => r.big.paths[k].latency.p50 / r.big.floor.p50);
  add(
    `path p50 <= ${TARGETS.pathTimesFloor}x the floor (${bigPorts} VM ports)`,
    `worst ${fmt(timesFloor.value)}x (${timesFloor.label})`,
    timesFloor.value <= TARGETS.pathTimesFloor,
    percentOver(timesFloor.value, TARGETS.pathTimesFloor),
  );

  const varying = PATH_KINDS.filter((k) => {
    const s = r.small.paths[k].statements;
    const b = r.big.paths[k].statements;
    return s.min !== s.max || b.min !== b.max || s.min !== b.min;
  });
  add(
    `SQL statements per path constant (${smallPorts} vs ${bigPorts} VM ports)`,
    PATH_KINDS.map((k) => `${PATH_LABELS[k]} ${r.small.paths[k].statements.max}/${r.big.paths[k].statements.max}`).join(', '),
    varying.length === 0,
    `varies for ${varying.map((k) => PATH_LABELS[k]).join(', ')}`,
  );

  const scale = worst((k) => r.big.paths[k].latency.p50 / r.small.paths[k].latency.p50);
  add(
    `path p50 at ${bigPorts} <= ${TARGETS.scaleRatio}x at ${smallPorts} VM ports`,
    `worst ${fmt(scale.value, 2)}x (${scale.label})`,
    scale.value <= TARGETS.scaleRatio,
    percentOver(scale.value, TARGETS.scaleRatio),
  );

  add(
    `binds >= ${TARGETS.bindShare * 100}% of the raw SQL transaction rate`,
    `${fmt(r.binds.ratio * 100, 0)}% (${fmt(r.binds.graphql.perSecond, 0)} vs ${fmt(r.binds.raw.perSecond, 0)} per second)`,
    r.binds.ratio >= TARGETS.bindShare,
    `${fmt((TARGETS.bindShare - r.binds.ratio) * 100, 0)} points short`,
  );

  add(
    `100 ports listed in <= ${TARGETS.listStatements} statements`,
    `${r.portList.statements.max} statements`,
    r.portList.statements.max <= TARGETS.listStatements,
    `${r.portList.statements.max - TARGETS.listStatements} statements over`,
  );

  const loadSeconds = r.big.load.importMs / 1000;
  add(
    `${bigPorts}-VM-port cloud loaded in <= ${TARGETS.loadSeconds} s`,
    `${fmt(loadSeconds)} s (${r.big.load.ports.toLocaleString('en-US')} ports of all kinds)`,
    loadSeconds <= TARGETS.loadSeconds,
    percentOver(loadSeconds, TARGETS.loadSeconds),
  );

  add(
    `server RSS after load <= ${TARGETS.rssMB} MB`,
    `${fmt(r.memory.rssMB, 0)} MB`,
    r.memory.rssMB <= TARGETS.rssMB,
    percentOver(r.memory.rssMB, TARGETS.rssMB),
  );

  const { reachability, exposure, audit } = r.analysis;
  add(
    `reachability of ${reachability.instances} instances x 4 flows (${reachability.pairs.toLocaleString('en-US')} pairs) p50 <= ${TARGETS.reachabilityMs} ms, statements constant`,
    `${fmt(reachability.latency.p50, 0)} ms; ${reachability.statements} statements (${reachability.statementsFor10} for 10 instances)`,
    reachability.latency.p50 <= TARGETS.reachabilityMs && reachability.statements === reachability.statementsFor10,
    reachability.statements !== reachability.statementsFor10 ? 'statements grow with the sets' : percentOver(reachability.latency.p50, TARGETS.reachabilityMs),
  );
  add(`exposure of a ${exposure.instances}-instance project p50 <= ${TARGETS.exposureMs} ms`, `${fmt(exposure.latency.p50, 0)} ms`, exposure.latency.p50 <= TARGETS.exposureMs, percentOver(exposure.latency.p50, TARGETS.exposureMs));
  add(`audit of a project with ${audit.rules} rules p50 <= ${TARGETS.auditMs} ms`, `${fmt(audit.latency.p50, 0)} ms`, audit.latency.p50 <= TARGETS.auditMs, percentOver(audit.latency.p50, TARGETS.auditMs));

  const d = r.dashboard;
  if (d) {
    const gzipMB = d.jsGzipBytes / 1024 / 1024;
    add(`dashboard JavaScript <= ${TARGETS.dashboardJsGzipMB} MB gzip`, `${fmt(gzipMB, 2)} MB`, gzipMB <= TARGETS.dashboardJsGzipMB, percentOver(gzipMB, TARGETS.dashboardJsGzipMB));
    add(`path drawn <= ${TARGETS.pathDrawnMs} ms after Trace (demo cloud, Chromium)`, `max ${fmt(d.pathDrawn.max, 0)} ms`, d.pathDrawn.max <= TARGETS.pathDrawnMs, percentOver(d.pathDrawn.max, TARGETS.pathDrawnMs));
    add(
      `${d.topologyNodes}-node topology drawn <= ${TARGETS.topologyDrawnMs} ms`,
      `max ${fmt(d.topologyDrawn.max, 0)} ms`,
      d.topologyDrawn.max <= TARGETS.topologyDrawnMs,
      percentOver(d.topologyDrawn.max, TARGETS.topologyDrawnMs),
    );
  }
  return checks;
}
