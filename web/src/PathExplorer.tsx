// Pick a source and a destination (instance name, IP address or port id),
// a protocol and a port; the path is traced, drawn in lanes, and kept in the
// address so that the link can be shared. Exports: SVG, Mermaid, DOT.
import { useEffect, useRef, useState } from 'react';
import { allNodes, gql } from './api';
import { navigate, type Params } from './route';
import { PathDiagram, type TracedPath } from './PathDiagram';
import { useLoad, Problem, RefreshButton } from './load';
import { download } from './download';
import { useModelChange, useSubscription } from './live';

const PROTOCOLS = ['ANY', 'ICMP', 'TCP', 'UDP', 'SCTP', 'DCCP', 'UDPLITE', 'GRE', 'ESP', 'AH', 'VRRP', 'IGMP', 'IPIP', 'OSPF', 'PGM', 'RSVP', 'EGP', 'IPV6_ENCAP', 'IPV6_FRAG', 'IPV6_NONXT', 'IPV6_OPTS', 'IPV6_ROUTE'];
const WITH_PORTS = new Set(['TCP', 'UDP', 'SCTP', 'DCCP', 'UDPLITE']);

const PATH_FIELDS = `verdict dropReason reachedDestination explanation
    hops { seq host { name } namespace device kind vlan tunnelId action }
    mermaid: diagram(format: MERMAID)
    dot: diagram(format: DOT)`;
const PATH_QUERY = `query Path($from: EndpointInput!, $to: EndpointInput!, $flow: FlowInput) {
  path(from: $from, to: $to, flow: $flow) { ${PATH_FIELDS} }
}`;
/** The same path again whenever a committed change alters it (docs/live.md, "Path verdicts"). */
const PATH_SUBSCRIPTION = `subscription PathVerdict($from: EndpointInput!, $to: EndpointInput!, $flow: FlowInput) {
  pathVerdict(from: $from, to: $to, flow: $flow) { ${PATH_FIELDS} }
}`;

interface Candidates { names: Set<string>; portIds: Set<string>; options: { value: string; label: string }[] }

async function candidates(): Promise<Candidates> {
  const [instances, floatingIps] = await Promise.all([
    allNodes<{ id: string; name: string; ports: { id: string; fixedIps: { ipAddress: string }[] }[] }>('instances', 'id name ports { id fixedIps { ipAddress } }', null, 'InstanceFilter', 200),
    allNodes<{ floatingIpAddress: string }>('floatingIps', 'floatingIpAddress', null, 'FloatingIpFilter'),
  ]);
  const options: { value: string; label: string }[] = [];
  const names = new Set<string>();
  const portIds = new Set<string>();
  for (const i of instances) {
    names.add(i.name);
    names.add(i.id);
    options.push({ value: i.name, label: 'instance' });
    for (const p of i.ports) {
      portIds.add(p.id);
      options.push({ value: p.id, label: `port of ${i.name}` });
      for (const f of p.fixedIps) options.push({ value: f.ipAddress, label: `fixed IP of ${i.name}` });
    }
  }
  for (const f of floatingIps) options.push({ value: f.floatingIpAddress, label: 'floating IP' });
  return { names, portIds, options };
}

/** What the user typed as the API's EndpointInput: a known instance or port, else an address, else an instance name. */
export function endpointOf(text: string, known: Candidates | null): Record<string, string> {
  const value = text.trim();
  if (known?.names.has(value)) return { instance: value };
  if (known?.portIds.has(value)) return { portId: value };
  if (/^[0-9.]+$/.test(value) || value.includes(':')) return { ipAddress: value };
  return { instance: value };
}

type Traced = TracedPath & { mermaid: string; dot: string };

