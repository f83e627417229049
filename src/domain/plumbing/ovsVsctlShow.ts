// `ovs-vsctl show` of a host, as OVS 3.x prints it for a node run by the
// OVS agent: the agent's OVSDB manager, and on each of its bridges the
// OpenFlow controller (of_listen_address:of_listen_port), fail_mode secure
// and datapath_type system; tunnel ports carry the options the agent sets.
//
// Quoting follows lib/ovsdb-data.c (string_needs_quotes) of current OVS: a
// string is bare when it starts with a letter or '_' and holds only letters,
// digits, '_', '-' and '.', and is not "true"/"false" or a UUID. So
// `Port qvo4874fb2a-1f` and `Port br-int` are bare while `"tcp:127.0.0.1:6633"`
// and `remote_ip="10.0.0.2"` are quoted (older OVS also quoted names holding
// digits; we print what current OVS prints).
//
// OVS prints bridges and ports in the order of their row UUIDs, which is
// arbitrary; bridges are printed in the given order and ports by name.
import { createHash } from 'node:crypto';
import type { Bridge, BridgePort } from './bridges.js';
import { compareNames } from './plug.js';

export const OVS_VERSION = '3.3.0';
const MANAGER = 'ptcp:6640:127.0.0.1';
const CONTROLLER = 'tcp:127.0.0.1:6633';

export interface OvsVsctlShowOptions {
  /** Whether the agent is connected (is_connected: true); false for a host that is down. */
  connected?: boolean;
  ovsVersion?: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An OVSDB string as ovs-vsctl prints it. */
export function ovsdbString(s: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && s !== 'true' && s !== 'false' && !UUID_RE.test(s);
  return bare ? s : JSON.stringify(s);
}

/** A stable Open_vSwitch row UUID for the host (name-based, version 5 layout). */
export function openVswitchUuid(seed: string): string {
  const b = createHash('sha1').update(`ovsdb:${seed}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Interface options column, keys sorted as OVSDB prints a map. */
function interfaceOptions(p: BridgePort): Record<string, string> | null {
  if (p.type === 'patch' && p.peer) return { peer: p.peer };
  if ((p.type === 'vxlan' || p.type === 'gre' || p.type === 'ip6gre' || p.type === 'geneve') && p.remoteIp && p.localIp) {
    // ovs_lib.add_tunnel_port with the agent's defaults (dont_fragment = True);
    // ip6gre also gets packet_type legacy_l2 (OVS has no L3 GRE over IPv6).
    return {
      df_default: 'true',
      egress_pkt_mark: '0',
      in_key: 'flow',
      local_ip: p.localIp,
      out_key: 'flow',
      ...(p.type === 'ip6gre' ? { packet_type: 'legacy_l2' } : {}),
      remote_ip: p.remoteIp,
    };
  }
  return null;
}

function renderPort(p: BridgePort, out: string[]): void {
  out.push(`        Port ${ovsdbString(p.name)}`);
  if (p.tag !== null) out.push(`            tag: ${p.tag}`);
  out.push(`            Interface ${ovsdbString(p.name)}`);
  // The qvo veth end has the default (empty) type, which show leaves out.
  if (p.type && p.type !== 'system') out.push(`                type: ${p.type}`);
  const options = interfaceOptions(p);
  if (options) {
    const pairs = Object.keys(options)
      .sort()
      .map((k) => `${ovsdbString(k)}=${ovsdbString(options[k])}`);
    out.push(`                options: {${pairs.join(', ')}}`);
  }
}

/** The full `ovs-vsctl show` text, ending with a newline. `seed` (the host id) fixes the first line's UUID. */
export function renderOvsVsctlShow(bridges: Bridge[], seed: string, options: OvsVsctlShowOptions = {}): string {
  const connected = options.connected ?? true;
  const out = [openVswitchUuid(seed), `    Manager ${ovsdbString(MANAGER)}`];
  if (connected) out.push('        is_connected: true');
  for (const br of bridges) {
    out.push(`    Bridge ${ovsdbString(br.name)}`);
    out.push(`        Controller ${ovsdbString(CONTROLLER)}`);
    if (connected) out.push('            is_connected: true');
    out.push('        fail_mode: secure');
    out.push('        datapath_type: system');
    const ports = [...br.ports].sort((a, b) => compareNames(a.name, b.name));
    for (const p of ports) renderPort(p, out);
  }
  out.push(`    ovs_version: ${ovsdbString(options.ovsVersion ?? OVS_VERSION)}`);
  return `${out.join('\n')}\n`;
}
