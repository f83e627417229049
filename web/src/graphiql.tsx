// GraphiQL, bundled and served by us instead of Apollo's CDN landing page.
// It sends the dashboard's token (sessionStorage) when there is one.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { storedToken } from './session';

const endpoint = new URL('graphql', new URL('./', location.href)).toString();

async function fetcher(params: unknown) {
  const token = storedToken();
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  return res.json();
}

createRoot(document.getElementById('graphiql')!).render(<GraphiQL fetcher={fetcher} />);