export function PathExplorer({ route }: { route: Params }) {
  const known = useLoad(candidates, []);
  useModelChange(known.reload);
  const [form, setForm] = useState({ from: route.from ?? '', to: route.to ?? '', protocol: route.protocol ?? 'ANY', port: route.port ?? '' });
  useEffect(() => setForm({ from: route.from ?? '', to: route.to ?? '', protocol: route.protocol ?? 'ANY', port: route.port ?? '' }), [route.from, route.to, route.protocol, route.port]);
  const asked = route.from && route.to ? route : null;
  // Traced once the first candidates are in (they tell instance names from port ids); their reloads trace again only if they change how an endpoint reads.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady((r) => r || !known.loading), [known.loading]);
  const question = asked && ready ? {
    from: endpointOf(asked.from, known.data),
    to: endpointOf(asked.to, known.data),
    flow: { protocol: asked.protocol || 'ANY', ...(asked.port && WITH_PORTS.has(asked.protocol) ? { destinationPort: Number(asked.port) } : {}) },
  } : null;
  const traced = useLoad<Traced | null>(async () => (question ? (await gql<{ path: Traced }>(PATH_QUERY, question)).path : null), [JSON.stringify(question)]);
  useSubscription<{ pathVerdict: Traced }>(PATH_SUBSCRIPTION, question, (data) => traced.replace(data.pathVerdict));
  const svg = useRef<SVGSVGElement>(null);
  const [text, setText] = useState<{ format: string; body: string } | null>(null);

  const trace = (e: React.FormEvent) => {
    e.preventDefault();
    setText(null);
    navigate({ view: 'path', from: form.from, to: form.to, protocol: form.protocol, port: WITH_PORTS.has(form.protocol) ? form.port : '' });
  };
  const path = traced.data;
  return (
    <section className="view path">
      <form className="toolbar" onSubmit={trace}>
        <datalist id="endpoints">{known.data?.options.map((o) => <option key={`${o.value}-${o.label}`} value={o.value}>{o.label}</option>)}</datalist>
        <label>From <input name="from" list="endpoints" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} placeholder="instance, IP or port id" required /></label>
        <label>To <input name="to" list="endpoints" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} placeholder="instance, IP or port id" required /></label>
        <label>Protocol <select name="protocol" value={form.protocol} onChange={(e) => setForm({ ...form, protocol: e.target.value })}>{PROTOCOLS.map((p) => <option key={p}>{p}</option>)}</select></label>
        {WITH_PORTS.has(form.protocol) && <label>Port <input name="port" type="number" min={1} max={65535} value={form.port} onChange={(e) => setForm({ ...form, port: e.target.value })} style={{ width: '6em' }} /></label>}
        <button type="submit">Trace</button>
        {asked && <RefreshButton onClick={traced.reload} loading={traced.loading} />}
      </form>
      <Problem error={known.error ?? traced.error} />
      {!asked && <p className="hint">Type two endpoints — e.g. <code>test</code> and <code>test2</code> in the demo cloud — and press Trace. The address of this page then holds the question: share it.</p>}
      {path && (
        <>
          <p className={`verdict-line ${path.verdict}`} data-testid="verdict">
            <strong>{path.verdict}{path.dropReason ? `: ${path.dropReason}` : ''}</strong> — {path.explanation}
          </p>
          <div className="toolbar">
            <button type="button" onClick={() => svg.current && download('path.svg', 'image/svg+xml', new XMLSerializer().serializeToString(svg.current))}>Export SVG</button>
            <button type="button" onClick={() => setText({ format: 'Mermaid', body: path.mermaid })}>Mermaid</button>
            <button type="button" onClick={() => setText({ format: 'DOT', body: path.dot })}>DOT</button>
          </div>
          {text && (
            <div className="export">
              <div className="toolbar">
                <strong>{text.format}</strong>
                <button type="button" onClick={() => navigator.clipboard?.writeText(text.body)}>Copy</button>
                <button type="button" onClick={() => download(text.format === 'DOT' ? 'path.dot' : 'path.mmd', 'text/plain', text.body)}>Download</button>
              </div>
              <pre data-testid="diagram-text">{text.body}</pre>
            </div>
          )}
          <div className="diagram" data-testid="path-diagram"><PathDiagram ref={svg} path={path} /></div>
        </>
      )}
    </section>
  );
}
