import { readFileSync } from 'node:fs';
import { FreeVlanSet } from '../../../src/domain/localVlans.js';

const popAll = (set: FreeVlanSet, n: number) => Array.from({ length: n }, () => set.pop());

describe('the OVS agent set of free local VLANs', () => {
  it('hands out 1, 2, 3 to the first networks', () => {
    expect(popAll(FreeVlanSet.fresh(), 3)).toEqual([1, 2, 3]);
  });

  it('goes on after the last id it gave, not back to a freed lower one', () => {
    // python3 -c 's=set(range(1,4095)); [s.pop() for _ in range(3)]; s.add(2); print(s.pop())' prints 4
    const set = FreeVlanSet.fresh();
    popAll(set, 3);
    set.add(2);
    expect(set.pop()).toBe(4);
  });

  it('puts a freed id into the last deleted slot of its probe run, so it comes back out of numeric order', () => {
    // s=set(range(1,4095)); [s.pop() for _ in range(10)]; [s.add(v) for v in range(1,11)]; list(s)[:6]
    // prints [5, 4, 3, 2, 1, 11]: 1 lands in slot 10, 2 in 9, ..., 5 in 6; 6..10 find no deleted slot
    // and go to never-used slots past 4094.
    const set = FreeVlanSet.fresh();
    popAll(set, 10);
    for (let v = 1; v <= 10; v++) set.add(v);
    expect(set.pop()).toBe(11);
    const order = popAll(set, 4093);
    expect(order.slice(0, 3)).toEqual([12, 13, 14]);
    // After 4094 the finger runs through the upper slots where 7, 8, 9, 10 and 6 ended, then wraps to 5, 4, 3, 2, 1.
    expect(order.slice(-12)).toEqual([4093, 4094, 7, 8, 9, 10, 6, 5, 4, 3, 2, 1]);
    expect(set.pop()).toBeNull();
  });

  it('after 4094 returns the freed ids in table order, not numeric order', () => {
    const set = FreeVlanSet.fresh();
    const all = popAll(set, 4094);
    expect(all[4093]).toBe(4094);
    // s.add(4000); s.add(17); s.pop(), s.pop() prints 4000 17: both probes end in the
    // never-used slots past 4094 and 4000's comes first in table order.
    set.add(4000);
    set.add(17);
    expect(set.pop()).toBe(4000);
    expect(set.pop()).toBe(17);
    expect(set.pop()).toBeNull();
  });

  it('after a restart takes the tags read back from br-int out and starts from the lowest', () => {
    const set = FreeVlanSet.restarted([1, 3, 4]);
    expect(popAll(set, 3)).toEqual([2, 5, 6]);
    expect(set.size).toBe(4094 - 6);
  });

  it('survives its stored state', () => {
    const set = FreeVlanSet.fresh();
    popAll(set, 5);
    set.add(3);
    const again = FreeVlanSet.from(JSON.parse(JSON.stringify(set.state())));
    expect(popAll(again, 3)).toEqual(popAll(set, 3));
    expect(again.state()).toEqual(set.state());
  });

  // Recorded from CPython 3.10, 3.11, 3.12 and 3.13 by cpythonSetTrace.py.
  const { traces } = JSON.parse(readFileSync(new URL('./cpythonSetTrace.json', import.meta.url), 'utf8')) as {
    traces: { name: string; steps: number[]; resizedAt: number | null }[];
  };
  it.each(traces.map((t) => [t.name, t] as const))('pops what CPython pops: %s', (_, trace) => {
    const set = FreeVlanSet.fresh();
    const masks: number[] = [];
    const got = trace.steps.map((step) => {
      if (step < 0) {
        set.add(-step);
        masks.push(set.state().mask);
        return step;
      }
      return set.pop();
    });
    expect(got).toEqual(trace.steps);
    if (trace.resizedAt !== null) expect(new Set(masks)).toEqual(new Set([8191, 16383]));
  });
});
