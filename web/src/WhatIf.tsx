// Compose changes (a host down, a rule deleted, an instance moved or
// deleted), run them as a what-if (always rolled back by the server), and
// see what they would allocate or free and which paths they break or fix.
import { useState } from 'react';
import { allNodes, gql, type Viewer } from './api';
import { navigate, type Params } from './route';
import { useLoad, Problem, RefreshButton } from './load';

type Change =
  | { setHostStatus: { hostName: string; up: boolean } }
  | { deleteSecurityGroupRule: { id: string } }
  | { migrateInstance: { instanceId: string; hostName: string } }
  | { deleteInstance: { id: string } };

interface Choices {
  hosts: string[];
  instances: { id: string; name: string; projectId: string }[];
  rules: { id: string; text: string }[];
}

interface PathDiff { from: string; to: string; change: string; before: { verdict: string; dropReason: string | null } | null; after: { verdict: string; dropReason: string | null; explanation: string } | null; beforeError: string | null; afterError: string | null }
interface Report {
  applied: boolean;
  changes: { index: number; mutation: string; status: string; userErrors: { message: string }[] }[];
  allocations: { kind: string; change: string; description: string }[];
  paths: PathDiff[];
  summary: { pairs: number; broken: number; fixed: number; changed: number; unchanged: number };
  userErrors: { message: string }[];
}

const WHAT_IF = `query WhatIf($changes: [ChangeInput!]!, $check: WhatIfCheckInput) { whatIf(changes: $changes, check: $check) {
  applied
  changes { index mutation status userErrors { message } }
  allocations { kind change description }
  paths { from to change beforeError afterError before { verdict dropReason } after { verdict dropReason explanation } }
  summary { pairs broken fixed changed unchanged }
  userErrors { message }
} }`;

async function choices(admin: boolean): Promise<Choices> {
  const [instances, groups] = await Promise.all([
    allNodes<Choices['instances'][number]>('instances', 'id name projectId', null, 'InstanceFilter'),
    allNodes<{ name: string; projectId: string; rules: { id: string; direction: string; protocol: string | null; portRangeMin: number | null; portRangeMax: number | null; remoteIpPrefix: string | null; remoteGroup: { name: string } | null }[] }>(
      'securityGroups', 'name projectId rules { id direction protocol portRangeMin portRangeMax remoteIpPrefix remoteGroup { name } }', null, 'SecurityGroupFilter', 200),
  ]);
  const hosts = admin ? (await gql<{ hosts: { nodes: { name: string }[] } }>('{ hosts(first: 500) { nodes { name } } }')).hosts.nodes.map((h) => h.name) : [];
  const rules = groups.flatMap((g) =>
    g.rules.map((r) => {
      const ports = r.portRangeMin === null ? '' : r.portRangeMin === r.portRangeMax ? ` ${r.portRangeMin}` : ` ${r.portRangeMin}-${r.portRangeMax}`;
      const remote = r.remoteIpPrefix ?? (r.remoteGroup ? `group ${r.remoteGroup.name}` : 'any');
      return { id: r.id, text: `${g.projectId}/${g.name}: ${r.direction.toLowerCase()} ${r.protocol ?? 'any'}${ports} ${r.direction === 'INGRESS' ? 'from' : 'to'} ${remote}` };
    }),
  );
  return { hosts, instances, rules };
}

function describe(change: Change, c: Choices): string {
  if ('setHostStatus' in change) return `host ${change.setHostStatus.hostName} ${change.setHostStatus.up ? 'up' : 'down'}`;
  if ('deleteSecurityGroupRule' in change) return `delete rule ${c.rules.find((r) => r.id === change.deleteSecurityGroupRule.id)?.text ?? change.deleteSecurityGroupRule.id}`;
  if ('migrateInstance' in change) return `move ${c.instances.find((i) => i.id === change.migrateInstance.instanceId)?.name} to ${change.migrateInstance.hostName}`;
  return `delete instance ${c.instances.find((i) => i.id === change.deleteInstance.id)?.name}`;
}

const verdictOf = (p: { verdict: string; dropReason: string | null } | null, error: string | null) => (p ? `${p.verdict}${p.dropReason ? `: ${p.dropReason}` : ''}` : error ?? '—');

