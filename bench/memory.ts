// The serving process's resident memory, read after a full garbage
// collection so that the figure is what the process holds, not garbage it
// has not collected yet.
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null = null;

function fullGc(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

export interface MemoryFigures {
  /** RSS after a full collection, in MB (10^6 bytes). */
  rssMB: number;
  heapUsedMB: number;
  /** The highest RSS of the process so far (generation and import included), in MB. */
  peakRssMB: number;
}

export async function memoryAfterGc(): Promise<MemoryFigures> {
  for (let i = 0; i < 2; i++) {
    fullGc();
    // Let V8 hand freed pages back to the system between collections.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const usage = process.memoryUsage();
  return { rssMB: usage.rss / 1e6, heapUsedMB: usage.heapUsed / 1e6, peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6 };
}
