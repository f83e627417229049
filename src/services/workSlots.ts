// A counting semaphore: what-ifs and set analyses hold a database connection
// (and memory) for their whole run, so only `size` of them run at once and
// the rest wait in line, leaving the other connections of the pool to
// mutations and small reads. A waiter whose request was abandoned leaves the
// line.

export class WorkSlots {
  private free: number;
  private readonly line: { grant: () => void; abandon: () => void }[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** How many wait for a slot (metrics). */
  get waiting(): number {
    return this.line.length;
  }

  /** How many slots are taken (metrics). */
  get taken(): number {
    return this.size - this.free;
  }

  /** Resolves, once a slot is free, to the function that gives it back; rejects with `signal`'s reason if it aborts first. */
  acquire(signal: AbortSignal | null): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', entry.abandon);
          resolve(this.releaser());
        },
        abandon: () => {
          const at = this.line.indexOf(entry);
          if (at >= 0) this.line.splice(at, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', entry.abandon, { once: true });
      this.line.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.line.shift();
      if (next) next.grant();
      else this.free++;
    };
  }
}
