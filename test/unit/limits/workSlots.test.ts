// The analyses' share of the pool: at most `size` at once, the rest in line
// in order, and a waiter whose request is abandoned leaves the line.
import { WorkSlots } from '../../../src/services/workSlots.js';

describe('WorkSlots', () => {
  it('grants `size` slots, then lines the rest up in order', async () => {
    const slots = new WorkSlots(2);
    const first = await slots.acquire(null);
    await slots.acquire(null);
    const granted: string[] = [];
    const third = slots.acquire(null).then((release) => (granted.push('third'), release));
    const fourth = slots.acquire(null).then((release) => (granted.push('fourth'), release));
    await new Promise((r) => setImmediate(r));
    expect(granted).toEqual([]);
    expect(slots.waiting).toBe(2);
    first();
    first(); // a second release of one slot gives nothing back
    (await third)();
    await fourth;
    expect(granted).toEqual(['third', 'fourth']);
    expect(slots.taken).toBe(2);
  });

  it('takes an abandoned waiter out of the line, and refuses one abandoned already', async () => {
    const slots = new WorkSlots(1);
    const release = await slots.acquire(null);
    const abandoned = new AbortController();
    const waiting = slots.acquire(abandoned.signal);
    abandoned.abort(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
    expect(slots.waiting).toBe(0);
    await expect(slots.acquire(abandoned.signal)).rejects.toThrow('client gone');
    release();
    expect(slots.taken).toBe(0);
  });
});
