// Loading state shared by the views: data, error, a reload (the refresh
// button, a change of the model), and a replacement (a live answer).
import { useCallback, useEffect, useState } from 'react';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: Error) => current && setState({ data: null, error: error.message, loading: false }),
    );
    return () => {
      current = false;
    };
    // The caller's deps say when `load` asks something else; `round` is a refresh.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const replace = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload, replace };
}

export function RefreshButton({ onClick, loading }: { onClick: () => void; loading: boolean }) {
  return (
    <button type="button" className="refresh" onClick={onClick} disabled={loading} title="Read the model again">
      {loading ? 'Loading…' : '↻ Refresh'}
    </button>
  );
}

export function Problem({ error }: { error: string | null }) {
  return error ? <p className="problem" role="alert">{error}</p> : null;
}
