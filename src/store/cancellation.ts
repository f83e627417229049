// Cancels in PostgreSQL what a request left running when its client went
// away: every statement a request sends (through AsyncLocalStorage, as the
// SQL counter) is cancelled when the request's signal aborts, by a cancel
// request on a connection of its own (the protocol's, as psql's Ctrl-C: no
// pool connection, no login). Like every cancel request, one that arrives
// just after its statement ended stops nothing, or whatever that backend
// runs by then. The statement then fails with query_canceled
// and its transaction rolls back. BEGIN, COMMIT and ROLLBACK are left to
// finish: the transaction they open or close must end normally.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

const storage = new AsyncLocalStorage<AbortSignal>();

/** Runs `fn` (and everything it starts) with the statements it sends cancelled once `signal` aborts. */
export function withCancellation<T>(signal: AbortSignal, fn: () => T): T {
  return storage.run(signal, fn);
}

const TRANSACTION_CONTROL = /^\s*(BEGIN|START|COMMIT|END|ROLLBACK\s*;?\s*$)/i;

/** What node-pg knows of a connection's backend once it is open (BackendKeyData). */
interface Backend {
  host: string;
  port: number;
  processID: number | null;
  secretKey: number | null;
}

/** The protocol's cancel request, on a connection of its own, for the statement `client`'s backend runs now (if any). */
function cancelRunning(client: pg.Client): void {
  const backend = client as unknown as Backend;
  if (backend.processID === null || backend.secretKey === null) return;
  const connection = new pg.Connection() as pg.Connection & { connect(port: number | string, host?: string): void; cancel(processID: number, secretKey: number): void };
  // The server closes the cancel connection itself; a failure there changes nothing for anyone.
  connection.on('error', () => undefined);
  connection.on('connect', () => connection.cancel(backend.processID!, backend.secretKey!));
  if (backend.host.startsWith('/')) connection.connect(`${backend.host}/.s.PGSQL.${backend.port}`);
  else connection.connect(backend.port, backend.host);
}

/**
 * Called for each statement as `client` sends it: ties it to the current
 * request's signal. Returns what to call once the statement has ended (null
 * when it is not tied to any).
 */
export function cancelWithRequest(client: pg.Client, text: unknown): (() => void) | null {
  const signal = storage.getStore();
  if (!signal || (typeof text === 'string' && TRANSACTION_CONTROL.test(text))) return null;
  const cancel = () => cancelRunning(client);
  if (signal.aborted) {
    // Sent after the client went: cancelled as soon as it is on the wire.
    setImmediate(cancel);
    return null;
  }
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}
