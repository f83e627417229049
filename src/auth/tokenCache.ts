// A short-lived, per-process memory of token look-ups: a token costs one
// database round trip per replica per TTL, however many requests carry it,
// and concurrent first requests share one look-up. Unknown and revoked
// tokens are remembered too, so that garbage does not reach the database on
// every request. A revocation empties the cache at once (auth/revocations.ts);
// a replica that missed it still forgets within the TTL.

interface Entry<V> {
  expires: number;
  value: Promise<V>;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The remembered value of `key`, or the one `load` gives (remembered unless it fails). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > at) return hit.value;
    if (hit) this.entries.delete(key);
    const value = load();
    if (this.ttlMs > 0) {
      // Oldest first out: Map keeps insertion order.
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { expires: at + this.ttlMs, value });
      value.catch(() => {
        if (this.entries.get(key)?.value === value) this.entries.delete(key);
      });
    }
    return value;
  }

  /** Forgets everything: the next look-up of any key loads again. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
