// The same flows as the older ofctl agent driver printed them (until
// Newton, NEUTRON-MODEL.md §4): `set_tunnel:` instead of the NXM load, and
// ports by ofport number instead of by name.
import { sortFlows, ofPort, type Flow } from './flow.js';
import { renderFlow } from './dumpFlows.js';

export function toLegacyFlow(f: Flow, ofports: Map<string, number>): Flow {
  const byNumber = (text: string) =>
    [...ofports].reduce((t, [name, n]) => t.split(`in_port=${ofPort(name)}`).join(`in_port=${n}`).split(`output:${ofPort(name)}`).join(`output:${n}`), text);
  return {
    ...f,
    match: byNumber(f.match),
    actions: byNumber(f.actions).replace(/load:(0x[0-9a-f]+)->NXM_NX_TUN_ID\[\]/g, 'set_tunnel:$1'),
  };
}

export function renderLegacyDumpFlows(flows: Flow[], ofports: Map<string, number>): string {
  return sortFlows(flows)
    .map((f) => `${renderFlow(toLegacyFlow(f, ofports))}\n`)
    .join('');
}
