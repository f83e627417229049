// Sequences of networks coming to and leaving one host, with the local VLAN
// the OVS agent gives each arrival (null: none left, EXHAUSTED), as CPython
// 3.10 to 3.13 print them: the agent's available_local_vlans driven through
// the same set.remove / set.pop / set.add calls. Run through the domain rule
// (test/unit/localVlans) and through the GraphQL API on a real database
// (test/integration/localVlanRule.test.ts).
export interface LocalVlanCase {
  name: string;
  /** The agent started with these VLANs tagged on br-int (set.remove of each). */
  inUse?: number[];
  /** The agent has popped this many VLANs before, for networks since gone elsewhere (stored state). */
  poppedBefore?: number;
  /** '+x': the first port of network x arrives; '-x': the last one leaves. */
  steps: string[];
  /** The VLAN of each arrival, in order. */
  vlans: (number | null)[];
}

export const LOCAL_VLAN_CASES: LocalVlanCase[] = [
  { name: 'a freed VLAN does not come back next', steps: ['+a', '+b', '+c', '-b', '+d', '-a', '-d', '+e', '+f'], vlans: [1, 2, 3, 4, 5, 6] },
  { name: 'the lowest freed one neither', steps: ['+a', '+b', '-a', '+c'], vlans: [1, 2, 3] },
  { name: 'after 4094 the freed ones come back, last given first', poppedBefore: 4090, steps: ['+a', '+b', '-a', '+c', '+d', '+e', '+f'], vlans: [4091, 4092, 4093, 4094, 4091, null] },
  {
    name: 'freed ones come back in table order, not numeric order',
    poppedBefore: 4088,
    steps: ['+a', '+b', '+c', '-a', '-c', '+d', '+e', '+f', '+g', '+h'],
    vlans: [4089, 4090, 4091, 4092, 4093, 4094, 4091, 4089],
  },
  { name: 'an agent started with VLANs in use skips them', inUse: [1, 3], steps: ['+a', '+b', '-a', '+c'], vlans: [2, 4, 5] },
];
