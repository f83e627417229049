// Live updates: one graphql-ws connection per signed-in tab, on /graphql,
// the token in its connection parameters, reconnecting after any loss. The
// views hear that the model changed (Subscription.changes) and read it again;
// the path explorer follows its path (Subscription.pathVerdict).
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { createClient, type Client } from 'graphql-ws';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'off';

/** Changes come in bursts (one mutation writes several rows): the views read the model once per burst. */
const BURST_MS = 250;
/** The longest wait between two reconnection attempts. */
const MAX_RETRY_WAIT_MS = 10_000;
/** graphql-ws closes with 4403 when the token is refused: trying again would not help. */
const FORBIDDEN = 4403;

export interface Live {
  client: Client;
  status(): LiveStatus;
  onStatus(listener: (status: LiveStatus) => void): () => void;
  /** Called once per burst of changes, and after a reconnection (changes may have been missed meanwhile). */
  onModelChange(listener: () => void): () => void;
  close(): void;
}

const endpoint = new URL('graphql', new URL('./', location.href));
endpoint.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

const closeCode = (event: unknown) => (event && typeof event === 'object' && 'code' in event ? (event as { code: number }).code : null);

export function openLive(token: string | null): Live {
  const statusListeners = new Set<(status: LiveStatus) => void>();
  const changeListeners = new Set<() => void>();
  let burst: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let current: LiveStatus = 'connecting';
  const setStatus = (status: LiveStatus) => {
    if (closed || current === status) return;
    current = status;
    statusListeners.forEach((listener) => listener(status));
  };
  const modelChanged = () => {
    burst ??= setTimeout(() => {
      burst = null;
      changeListeners.forEach((listener) => listener());
    }, BURST_MS);
  };
  const client = createClient({
    url: endpoint.toString(),
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: Infinity,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, MAX_RETRY_WAIT_MS) + Math.random() * 500)),
    shouldRetry: (event) => closeCode(event) !== FORBIDDEN,
    on: {
      connecting: (retrying) => setStatus(retrying ? 'reconnecting' : 'connecting'),
      connected: (_socket, _payload, wasRetry) => {
        setStatus('live');
        if (wasRetry) modelChanged();
      },
      closed: (event) => setStatus(closeCode(event) === FORBIDDEN ? 'off' : 'reconnecting'),
    },
  });
  // Only the sequence: what changed does not matter, the views read their own data again.
  const unsubscribe = client.subscribe({ query: 'subscription { changes { sequence } }' }, { next: modelChanged, error: () => setStatus('off'), complete: () => undefined });
  return {
    client,
    status: () => current,
    onStatus: (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onModelChange: (listener) => {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    close: () => {
      closed = true;
      if (burst) clearTimeout(burst);
      unsubscribe();
      void client.dispose();
    },
  };
}

export const LiveContext = createContext<Live | null>(null);

export function useLiveStatus(): LiveStatus {
  const live = useContext(LiveContext);
  const [status, setStatus] = useState<LiveStatus>(live?.status() ?? 'off');
  useEffect(() => {
    if (!live) return;
    setStatus(live.status());
    return live.onStatus(setStatus);
  }, [live]);
  return status;
}

/** Calls `onChange` (the latest one given) whenever the model changed. */
export function useModelChange(onChange: () => void): void {
  const live = useContext(LiveContext);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => live?.onModelChange(() => latest.current()), [live]);
}

/** Follows one subscription while `variables` is not null; `onData` gets each answer's data. */
export function useSubscription<T>(query: string, variables: Record<string, unknown> | null, onData: (data: T) => void): void {
  const live = useContext(LiveContext);
  const latest = useRef(onData);
  latest.current = onData;
  const key = variables ? JSON.stringify(variables) : null;
  useEffect(() => {
    if (!live || !variables) return;
    return live.client.subscribe<T>({ query, variables }, {
      next: (answer) => answer.data && latest.current(answer.data),
      // The same question over HTTP shows its error; live updates of it just stop.
      error: () => undefined,
      complete: () => undefined,
    });
    // `key` stands for the variables' contents.
  }, [live, query, key]);
}

const LABELS: Record<LiveStatus, string> = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', off: 'not live' };
const TITLES: Record<LiveStatus, string> = {
  connecting: 'Opening the live connection',
  live: 'Views update as the model changes',
  reconnecting: 'The live connection was lost: trying again (Refresh reads the model meanwhile)',
  off: 'No live updates: use Refresh',
};

export function LiveIndicator() {
  const status = useLiveStatus();
  return <span className={`live-status ${status}`} data-testid="live" data-status={status} title={TITLES[status]}>● {LABELS[status]}</span>;
}
