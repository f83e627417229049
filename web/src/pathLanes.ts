// Places a traced path's hops in lanes, one per host and namespace (and one
// for what is outside any host: overlay, physical network, external
// gateway), rows in packet order, and says what each link carries.
export interface PathHop {
  seq: number;
  host: { name: string } | null;
  namespace: string | null;
  device: string;
  kind: string;
  vlan: number | null;
  tunnelId: number | null;
  action: string;
}

export interface Lane { key: string; host: string; namespace: string | null }

const OUTSIDE_KINDS = new Set(['OVERLAY', 'PHYSICAL_NETWORK', 'EXTERNAL_GATEWAY']);

export function laneOf(hop: PathHop): Lane {
  if (OUTSIDE_KINDS.has(hop.kind)) return { key: 'outside', host: 'outside the hosts', namespace: null };
  // Project tokens see no hosts: their lanes are the namespaces alone.
  const host = hop.host?.name ?? 'host';
  return { key: `${host}/${hop.namespace ?? ''}`, host, namespace: hop.namespace };
}

/** Lanes in order of first appearance. */
export function lanesOf(hops: PathHop[]): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const hop of hops) {
    const lane = laneOf(hop);
    if (!lanes.has(lane.key)) lanes.set(lane.key, lane);
  }
  return [...lanes.values()];
}

export const hex = (n: number) => `0x${n.toString(16)}`;

/** The tags a packet carries as it reaches this hop: the local VLAN or the tunnel id. */
export function tagsAt(hop: PathHop): string {
  return [hop.vlan !== null ? `VLAN ${hop.vlan}` : '', hop.tunnelId !== null ? `tunnel ${hex(hop.tunnelId)}` : ''].filter(Boolean).join(' · ');
}

/** How a hop's step reads: a security group decision, routing or NAT, or plain forwarding. */
export function stepKind(hop: PathHop): 'allowed' | 'denied' | 'routing' | 'plain' {
  if (/security group/.test(hop.action)) return /dropped|deny|denied/.test(hop.action) ? 'denied' : 'allowed';
  if (/route|NAT|SNAT|DNAT|floating|gateway|metadata/i.test(hop.action) || hop.kind === 'ROUTER_INTERFACE' || hop.kind === 'GATEWAY_INTERFACE') return 'routing';
  return 'plain';
}

/** Breaks text into lines of at most `width` characters, at spaces when it can. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    let rest = word;
    while (rest.length > width) {
      if (line) lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = '';
    }
    line = line ? `${line} ${rest}` : rest;
  }
  if (line) lines.push(line);
  return lines;
}
