// Subscriptions of one group execute a shared event once and get the same
// result; other groups, and events given to one subscription only, are
// executed for themselves; ending a subscription ends its source.
import { buildSchema, parse, type ExecutionResult, type GraphQLObjectType } from 'graphql';
import { groupOf, sharedExecution } from '../../../src/live/sharedExecution.js';
import { EventQueue } from '../../../src/live/queue.js';

interface Event {
  n: number;
}

function setup() {
  const schema = buildSchema('type Query { n: Int } type Event { n: Int! label(prefix: String!): String! } type Subscription { events: Event! }');
  const labels: string[] = [];
  const sources: EventQueue<Event>[] = [];
  const rootValue = {
    events: () => {
      const queue = new EventQueue<Event>(1 << 20, () => undefined);
      sources.push(queue);
      return queue;
    },
  };
  // Each event is the subscription field's value; label counts its executions.
  schema.getSubscriptionType()!.getFields().events.resolve = (event: Event) => event;
  (schema.getType('Event') as GraphQLObjectType).getFields().label.resolve = (event: Event, args: { prefix: string }) => {
    labels.push(`${args.prefix}${event.n}`);
    return `${args.prefix}${event.n}`;
  };
  const shared = sharedExecution();
  const subscribe = async (query: string, variables: Record<string, unknown>, viewer: string | null) => {
    const document = parse(query);
    shared.join(document, groupOf(query, variables, null, viewer));
    const stream = await shared.subscribe({ schema, document, rootValue, variableValues: variables });
    return stream as AsyncIterableIterator<ExecutionResult>;
  };
  return { subscribe, sources, labels };
}

const QUERY = 'subscription($p: String!) { events { n label(prefix: $p) } }';

describe('sharedExecution', () => {
  it('executes a shared event once per group, and once more for another group', async () => {
    const { subscribe, sources, labels } = setup();
    const a = await subscribe(QUERY, { p: 'x' }, null);
    const b = await subscribe(QUERY, { p: 'x' }, null);
    const c = await subscribe(QUERY, { p: 'y' }, null);
    const d = await subscribe(QUERY, { p: 'x' }, 'project-1');
    const event = { n: 1 };
    for (const source of sources) source.push(event, 1);
    const results = await Promise.all([a, b, c, d].map((s) => s.next()));
    expect(results.map((r) => r.value.data)).toEqual([
      { events: { n: 1, label: 'x1' } },
      { events: { n: 1, label: 'x1' } },
      { events: { n: 1, label: 'y1' } },
      { events: { n: 1, label: 'x1' } },
    ]);
    expect(results[0].value).toBe(results[1].value);
    expect(labels.sort()).toEqual(['x1', 'x1', 'y1']);
  });

  it('executes an event given to one subscription for it alone', async () => {
    const { subscribe, sources, labels } = setup();
    const a = await subscribe(QUERY, { p: 'x' }, null);
    const b = await subscribe(QUERY, { p: 'x' }, null);
    sources[0].push({ n: 1 }, 1);
    sources[1].push({ n: 2 }, 1);
    expect((await a.next()).value.data).toEqual({ events: { n: 1, label: 'x1' } });
    expect((await b.next()).value.data).toEqual({ events: { n: 2, label: 'x2' } });
    expect(labels).toEqual(['x1', 'x2']);
  });

  it('ends its source when it is ended', async () => {
    const { subscribe, sources } = setup();
    const a = await subscribe(QUERY, { p: 'x' }, null);
    await a.return!();
    expect(await sources[0].next()).toEqual({ value: undefined, done: true });
    expect(await a.next()).toEqual({ value: undefined, done: true });
  });
});
