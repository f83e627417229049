// The API token the user signed in with: kept for this tab only (sessionStorage).
const KEY = 'neutron-graph.token';

export const storedToken = (): string | null => sessionStorage.getItem(KEY);

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}
