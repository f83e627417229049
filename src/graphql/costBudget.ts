// How much cost each token may spend per minute, as a token bucket: full at
// `perMinute`, refilled continuously at perMinute/60 per second, so a burst
// up to the whole minute's budget is served at once and then the token is
// held to the rate. Kept in this process's memory: each server process
// counts on its own.

/** Buckets are swept of the ones full again (idle tokens) every this many charges. */
const SWEEP_EVERY = 1000;

export type BudgetAnswer = { granted: true } | { granted: false; retryAfterSeconds: number };

export class CostBudget {
  private readonly buckets = new Map<string, { left: number; at: number }>();
  private charges = 0;

  /** `perMinute` 0: no budget. */
  constructor(readonly perMinute: number, private readonly now: () => number = Date.now) {}

  /** Takes `cost` from `key`'s bucket if it holds that much; else says how long until it will. */
  take(key: string, cost: number): BudgetAnswer {
    if (this.perMinute === 0 || cost <= 0) return { granted: true };
    if (++this.charges % SWEEP_EVERY === 0) this.sweep();
    const bucket = this.refilled(key);
    // A cost above the whole budget takes a full bucket.
    const needed = Math.min(cost, this.perMinute);
    if (needed <= bucket.left) {
      bucket.left -= needed;
      return { granted: true };
    }
    const missing = needed - bucket.left;
    return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil((missing * 60) / this.perMinute)) };
  }

  private refilled(key: string): { left: number; at: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { left: this.perMinute, at: now };
    bucket.left = Math.min(this.perMinute, bucket.left + ((now - bucket.at) * this.perMinute) / 60_000);
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.left + ((now - bucket.at) * this.perMinute) / 60_000 >= this.perMinute) this.buckets.delete(key);
    }
  }
}
