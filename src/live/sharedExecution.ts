// A subscription's events executed once per group of subscriptions that
// would get the same result: the same query, variables and operation, seen
// by the same viewer. The change feed hands each change to all of one
// viewer's subscribers as one object (src/live/feed.ts), so a thousand
// subscriptions of one query execute their selection once per change
// instead of a thousand times. An event given to one subscription only (a
// path verdict, traced for its subscription) is executed for it alone, as
// graphql-js's own subscribe does.
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

export interface SharedExecution {
  /** Puts the subscription whose parsed `document` this is in `group`. */
  join(document: object, group: string): void;
  /** graphql-ws's `subscribe`: graphql-js's, with the execution of each event shared within a group. */
  subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
}

/** The group of a subscription: what its result depends on. */
export const groupOf = (query: string, variables: unknown, operationName: string | null | undefined, viewerProject: string | null) =>
  JSON.stringify([query, variables ?? null, operationName ?? null, viewerProject]);

export function sharedExecution(): SharedExecution {
  const groups = new WeakMap<object, string>();
  /** Per event, each group's result; gone with the event. */
  const results = new WeakMap<object, Map<string, Result>>();
  return {
    join: (document, group) => groups.set(document, group),
    subscribe: async (args) => {
      const events = await createSourceEventStream(args);
      if (!(Symbol.asyncIterator in events)) return events;
      const group = groups.get(args.document);
      const run = (event: unknown): Result => {
        const alone = () => execute({ ...args, rootValue: event });
        if (group === undefined || typeof event !== 'object' || event === null) return alone();
        let byGroup = results.get(event);
        if (!byGroup) results.set(event, (byGroup = new Map()));
        let result = byGroup.get(group);
        if (!result) byGroup.set(group, (result = alone()));
        return result;
      };
      return mapEvents(events[Symbol.asyncIterator](), run);
    },
  };
}

/** `events` mapped through `fn`, ended when the consumer ends it (return()) or `fn` throws. */
function mapEvents<T, R>(events: AsyncIterator<T>, fn: (event: T) => R | Promise<R>): AsyncIterableIterator<R> {
  const end = async (): Promise<IteratorResult<R>> => {
    await events.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      const next = await events.next();
      if (next.done) return { value: undefined, done: true };
      try {
        return { value: await fn(next.value), done: false };
      } catch (error) {
        await end();
        throw error;
      }
    },
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
