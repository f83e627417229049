// An async queue with a byte budget: what a subscriber has not yet taken.
// Over budget, the queue ends instead of growing: the subscriber is too slow
// and gets dropped (docs/live.md, "Subscriptions").

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private items: { value: T; bytes: number }[] = [];
  private bytes = 0;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onOverflow: () => void,
    private readonly onClose: () => void = () => undefined,
  ) {}

  /** Adds `value` (of about `bytes`); over the budget the queue ends and onOverflow runs. */
  push(value: T, bytes: number): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    this.items.push({ value, bytes });
    this.bytes += bytes;
    if (this.bytes > this.maxBytes) {
      this.end();
      this.onOverflow();
    }
  }

  get pendingBytes(): number {
    return this.bytes;
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.items = [];
    this.bytes = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onClose();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item) {
      this.bytes -= item.bytes;
      return Promise.resolve({ value: item.value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
