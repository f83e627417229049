// `ovs-ofctl dump-flows <bridge>` text with the bridge's cookie but without
// the per-flow statistics (duration, n_packets, n_bytes, idle_age), one line
// per flow, as lib/ofp-flow.c ofputil_flow_stats_format lays it out:
//    cookie=0x8d5f0a1b2c3d4e5f, table=22, priority=1,dl_vlan=1 actions=strip_vlan,load:0x39->NXM_NX_TUN_ID[],output:"vxlan-0a00000c"
// This is the native (os-ken) agent as seen with OVS >= 2.8: output and
// in_port refer to ports by name, quoted as OVS quotes them, never by ofport
// number (docs/neutron-model.md, "Flow cookies"). Like current ovs-ofctl,
// no reply header line.
import { sortFlows, type Flow } from './flow.js';

export function renderFlow(f: Flow): string {
  const match = f.match ? `,${f.match}` : '';
  return ` cookie=${f.cookie}, table=${f.table}, priority=${f.priority}${match} actions=${f.actions}`;
}

/** The flows in ovs-ofctl's order (table, then priority descending), newline-terminated; '' for none. */
export function renderDumpFlows(flows: Flow[]): string {
  return sortFlows(flows)
    .map((f) => `${renderFlow(f)}\n`)
    .join('');
}
