// The view and its inputs live in the address (?view=path&from=test&to=test2…),
// so that any view can be shared or reloaded as it is.
import { useEffect, useState } from 'react';

export type Params = Record<string, string>;

const read = (): Params => Object.fromEntries(new URLSearchParams(location.search));

export function navigate(params: Params): void {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
  history.pushState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Params {
  const [params, setParams] = useState(read);
  useEffect(() => {
    const changed = () => setParams(read());
    addEventListener('popstate', changed);
    return () => removeEventListener('popstate', changed);
  }, []);
  return params;
}
