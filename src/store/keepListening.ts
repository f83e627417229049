// A LISTEN that stays up: when its connection is lost (or cannot be
// opened), it listens again a second later, until stopped. Notifications
// sent while nobody listened are gone, so `onListening` is told every time
// the LISTEN is (re)established: the place to catch up on what was missed.
import type { Logger } from 'pino';
import type { Database } from './db.js';

const RELISTEN_MS = 1000;

export interface Listening {
  stop(): Promise<void>;
}

export interface ListenHandlers {
  onMessage(payload: string): void;
  onListening(): void;
}

/** `what` names the listener in the log ("change feed", ...). */
export async function keepListening(db: Database, channel: string, handlers: ListenHandlers, logger: Logger, what: string): Promise<Listening> {
  let stopped = false;
  let unlisten: (() => Promise<void>) | null = null;
  let retry: NodeJS.Timeout | null = null;

  const relisten = () => {
    if (stopped) return;
    retry = setTimeout(() => void listen(), RELISTEN_MS);
    retry.unref();
  };

  const listen = async () => {
    retry = null;
    if (stopped) return;
    try {
      const stop = await db.listen(channel, handlers.onMessage, (error) => {
        logger.warn({ err: error }, `${what}: LISTEN connection lost; listening again`);
        unlisten = null;
        relisten();
      });
      // Stopped while the connection opened: nobody will call unlisten later.
      if (stopped) return void (await stop());
      unlisten = stop;
      handlers.onListening();
    } catch (err) {
      logger.warn({ err }, `${what}: LISTEN failed; trying again`);
      relisten();
    }
  };

  await listen();
  return {
    stop: async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      await unlisten?.();
    },
  };
}
