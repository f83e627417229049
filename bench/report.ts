// The run's figures as tables: printed on the console, and written into
// BENCHMARKS.md between two markers, so that the prose around them (method,
// findings) stays as written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { CloudResults, Results } from './results.js';
import { PATH_KINDS, PATH_LABELS } from './scenarios/paths.js';
import type { TargetCheck } from './targets.js';

type Table = { head: string[]; rows: string[][] };

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const range = (s: { min: number; max: number }) => (s.min === s.max ? String(s.max) : `${s.min}-${s.max}`);

function cloudLabel(c: CloudResults): string {
  return `${count(c.load.vmPorts)} VM ports`;
}

export function pathTable(r: Results): Table {
  const rows: string[][] = [];
  for (const kind of PATH_KINDS) {
    for (const cloud of [r.small, r.big]) {
      const p = cloud.paths[kind];
      const scale = cloud === r.big ? `${(p.latency.p50 / r.small.paths[kind].latency.p50).toFixed(2)}x` : '';
      rows.push([PATH_LABELS[kind], cloudLabel(cloud), ms(p.latency.p50), ms(p.latency.p99), `${(p.latency.p50 / cloud.floor.p50).toFixed(1)}x`, range(p.statements), String(p.hops), scale]);
    }
  }
  return { head: ['path', 'cloud', 'p50 ms', 'p99 ms', 'p50 / floor', 'SQL statements', 'hops', 'p50 big / small'], rows };
}

export function figureTable(r: Results): Table {
  const b = r.binds;
  const rows = [
    ['clouds', `${cloudLabel(r.small)} (${count(r.small.load.ports)} ports, ${count(r.small.size.hosts)} hosts); ${cloudLabel(r.big)} (${count(r.big.load.ports)} ports, ${count(r.big.size.hosts)} hosts, ${count(r.big.size.projects)} projects, ${count(r.big.size.networks)} networks, ${count(r.big.size.instances)} instances, ${count(r.big.size.routers)} routers)`],
    [`floor: one indexed SELECT through the server's pool, p50 (sampled in blocks among the path questions)`, `${ms(r.small.floor.p50)} ms (${cloudLabel(r.small)}), ${ms(r.big.floor.p50)} ms (${cloudLabel(r.big)})`],
    ['path samples per kind and cloud', `${r.iterations} after ${r.warmup} warm-up, one request at a time, the four kinds in turn`],
    [`binds over GraphQL, ${b.clients} clients`, `${count(b.graphql.perSecond)} per second (${count(b.graphql.binds)} binds in ${ms(b.graphql.ms / 1000)} s, ${b.graphql.statements} SQL statements and ${ms(b.graphql.cpuMs)} ms of this process's CPU each)`],
    [`raw SQL bind transaction, ${b.clients} pg connections`, `${count(b.raw.perSecond)} per second (${count(b.raw.binds)} in ${ms(b.raw.ms / 1000)} s, 6 statements and ${ms(b.raw.cpuMs)} ms of this process's CPU each)`],
    ['binds / raw SQL', `${(b.ratio * 100).toFixed(0)}%`],
    [
      `bindPort of a missing port over GraphQL, ${b.clients} clients (the floor of a transactional mutation)`,
      `${count(b.refused.perSecond)} per second = ${((b.refused.perSecond / b.raw.perSecond) * 100).toFixed(0)}% of raw SQL (${b.refused.statements} SQL statements and ${ms(b.refused.cpuMs)} ms of this process's CPU each)`,
    ],
    ['duplicate (host, VLAN) / (host, network); bound ports without VLAN; binds gone astray', `${b.duplicates.hostVlan} / ${b.duplicates.hostNetwork}; ${b.unwired}; ${b.misbound}`],
    ['list of 100 ports (network, subnets, host, groups)', `${range(r.portList.statements)} SQL statements, p50 ${ms(r.portList.latency.p50)} ms, p99 ${ms(r.portList.latency.p99)} ms`],
    [`import of ${cloudLabel(r.big)}`, `${count(r.big.load.ports)} ports in ${ms(r.big.load.importMs / 1000)} s = ${count(r.big.load.portsPerSecond)} ports/s (document generated in ${ms(r.big.load.generateMs / 1000)} s, ANALYZE ${ms(r.big.load.analyzeMs / 1000)} s)`],
    [`import of ${cloudLabel(r.small)}`, `${count(r.small.load.ports)} ports in ${ms(r.small.load.importMs / 1000)} s = ${count(r.small.load.portsPerSecond)} ports/s`],
    ['server RSS after load (after a full GC)', `${count(r.memory.rssMB)} MB (heap used ${count(r.memory.heapUsedMB)} MB; peak RSS of the process, generation and import included: ${count(r.memory.peakRssMB)} MB)`],
    [`what-if: setHostStatus down, all pairs of a ${r.whatIf.instances}-instance project`, `${count(r.whatIf.pairs)} pairs (${count(r.whatIf.broken)} broken), p50 ${ms(r.whatIf.latency.p50)} ms over ${r.whatIf.latency.samples} runs, ${r.whatIf.statements} SQL statements`],
    [
      `reachability: ${r.analysis.reachability.instances} instances against themselves, 4 flows`,
      `${count(r.analysis.reachability.pairs)} pairs (${count(r.analysis.reachability.delivered)} delivered), p50 ${ms(r.analysis.reachability.latency.p50)} ms over ${r.analysis.reachability.latency.samples} runs, ${r.analysis.reachability.statements} SQL statements (${r.analysis.reachability.statementsFor10} for 10 instances)`,
    ],
    [
      `exposure of a ${r.analysis.exposure.instances}-instance project`,
      `${count(r.analysis.exposure.portsChecked)} ports, ${count(r.analysis.exposure.exposures)} exposed, p50 ${ms(r.analysis.exposure.latency.p50)} ms, ${r.analysis.exposure.statements} SQL statements`,
    ],
    [
      `security group audit of a project with ${r.analysis.audit.rules} rules`,
      `${count(r.analysis.audit.findings)} findings, p50 ${ms(r.analysis.audit.latency.p50)} ms, ${r.analysis.audit.statements} SQL statements`,
    ],
    [
      'dashboard in headless Chromium',
      r.dashboard
        ? `${r.dashboard.scripts} scripts, ${count(r.dashboard.jsBytes / 1024)} KiB = ${count(r.dashboard.jsGzipBytes / 1024)} KiB gzip; path drawn after Trace p50 ${ms(r.dashboard.pathDrawn.p50)} ms, max ${ms(r.dashboard.pathDrawn.max)} ms over ${r.dashboard.pathDrawn.samples} (the same query straight to the API: p50 ${ms(r.dashboard.pathQuery.p50)} ms); ${r.dashboard.topologyNodes}-node topology opened and drawn p50 ${ms(r.dashboard.topologyDrawn.p50)} ms, max ${ms(r.dashboard.topologyDrawn.max)} ms over ${r.dashboard.topologyDrawn.samples}`
        : 'skipped: no /usr/bin/chromium',
    ],
    ['total run time', `${r.seconds.toFixed(0)} s`],
  ];
  return { head: ['measure', 'value'], rows };
}

