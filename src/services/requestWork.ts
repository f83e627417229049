// What the request a service runs for allows it: whether its client is still
// there (an AbortSignal), the slots heavy work shares, and the cost of work
// only known once its sets are resolved (a project's instance pairs, a
// network's ports), billed against the request's cost limit and the token's
// budget. Carried through AsyncLocalStorage from the HTTP request to the
// services it calls; outside a request (command line, tests calling services
// directly) nothing is limited.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkSlots } from './workSlots.js';

export type WorkRefusalCode = 'COST_LIMIT_EXCEEDED' | 'RATE_LIMITED';

/** Work refused for what it would cost; `retryAfterSeconds` when waiting helps (RATE_LIMITED). */
export class WorkRefused extends Error {
  constructor(readonly code: WorkRefusalCode, message: string, readonly retryAfterSeconds: number | null = null) {
    super(message);
  }
}

/** The request's client went away: its work is abandoned. */
export class RequestAbandoned extends Error {
  constructor() {
    super('the client closed the connection before the response');
  }
}

export interface RequestWork {
  signal: AbortSignal;
  /** Slots of the connection pool that what-ifs and set analyses share. */
  slots: WorkSlots | null;
  /** Bills `cost` more to the request (throws WorkRefused over its limit or the token's budget); `what` names the work in the refusal. */
  charge(cost: number, what: string): void;
}

const storage = new AsyncLocalStorage<RequestWork>();

export function withRequestWork<T>(work: RequestWork, fn: () => T): T {
  return storage.run(work, fn);
}

/** Bills work found at resolution to the current request, if any. */
export function chargeWork(cost: number, what: string): void {
  if (cost > 0) storage.getStore()?.charge(cost, what);
}

/** Whether the current request's client has gone. */
export const isAbandoned = (): boolean => storage.getStore()?.signal.aborted === true;

/** Throws RequestAbandoned once the current request's client has gone. */
export function stopIfAbandoned(): void {
  if (isAbandoned()) throw new RequestAbandoned();
}

/** Lets other requests (and the client's going away) be noticed between slices of long synchronous work. */
export async function yieldToOthers(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  stopIfAbandoned();
}

/** Runs heavy work in one of the request's shared slots, waiting in line for it. */
export async function inWorkSlot<T>(fn: () => Promise<T>): Promise<T> {
  const work = storage.getStore();
  if (!work?.slots) return fn();
  let release: () => void;
  try {
    release = await work.slots.acquire(work.signal);
  } catch {
    throw new RequestAbandoned();
  }
  try {
    return await fn();
  } finally {
    release();
  }
}
