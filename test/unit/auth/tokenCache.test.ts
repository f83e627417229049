import { TtlCache } from '../../../src/auth/tokenCache.js';

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('loads once per TTL, and shares a look-up that is still running', async () => {
    const cache = new TtlCache<string>(5_000, 10, clock);
    let loads = 0;
    const load = async () => `value ${++loads}`;
    const [a, b] = await Promise.all([cache.get('k', load), cache.get('k', load)]);
    expect([a, b, loads]).toEqual(['value 1', 'value 1', 1]);
    now += 4_999;
    expect(await cache.get('k', load)).toBe('value 1');
    now += 1;
    expect(await cache.get('k', load)).toBe('value 2');
  });

  it('forgets a failed look-up at once', async () => {
    const cache = new TtlCache<string>(5_000, 10, clock);
    await expect(cache.get('k', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(await cache.get('k', async () => 'back')).toBe('back');
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = new TtlCache<number>(5_000, 2, clock);
    await cache.get('a', async () => 1);
    await cache.get('b', async () => 2);
    await cache.get('c', async () => 3);
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 10)).toBe(10);
    expect(await cache.get('c', async () => 30)).toBe(3);
  });

  it('remembers nothing with a TTL of 0', async () => {
    const cache = new TtlCache<number>(0, 10, clock);
    let loads = 0;
    await cache.get('k', async () => ++loads);
    await cache.get('k', async () => ++loads);
    expect([loads, cache.size]).toEqual([2, 0]);
  });

  it('loads again after clear, whatever the TTL left', async () => {
    const cache = new TtlCache<string>(5_000, 10, clock);
    await cache.get('k', async () => 'before');
    cache.clear();
    expect([await cache.get('k', async () => 'after'), cache.size]).toEqual(['after', 1]);
  });
});