export function targetTable(checks: TargetCheck[]): Table {
  return { head: ['target', 'measured', 'result'], rows: checks.map((c) => [c.target, c.measured, c.met ? 'met' : `MISSED (${c.miss})`]) };
}

export function plainTable(t: Table): string {
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(t.head), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n');
}

export function markdownTable(t: Table): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(t.head), line(t.head.map(() => '---')), ...t.rows.map(line)].join('\n');
}

export function machineLine(r: Results): string {
  const m = r.machine;
  return `${m.date}: ${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(0)} GiB RAM, ${m.os}; Node ${m.node} (NODE_ENV=${m.nodeEnv}), PostgreSQL ${m.postgres}, Prisma ${m.prisma}; seed ${r.seed}`;
}

export function printReport(r: Results, checks: TargetCheck[]): string {
  return [machineLine(r), '', plainTable(pathTable(r)), '', plainTable(figureTable(r)), '', plainTable(targetTable(checks))].join('\n');
}

export const BEGIN = '<!-- bench:results:begin (written by npm run bench) -->';
export const END = '<!-- bench:results:end -->';

/** Replaces the results between the markers of `file`, or writes a file of just the results. */
export function writeReport(file: string, r: Results, checks: TargetCheck[]): void {
  const block = [
    BEGIN,
    `Measured ${machineLine(r)}.`,
    '',
    markdownTable(pathTable(r)),
    '',
    markdownTable(figureTable(r)),
    '',
    markdownTable(targetTable(checks)),
    END,
  ].join('\n');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const text = start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + END.length) : `# Benchmarks\n\n${block}\n`;
  writeFileSync(file, text);
}
