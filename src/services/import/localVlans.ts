// The OVS agents' local VLANs after an import: one per (host, network) with
// a bound port there. A pair that already has one keeps it, in either mode,
// as the agent keeps a network's VLAN while a port of it stays on the host.
// A host whose VLANs the import changes is taken as its agent restarting:
// it reads the kept VLANs back from br-int and pops the others from its
// fresh set (domain/localVlans.ts), networks taken in id order; its stored
// set is dropped, which is that same restarted set. Pure.
import { groupBy } from '../../domain/import/group.js';
import type { Issues } from '../../domain/import/issues.js';
import type { LocalVlanRow, PortRow } from '../../domain/import/model.js';
import { FreeVlanSet, MAX_LOCAL_VLAN, MIN_LOCAL_VLAN } from '../../domain/localVlans.js';

export interface LocalVlanPlan {
  /** Rows to add (new, or moved to another VLAN). */
  allocated: LocalVlanRow[];
  /** Rows to remove (no bound port of the network left on the host, or moved). */
  released: LocalVlanRow[];
  kept: number;
  /** Hosts whose agent's stored set of free VLANs goes (their agents restart). */
  restartedHosts: string[];
}

const keyOf = (v: { hostId: string; networkId: string }) => `${v.hostId}/${v.networkId}`;

export function planLocalVlans(
  ports: Iterable<PortRow>,
  current: LocalVlanRow[],
  hostName: (hostId: string) => string,
  issues: Issues,
): LocalVlanPlan {
  const needed = new Set<string>();
  const wanted: { hostId: string; networkId: string }[] = [];
  for (const port of ports) {
    if (!port.hostId) continue;
    const key = keyOf({ hostId: port.hostId, networkId: port.networkId });
    if (needed.has(key)) continue;
    needed.add(key);
    wanted.push({ hostId: port.hostId, networkId: port.networkId });
  }
  const kept = current.filter((v) => needed.has(keyOf(v)));
  const held = new Set(kept.map(keyOf));
  const keptOn = groupBy(kept, (v) => v.hostId);
  const target: LocalVlanRow[] = [...kept];

  for (const [hostId, networks] of groupBy(wanted.filter((w) => !held.has(keyOf(w))), (w) => w.hostId)) {
    const used = new Set((keptOn.get(hostId) ?? []).map((v) => v.vlan));
    const ids = networks.map((n) => n.networkId).sort();
    if (used.size + ids.length > MAX_LOCAL_VLAN - MIN_LOCAL_VLAN + 1) {
      issues.add('EXHAUSTED', [], `host '${hostName(hostId)}' would need ${used.size + ids.length} local VLANs; only ${MIN_LOCAL_VLAN}..${MAX_LOCAL_VLAN} exist`);
      continue;
    }
    const free = FreeVlanSet.restarted(used);
    for (const networkId of ids) target.push({ hostId, networkId, vlan: free.pop()! });
  }

  const exact = (v: LocalVlanRow) => `${keyOf(v)}/${v.vlan}`;
  const before = new Set(current.map(exact));
  const after = new Set(target.map(exact));
  const allocated = target.filter((v) => !before.has(exact(v)));
  const released = current.filter((v) => !after.has(exact(v)));
  return {
    allocated,
    released,
    kept: target.filter((v) => before.has(exact(v))).length,
    restartedHosts: [...new Set([...allocated, ...released].map((v) => v.hostId))].sort(),
  };
}
