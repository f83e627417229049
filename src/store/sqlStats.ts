// Counts SQL statements per unit of work (one GraphQL request, one test
// step) through AsyncLocalStorage, so that "constant number of statements"
// is something we measure rather than assume.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface SqlCounter {
  statements: number;
}

const storage = new AsyncLocalStorage<SqlCounter>();

export function recordStatement(): void {
  const counter = storage.getStore();
  if (counter) counter.statements++;
}

/** Runs `fn` with a fresh counter and returns the counter with its result. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const counter: SqlCounter = { statements: 0 };
  const result = await storage.run(counter, fn);
  return { result, statements: counter.statements };
}

/** Runs `fn` (and everything it starts) against `counter`. */
export function withCounter<T>(counter: SqlCounter, fn: () => T): T {
  return storage.run(counter, fn);
}
