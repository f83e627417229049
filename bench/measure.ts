// Timing and statistics: latencies as nearest-rank percentiles of samples
// taken one request at a time after a warm-up, throughput as work done by N
// concurrent workers over the wall-clock time they took together.
export interface Latency {
  samples: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

/** The nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function latencyOf(millis: number[]): Latency {
  const sorted = [...millis].sort((a, b) => a - b);
  return { samples: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Milliseconds `fn` took, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Runs `fn` `warmup` times untimed, then `iterations` times timed, one after another. */
export async function sampleLatency(iterations: number, warmup: number, fn: (i: number) => Promise<void>): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const millis: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn(i);
    millis.push(performance.now() - start);
  }
  return latencyOf(millis);
}

/** `workers` loops take the items in order until none is left; returns the wall-clock milliseconds. */
export async function runConcurrently<T>(items: T[], workers: number, fn: (item: T, worker: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (next < items.length) await fn(items[next++], worker);
    }),
  );
  return performance.now() - start;
}
