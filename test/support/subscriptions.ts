// A graphql-ws client for tests: subscribe, collect what arrives, wait for it.
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';

export interface Subscription<T> {
  /** Everything received so far, in order. */
  events: T[];
  errors: unknown[];
  completed: boolean;
  /** Resolves once `predicate` holds for the events (polls; fails after `timeoutMs`). */
  until(predicate: (events: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

export interface LiveClient {
  client: Client;
  /** Close codes the socket saw. */
  closes: { code: number; reason: string }[];
  subscribe<T = any>(query: string, variables?: Record<string, unknown>, pick?: (data: any) => T): Subscription<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

export async function waitUntil(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function liveClient(httpUrl: string, token: string | null): LiveClient {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => closes.push({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }) },
  });
  return {
    client,
    closes,
    subscribe<T>(query: string, variables: Record<string, unknown> = {}, pick: (data: any) => T = (d) => d) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const sub: Subscription<T> = {
        events: [],
        errors: [],
        completed: false,
        until: async (predicate, timeoutMs = 20_000) => {
          await waitUntil(() => predicate(sub.events) || sub.errors.length > 0 || sub.completed, timeoutMs, 'subscription events');
          if (!predicate(sub.events)) throw new Error(`subscription ended or failed: ${JSON.stringify(sub.errors)}`);
          return sub.events;
        },
        stop: () => undefined,
      };
      sub.stop = client.subscribe(
        { query, variables },
        {
          next: (value) => {
            if (value.errors) sub.errors.push(value.errors);
            else sub.events.push(pick(value.data));
          },
          error: (error) => sub.errors.push(error),
          complete: () => {
            sub.completed = true;
          },
        },
      );
      return sub;
    },
    close: () => client.dispose() as Promise<void>,
  };
}