export function WhatIf({ viewer, route }: { viewer: Viewer; route: Params }) {
  const options = useLoad(() => choices(viewer.admin), [viewer.admin]);
  const [changes, setChanges] = useState<Change[]>([]);
  const [kind, setKind] = useState(viewer.admin ? 'hostDown' : 'deleteRule');
  const [pick, setPick] = useState({ host: '', instance: '', rule: '' });
  const [project, setProject] = useState(route.project ?? viewer.projects[0] ?? '');
  const [report, setReport] = useState<Report | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = options.data;

  const add = () => {
    if (!c) return;
    const host = pick.host || c.hosts[0];
    const instance = pick.instance || c.instances[0]?.id;
    const rule = pick.rule || c.rules[0]?.id;
    const next: Change | null =
      kind === 'hostDown' ? { setHostStatus: { hostName: host, up: false } }
      : kind === 'hostUp' ? { setHostStatus: { hostName: host, up: true } }
      : kind === 'deleteRule' ? (rule ? { deleteSecurityGroupRule: { id: rule } } : null)
      : kind === 'move' ? (instance ? { migrateInstance: { instanceId: instance, hostName: host } } : null)
      : instance ? { deleteInstance: { id: instance } } : null;
    if (next) setChanges([...changes, next]);
  };
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setReport((await gql<{ whatIf: Report }>(WHAT_IF, { changes, check: project ? { projectId: project } : null })).whatIf);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
    }
  };
  const needsHost = kind === 'hostDown' || kind === 'hostUp' || kind === 'move';
  const needsInstance = kind === 'move' || kind === 'deleteInstance';
  return (
    <section className="view whatif">
      <Problem error={options.error ?? error} />
      <div className="toolbar">
        <select aria-label="change" value={kind} onChange={(e) => setKind(e.target.value)}>
          {viewer.admin && <option value="hostDown">host down</option>}
          {viewer.admin && <option value="hostUp">host up</option>}
          <option value="deleteRule">delete a security group rule</option>
          {viewer.admin && <option value="move">move an instance</option>}
          <option value="deleteInstance">delete an instance</option>
        </select>
        {needsInstance && <select aria-label="instance" value={pick.instance} onChange={(e) => setPick({ ...pick, instance: e.target.value })}>{c?.instances.map((i) => <option key={i.id} value={i.id}>{i.projectId}/{i.name}</option>)}</select>}
        {needsHost && <select aria-label="target host" value={pick.host} onChange={(e) => setPick({ ...pick, host: e.target.value })}>{c?.hosts.map((h) => <option key={h}>{h}</option>)}</select>}
        {kind === 'deleteRule' && <select aria-label="rule" value={pick.rule} onChange={(e) => setPick({ ...pick, rule: e.target.value })}>{c?.rules.map((r) => <option key={r.id} value={r.id}>{r.text}</option>)}</select>}
        <button type="button" onClick={add} disabled={!c}>Add change</button>
        <RefreshButton onClick={options.reload} loading={options.loading} />
      </div>
      <ol className="changes" data-testid="changes">
        {changes.map((ch, i) => <li key={i}>{c ? describe(ch, c) : ''} <button type="button" onClick={() => setChanges(changes.filter((_, j) => j !== i))} aria-label="remove">✕</button></li>)}
      </ol>
      <div className="toolbar">
        <label>Check the paths between the instances of project <select aria-label="check project" value={project} onChange={(e) => setProject(e.target.value)}><option value="">none</option>{viewer.projects.map((p) => <option key={p}>{p}</option>)}</select></label>
        <button type="button" onClick={run} disabled={running || changes.length === 0}>{running ? 'Running…' : 'Run what-if'}</button>
        <span className="hint">Nothing is written: the server rolls every what-if back.</span>
      </div>
      {report && <WhatIfReport report={report} />}
    </section>
  );
}

function WhatIfReport({ report }: { report: Report }) {
  const order = ['BROKEN', 'FIXED', 'CHANGED'];
  const moved = report.paths.filter((p) => p.change !== 'UNCHANGED').sort((a, b) => order.indexOf(a.change) - order.indexOf(b.change));
  const s = report.summary;
  return (
    <div data-testid="whatif-report">
      {report.userErrors.map((e, i) => <p key={i} className="problem">{e.message}</p>)}
      <p><strong>{report.applied ? 'Every change applies.' : 'Not every change applies.'}</strong> Pairs checked {s.pairs}: <span className="broken">{s.broken} broken</span>, <span className="fixed">{s.fixed} fixed</span>, {s.changed} changed, {s.unchanged} unchanged.</p>
      <ul>{report.changes.map((ch) => <li key={ch.index}>{ch.mutation}: {ch.status}{ch.userErrors.map((e) => ` — ${e.message}`).join('')}</li>)}</ul>
      <h4>Allocations</h4>
      {report.allocations.length === 0 ? <p className="hint">none</p> : (
        <table><thead><tr><th>kind</th><th>change</th><th>what</th></tr></thead>
          <tbody>{report.allocations.map((a, i) => <tr key={i}><td>{a.kind}</td><td>{a.change}</td><td>{a.description}</td></tr>)}</tbody></table>
      )}
      <h4>Paths that change</h4>
      {moved.length === 0 ? <p className="hint">none</p> : (
        <table data-testid="whatif-paths"><thead><tr><th /><th>from</th><th>to</th><th>before</th><th>after</th><th /></tr></thead>
          <tbody>{moved.map((p, i) => (
            <tr key={i} className={p.change}>
              <td><strong>{p.change}</strong></td><td>{p.from}</td><td>{p.to}</td>
              <td>{verdictOf(p.before, p.beforeError)}</td>
              <td title={p.after?.explanation}>{verdictOf(p.after, p.afterError)}</td>
              <td><a href={`?view=path&from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`} onClick={(e) => { e.preventDefault(); navigate({ view: 'path', from: p.from, to: p.to }); }}>open path</a></td>
            </tr>
          ))}</tbody></table>
      )}
    </div>
  );
}
