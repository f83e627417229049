// The dashboard: sign in, then four views (topology, path, host, what-if),
// the current one and its inputs held in the address.
import './styles.css';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, whoAmI, type Viewer } from './api';
import { storedToken, storeToken } from './session';
import { navigate, useRoute } from './route';
import { Topology } from './Topology';
import { PathExplorer } from './PathExplorer';
import { HostView } from './HostView';
import { WhatIf } from './WhatIf';
import { LiveContext, LiveIndicator, openLive, type Live } from './live';

const VIEWS = [
  { key: 'topology', title: 'Topology', admin: false },
  { key: 'path', title: 'Path explorer', admin: false },
  { key: 'host', title: 'Hosts', admin: true },
  { key: 'whatif', title: 'What-if', admin: false },
];

function App() {
  const route = useRoute();
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [state, setState] = useState<{ checking: boolean; error: string | null }>({ checking: true, error: null });

  const signIn = async (token: string | null) => {
    setState({ checking: true, error: null });
    try {
      const who = await whoAmI(token);
      storeToken(token);
      setViewer(who);
      setState({ checking: false, error: null });
    } catch (error) {
      storeToken(null);
      // Without a token, being asked for one is no error: that is what the form is for.
      const quiet = token === null && error instanceof ApiError && error.code === 'UNAUTHENTICATED';
      setState({ checking: false, error: quiet ? null : (error as Error).message });
    }
  };
  useEffect(() => void signIn(storedToken()), []);
  // Signed in: one live connection with the token, closed at sign-out.
  const [live, setLive] = useState<Live | null>(null);
  useEffect(() => {
    if (!viewer) return;
    const opened = openLive(storedToken());
    setLive(opened);
    return () => {
      opened.close();
      setLive(null);
    };
  }, [viewer]);

  if (!viewer) return <SignIn checking={state.checking} error={state.error} onSignIn={signIn} />;
  const views = VIEWS.filter((v) => viewer.admin || !v.admin);
  const view = views.some((v) => v.key === route.view) ? route.view : 'topology';
  return (
    <LiveContext.Provider value={live}>
      <div className="app">
        <header>
          <strong className="brand">neutron-graph</strong>
          <nav>
            {views.map((v) => (
              <a key={v.key} href={`?view=${v.key}`} className={v.key === view ? 'current' : ''} onClick={(e) => { e.preventDefault(); navigate({ view: v.key }); }}>{v.title}</a>
            ))}
          </nav>
          <LiveIndicator />
          <span className="who">{viewer.admin ? 'admin' : `project ${viewer.projects.join(', ') || '—'}`}</span>
          <a href="graphiql" target="_blank" rel="noreferrer">GraphiQL</a>
          {storedToken() && <button type="button" onClick={() => { storeToken(null); setViewer(null); }}>Sign out</button>}
        </header>
        <main>
          {view === 'topology' && <Topology viewer={viewer} route={route} />}
          {view === 'path' && <PathExplorer route={route} />}
          {view === 'host' && <HostView route={route} />}
          {view === 'whatif' && <WhatIf viewer={viewer} route={route} />}
        </main>
      </div>
    </LiveContext.Provider>
  );
}

function SignIn({ checking, error, onSignIn }: { checking: boolean; error: string | null; onSignIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <form className="signin" onSubmit={(e) => { e.preventDefault(); onSignIn(token.trim()); }}>
      <h1>neutron-graph</h1>
      <p>Paste an API token: the server printed the first admin token when it started; <code>npm run cli -- token create --project &lt;id&gt;</code> makes one for a project.</p>
      <input name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder="API token" aria-label="API token" autoFocus />
      <button type="submit" disabled={checking || !token.trim()}>{checking ? 'Checking…' : 'Sign in'}</button>
      {error && <p className="problem" role="alert">{error}</p>}
      <p className="hint">The token stays in this tab only (sessionStorage).</p>
    </form>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
