// One project (or, for an admin, a host or a network) as a graph: external
// network, routers with their host, networks and subnets, instances and
// their ports, floating IPs. A click shows the object and its plumbing. It is
// read and drawn again when the model changes, keeping the zoom, the pan and
// the clicked object.
import { useEffect, useMemo, useRef, useState } from 'react';
import cytoscape, { type Core, type NodeSingular, type Position } from 'cytoscape';
import { gql, type Viewer } from './api';
import { navigate, type Params } from './route';
import { elementsOf, loadTopology, type Scope, type Topology as Data } from './topologyData';
import { Details } from './Details';
import { useLoad, Problem, RefreshButton } from './load';
import { graphStyle } from './graphStyle';
import { layeredPositions } from './layeredLayout';
import { useModelChange } from './live';

/** Layered from the outside in, each separate part from its external network, else a router, else its busiest node. */
function layout(cy: Core, grouped: boolean) {
  // Host boxes take their place from what they hold: only their contents are laid out.
  const roots: NodeSingular[] = [];
  for (const component of cy.elements().components()) {
    const nodes = component.nodes(':childless');
    if (nodes.empty()) continue;
    const preferred = nodes.filter('.external').union(nodes.filter('.router'));
    roots.push((preferred.nonempty() ? preferred.first() : nodes.max((n) => n.degree(false)).ele) as NodeSingular);
  }
  return cy.layout({ name: 'preset', positions: layeredPositions(cy, roots, grouped), fit: true, padding: 20, animate: false });
}

export function Topology({ viewer, route }: { viewer: Viewer; route: Params }) {
  const scope: Scope | null = route.scope && route.value ? { kind: route.scope as Scope['kind'], value: route.value } : viewer.projects[0] ? { kind: 'project', value: viewer.projects[0] } : null;
  const grouped = route.group === 'hosts';
  const { data, error, loading, reload } = useLoad<Data | null>(() => (scope ? loadTopology(scope) : Promise.resolve(null)), [scope?.kind, scope?.value]);
  useModelChange(reload);
  const box = useRef<HTMLDivElement>(null);
  const drawn = useMemo(() => (data ? elementsOf(data, grouped) : null), [data, grouped]);
  const [selected, setSelected] = useState<{ kind: string; id: string } | null>(null);
  // The zoom and pan of the graph last drawn, kept when the same view is drawn again.
  const viewport = useRef<{ view: string; zoom: number; pan: Position } | null>(null);
  const view = `${scope?.kind}/${scope?.value}/${grouped}`;

  useEffect(() => {
    if (!drawn || !box.current) return;
    const started = performance.now();
    const cy = cytoscape({ container: box.current, elements: drawn.elements, style: graphStyle, minZoom: 0.1, maxZoom: 3 });
    cy.one('layoutstop', () => {
      box.current?.setAttribute('data-drawn-ms', String(Math.round(performance.now() - started)));
      box.current?.setAttribute('data-nodes', String(cy.nodes().length));
    });
    layout(cy, grouped).run();
    if (viewport.current?.view === view) cy.viewport({ zoom: viewport.current.zoom, pan: viewport.current.pan });
    cy.on('tap', 'node', (event) => setSelected({ kind: event.target.data('kind'), id: event.target.id() }));
    cy.on('tap', (event) => event.target === cy && setSelected(null));
    // The browser tests and the benchmark read the drawn graph here.
    (window as unknown as { topologyGraph?: Core }).topologyGraph = cy;
    return () => {
      viewport.current = { view, zoom: cy.zoom(), pan: cy.pan() };
      cy.destroy();
    };
  }, [drawn]);
  const selectedObject = selected && drawn?.objects.get(selected.id);

  const choose = (kind: string, value: string) => navigate({ ...route, view: 'topology', scope: kind, value });
  return (
    <section className="view topology">
      <div className="toolbar">
        <label>
          Project{' '}
          <select aria-label="project" value={scope?.kind === 'project' ? scope.value : ''} onChange={(e) => choose('project', e.target.value)}>
            <option value="">—</option>
            {viewer.projects.map((p) => <option key={p}>{p}</option>)}
          </select>
        </label>
        {viewer.admin && <ScopePicker kind="host" current={scope} onPick={choose} />}
        {viewer.admin && <ScopePicker kind="network" current={scope} onPick={choose} />}
        {viewer.admin && (
          <label>
            <input type="checkbox" checked={grouped} onChange={(e) => navigate({ ...route, view: 'topology', group: e.target.checked ? 'hosts' : '' })} /> group by host
          </label>
        )}
        <RefreshButton onClick={reload} loading={loading} />
      </div>
      <Problem error={error} />
      {!scope && <p className="hint">Nothing to show yet: this token sees no project. Load the demo cloud with <code>npm run cli -- demo</code>.</p>}
      <div className="split">
        <div className="graph" ref={box} data-testid="topology-graph" />
        <aside className="details">{selected && selectedObject ? <Details kind={selected.kind} object={selectedObject} viewer={viewer} /> : <p className="hint">Click an object to see its details and its host plumbing.</p>}</aside>
      </div>
    </section>
  );
}

/** An admin's choice of a host or a network to draw instead of a project. */
function ScopePicker({ kind, current, onPick }: { kind: 'host' | 'network'; current: Scope | null; onPick: (kind: string, value: string) => void }) {
  const query = kind === 'host' ? '{ hosts(first: 500) { nodes { id name } } }' : '{ networks(first: 500) { nodes { id name } } }';
  const { data } = useLoad<{ id: string; name: string }[]>(async () => {
    const answer = await gql<Record<string, { nodes: { id: string; name: string }[] }>>(query);
    return Object.values(answer)[0].nodes;
  }, []);
  const value = current?.kind === kind ? current.value : '';
  return (
    <label>
      {kind === 'host' ? 'Host' : 'Network'}{' '}
      <select aria-label={kind} value={value} onChange={(e) => e.target.value && onPick(kind, e.target.value)}>
        <option value="">—</option>
        {(data ?? []).map((o) => <option key={o.id} value={kind === 'host' ? o.name : o.id}>{o.name}</option>)}
      </select>
    </label>
  );
}
