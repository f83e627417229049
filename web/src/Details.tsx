// The clicked object of the topology: what it is, and how it is plumbed on
// its host (devices, local VLAN, namespace), with links to the other views.
import type { Viewer } from './api';
import { navigate } from './route';
import type { FloatingIpInfo, InstanceInfo, NetworkInfo, PortInfo, RouterInfo } from './topologyData';

const HostLink = ({ host, viewer }: { host: { name: string } | null; viewer: Viewer }) =>
  host ? (viewer.admin ? <a href={`?view=host&host=${encodeURIComponent(host.name)}`} onClick={(e) => { e.preventDefault(); navigate({ view: 'host', host: host.name }); }}>{host.name}</a> : <>{host.name}</>) : <>—</>;

function Fields({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl>
      {rows.map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{v ?? '—'}</dd></div>
      ))}
    </dl>
  );
}

function PortPlumbing({ port, viewer }: { port: PortInfo; viewer: Viewer }) {
  const d = port.devices;
  return (
    <Fields
      rows={[
        ['port', <code>{port.id}</code>],
        ['addresses', port.fixedIps.map((f) => f.ipAddress).join(', ')],
        ['MAC', port.macAddress],
        ['status', port.status],
        ['host', <HostLink host={port.host} viewer={viewer} />],
        ['local VLAN', port.localVlan],
        ['devices', [d.tap, d.qbr, d.qvb, d.qvo].filter(Boolean).join(' → ') || '—'],
        ['security groups', port.securityGroups.map((g) => g.name).join(', ')],
      ]}
    />
  );
}

export function Details({ kind, object, viewer }: { kind: string; object: unknown; viewer: Viewer }) {
  if (kind === 'instance') {
    const i = object as InstanceInfo;
    return (
      <div>
        <h3>Instance {i.name}</h3>
        <Fields rows={[['id', <code>{i.id}</code>], ['project', i.projectId], ['status', i.status], ['host', <HostLink host={i.host} viewer={viewer} />]]} />
        <button type="button" onClick={() => navigate({ view: 'path', from: i.name })}>Trace a path from {i.name}</button>
        {i.ports.map((p) => <PortPlumbing key={p.id} port={p} viewer={viewer} />)}
      </div>
    );
  }
  if (kind === 'port') return <div><h3>Port</h3><PortPlumbing port={object as PortInfo} viewer={viewer} /></div>;
  if (kind === 'router') {
    const r = object as RouterInfo;
    return (
      <div>
        <h3>Router {r.name}</h3>
        <Fields
          rows={[
            ['id', <code>{r.id}</code>],
            ['L3 agent host', <HostLink host={r.host} viewer={viewer} />],
            ['namespace', r.namespace],
            ['interfaces', r.interfaces.map((i) => `${i.device} ${i.ipAddress} (${i.subnet.cidr})`).join('\n')],
            ['gateway', r.gateway ? `${r.gateway.device} ${r.gateway.ipAddress}` : null],
          ]}
        />
        <h4>Routes (ip route in {r.namespace ?? 'the namespace'})</h4>
        <pre>{r.routes.map((rt) => `${rt.destination}${rt.gateway ? ` via ${rt.gateway}` : ''} dev ${rt.device}`).join('\n') || 'none'}</pre>
      </div>
    );
  }
  if (kind === 'network') {
    const n = object as NetworkInfo;
    return (
      <div>
        <h3>Network {n.name}</h3>
        <Fields
          rows={[
            ['id', <code>{n.id}</code>],
            ['project', n.projectId],
            ['type', `${n.networkType}${n.segmentationId === null ? '' : ` ${n.segmentationId} (0x${n.segmentationId.toString(16)})`}`],
            ['MTU', n.mtu],
            ['external / shared', `${n.external} / ${n.shared}`],
            ['subnets', n.subnets.map((s) => `${s.cidr} gw ${s.gatewayIp ?? 'none'}`).join('\n')],
            ['local VLANs', n.localVlans ? n.localVlans.map((l) => `${l.host.name}: ${l.vlan}`).join(', ') || 'none' : 'admin only'],
            ['DHCP on', n.dhcpHosts ? n.dhcpHosts.map((h) => h.name).join(', ') || 'none' : 'admin only'],
          ]}
        />
      </div>
    );
  }
  if (kind === 'floatingIp') {
    const f = object as FloatingIpInfo;
    return <div><h3>Floating IP {f.floatingIpAddress}</h3><Fields rows={[['fixed IP', f.fixedIpAddress], ['NAT by router', f.router?.name]]} /></div>;
  }
  if (kind === 'subnet') {
    const s = object as { cidr: string; name: string; gatewayIp: string | null };
    return <div><h3>Subnet {s.cidr}</h3><Fields rows={[['name', s.name], ['gateway', s.gatewayIp]]} /></div>;
  }
  return <div><h3>{kind}</h3></div>;
}
