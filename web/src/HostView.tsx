// One host as an operator would inspect it: `ovs-vsctl show`, the flow
// tables of a bridge (filter by table, copy), the namespaces with their
// addresses, routes and NAT rules, and a port's firewall rules; read again
// when the model changes.
import { useState } from 'react';
import { allNodes, gql } from './api';
import { navigate, type Params } from './route';
import { useLoad, Problem, RefreshButton } from './load';
import { useModelChange } from './live';

interface HostData {
  name: string; tunnelIp: string; roles: string[]; up: boolean; availabilityZone: string;
  bridges: { name: string }[];
  ovsVsctlShow: string;
  localVlans: { vlan: number; network: { name: string; segmentationId: number | null } }[];
  namespaces: { name: string; kind: string; interfaces: { name: string; addresses: string[] }[]; routes: { destination: string; gateway: string | null; device: string }[]; natRules: string[] }[];
}
interface Flow { cookie: string; table: number; priority: number; match: string; actions: string }
interface PortFirewall { id: string; name: string; deviceOwner: string; fixedIps: { ipAddress: string }[]; instance: { name: string } | null; firewall: { filtered: boolean; iptables: string; ip6tables: string; ipsets: { name: string; members: string[] }[] } }

const HOST_QUERY = `query($name: String!) { host(name: $name) {
  name tunnelIp roles up availabilityZone bridges { name } ovsVsctlShow
  localVlans { vlan network { name segmentationId } }
  namespaces { name kind interfaces { name addresses } routes { destination gateway device } natRules }
} }`;

/** A flow as `ovs-ofctl dump-flows` prints it (without the statistics). */
const flowLine = (f: Flow) => ` cookie=${f.cookie}, table=${f.table}, priority=${f.priority}${f.match ? `,${f.match}` : ''} actions=${f.actions}`;

export function HostView({ route }: { route: Params }) {
  const hosts = useLoad(async () => (await gql<{ hosts: { nodes: { name: string; up: boolean }[] } }>('{ hosts(first: 500) { nodes { name up } } }')).hosts.nodes, []);
  const name = route.host ?? hosts.data?.[0]?.name ?? '';
  const host = useLoad(async () => (name ? (await gql<{ host: HostData | null }>(HOST_QUERY, { name })).host : null), [name]);
  useModelChange(() => {
    hosts.reload();
    host.reload();
  });
  return (
    <section className="view host">
      <div className="toolbar">
        <label>Host <select aria-label="host" value={name} onChange={(e) => navigate({ view: 'host', host: e.target.value })}>{hosts.data?.map((h) => <option key={h.name} value={h.name}>{h.name}{h.up ? '' : ' (down)'}</option>)}</select></label>
        <RefreshButton onClick={() => { hosts.reload(); host.reload(); }} loading={host.loading} />
      </div>
      <Problem error={hosts.error ?? host.error} />
      {host.data && <HostDetails host={host.data} route={route} />}
    </section>
  );
}

function HostDetails({ host, route }: { host: HostData; route: Params }) {
  return (
    <div className="host-grid">
      <div>
        <h3>{host.name} <small>{host.roles.join(', ')} · tunnel {host.tunnelIp} · zone {host.availabilityZone} · {host.up ? 'up' : 'DOWN'}</small></h3>
        <h4>Local VLANs</h4>
        <table><thead><tr><th>VLAN</th><th>network</th><th>segment</th></tr></thead>
          <tbody>{host.localVlans.map((l) => <tr key={l.vlan}><td>{l.vlan}</td><td>{l.network.name}</td><td>{l.network.segmentationId === null ? '—' : `${l.network.segmentationId} (0x${l.network.segmentationId.toString(16)})`}</td></tr>)}</tbody>
        </table>
        <h4>ovs-vsctl show</h4>
        <pre data-testid="ovs-vsctl-show">{host.ovsVsctlShow}</pre>
      </div>
      <div>
        <Flows host={host} route={route} />
        <h4>Namespaces</h4>
        {host.namespaces.length === 0 && <p className="hint">none on this host</p>}
        {host.namespaces.map((ns) => (
          <details key={ns.name} open={host.namespaces.length <= 3}>
            <summary><code>{ns.name}</code></summary>
            <pre>{ns.interfaces.map((i) => `${i.name}  ${i.addresses.join(' ')}`).join('\n')}</pre>
            <h5>ip route</h5>
            <pre>{ns.routes.map((r) => `${r.destination}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.device}`).join('\n') || '(empty)'}</pre>
            {ns.natRules.length > 0 && (<><h5>iptables -t nat -S</h5><pre>{ns.natRules.join('\n')}</pre></>)}
          </details>
        ))}
        <PortFirewalls host={host.name} />
      </div>
    </div>
  );
}

function Flows({ host, route }: { host: HostData; route: Params }) {
  const bridge = route.bridge ?? host.bridges.find((b) => b.name === 'br-tun')?.name ?? host.bridges[0]?.name ?? '';
  const table = route.table ?? '';
  const flows = useLoad(async () => (bridge ? (await gql<{ host: { flows: Flow[] } }>('query($name: String!, $bridge: String!) { host(name: $name) { flows(bridge: $bridge) { cookie table priority match actions } } }', { name: host.name, bridge })).host.flows : []), [host.name, bridge]);
  useModelChange(flows.reload);
  const shown = (flows.data ?? []).filter((f) => table === '' || String(f.table) === table);
  const tables = [...new Set((flows.data ?? []).map((f) => f.table))];
  const text = shown.map(flowLine).join('\n');
  return (
    <div>
      <div className="toolbar">
        <h4>Flows</h4>
        <select aria-label="bridge" value={bridge} onChange={(e) => navigate({ ...route, view: 'host', host: host.name, bridge: e.target.value, table: '' })}>{host.bridges.map((b) => <option key={b.name}>{b.name}</option>)}</select>
        <select aria-label="table" value={table} onChange={(e) => navigate({ ...route, view: 'host', host: host.name, bridge, table: e.target.value })}>
          <option value="">all tables</option>
          {tables.map((t) => <option key={t} value={t}>table {t}</option>)}
        </select>
        <button type="button" onClick={() => navigator.clipboard?.writeText(text)}>Copy</button>
        <span className="hint">{shown.length} flows</span>
      </div>
      <Problem error={flows.error} />
      <pre className="flows" data-testid="flows">{text}</pre>
    </div>
  );
}

function PortFirewalls({ host }: { host: string }) {
  const ports = useLoad(
    () => allNodes<PortFirewall>('ports', 'id name deviceOwner fixedIps { ipAddress } instance { name } firewall { filtered iptables ip6tables ipsets { name members } }', { hostName: host }, 'PortFilter', 200),
    [host],
  );
  useModelChange(ports.reload);
  const [chosen, setChosen] = useState('');
  const filtered = (ports.data ?? []).filter((p) => p.firewall.filtered);
  const port = filtered.find((p) => p.id === chosen) ?? filtered[0];
  return (
    <div>
      <h4>Firewall of a port</h4>
      <Problem error={ports.error} />
      <select aria-label="port" value={port?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
        {filtered.map((p) => <option key={p.id} value={p.id}>{p.instance?.name ?? p.name} {p.fixedIps.map((f) => f.ipAddress).join(', ')}</option>)}
      </select>
      {port && (
        <>
          <pre data-testid="firewall">{port.firewall.iptables}</pre>
          {port.firewall.ipsets.map((s) => <pre key={s.name}>{`ipset ${s.name}: ${s.members.join(' ') || '(empty)'}`}</pre>)}
        </>
      )}
    </div>
  );
}
