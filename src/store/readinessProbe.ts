// Readiness asks PostgreSQL over a connection of its own, outside the
// request pool: a pool saturated by slow requests says nothing about the
// database, and /readyz must not fail (and take the replica out of the load
// balancer) because of the queue. One connection, opened on first use and
// replaced after any failure; concurrent probes share one round trip.
import pg from 'pg';

export interface ReadinessProbe {
  /** Resolves when the database answers `SELECT 1` within `timeoutMs`; throws otherwise. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export function readinessProbe(url: string): ReadinessProbe {
  let client: pg.Client | null = null;
  let inFlight: Promise<void> | null = null;
  let closed = false;

  const discard = (dead: pg.Client) => {
    if (client === dead) client = null;
    dead.end().catch(() => undefined);
  };

  const once = async (timeoutMs: number) => {
    if (closed) throw new Error('the database is closed');
    let current = client;
    if (!current) {
      current = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: 'neutron-graph readiness' });
      const fresh = current;
      // A connection the server closes while idle must not crash the process.
      fresh.on('error', () => discard(fresh));
      try {
        await fresh.connect();
      } catch (error) {
        discard(fresh);
        throw error;
      }
      client = fresh;
    }
    try {
      await current.query('SELECT 1');
    } catch (error) {
      discard(current);
      throw error;
    }
  };

  return {
    ping: (timeoutMs) => {
      inFlight ??= once(timeoutMs).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    close: async () => {
      closed = true;
      if (client) await client.end().catch(() => undefined);
      client = null;
    },
  };
}
