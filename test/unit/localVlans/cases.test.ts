import { FreeVlanSet } from '../../../src/domain/localVlans.js';
import { LOCAL_VLAN_CASES } from '../../support/localVlanCases.js';

describe('local VLAN cases through the domain rule', () => {
  it.each(LOCAL_VLAN_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const set = FreeVlanSet.restarted(c.inUse ?? []);
    for (let i = 0; i < (c.poppedBefore ?? 0); i++) set.pop();
    const held = new Map<string, number>();
    const vlans: (number | null)[] = [];
    for (const step of c.steps) {
      const network = step.slice(1);
      if (step.startsWith('-')) {
        set.add(held.get(network)!);
        held.delete(network);
        continue;
      }
      const vlan = set.pop();
      vlans.push(vlan);
      if (vlan !== null) held.set(network, vlan);
    }
    expect(vlans).toEqual(c.vlans);
  });
});
