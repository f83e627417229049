// The receiving side of bench/live.ts, in a process of its own so that its
// clients' parsing does not count in the server's latency: opens the
// subscriptions, tells the parent when every subscription is live and when
// each change has reached all of them, and at the end sends the latencies.
// A change's latency is its arrival here (performance.timeOrigin +
// performance.now(), the system clock that Date.now() reads, with
// sub-millisecond precision) minus its committedAt (the database's clock at
// the commit; the database runs on this machine, so both read one clock).
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

/** reset: forget the latencies so far (the warm-up's); stop: send them and close. */
export type ToClients = { type: 'reset' } | { type: 'stop' };
export type FromClients =
  | { type: 'live'; subscriptions: number }
  | { type: 'delivered'; sequence: number }
  | { type: 'latencies'; millis: number[] }
  | { type: 'failed'; message: string };

const [url, subscriptionsArg, perConnectionArg] = process.argv.slice(2);
const subscriptions = Number(subscriptionsArg);
const perConnection = Number(perConnectionArg);
const send = (message: FromClients) => process.send!(message);

const clients: Client[] = [];
const arrivals = new Map<number, number>();
const latencies: number[] = [];
let live = 0;
for (let c = 0; c < subscriptions / perConnection; c++) {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
  clients.push(client);
  for (let i = 0; i < perConnection; i++) {
    let first = true;
    client.subscribe(
      { query: 'subscription { changes(filter: { objectType: HOST }) { sequence committedAt } }' },
      {
        next: ({ data }) => {
          const at = performance.timeOrigin + performance.now();
          const change = (data as { changes: { sequence: number; committedAt: string } }).changes;
          latencies.push(at - Date.parse(change.committedAt));
          if (first) {
            first = false;
            if (++live === subscriptions) send({ type: 'live', subscriptions: live });
          }
          const count = (arrivals.get(change.sequence) ?? 0) + 1;
          arrivals.set(change.sequence, count);
          if (count === subscriptions) {
            arrivals.delete(change.sequence);
            send({ type: 'delivered', sequence: change.sequence });
          }
        },
        error: (error) => send({ type: 'failed', message: `subscription failed: ${JSON.stringify(error)}` }),
        complete: () => undefined,
      },
    );
  }
}

process.on('message', async (message: ToClients) => {
  if (message.type === 'reset') {
    latencies.length = 0;
    return;
  }
  await Promise.all(clients.map((c) => c.dispose()));
  process.send!({ type: 'latencies', millis: latencies } satisfies FromClients, () => process.disconnect());
});
