// CORS for /graphql: the origins of CORS_ORIGINS (none by default) may call
// it from a page of their own, preflight included. Other origins get no
// CORS header, and their preflight a 403. Apollo's CSRF prevention still
// refuses, from anywhere, the requests a browser sends without preflight.
import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id';
const PREFLIGHT_MAX_AGE_S = 600;

/** CORS_ORIGINS as a list of origins (scheme://host[:port]); an entry that is not one is refused at start. */
export function corsOriginsFrom(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return entries.map((entry) => {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      // refused below
    }
    if (!url || url.origin === 'null' || url.origin !== entry.replace(/\/$/, '')) {
      throw new Error(`CORS_ORIGINS: '${entry}' is not an origin such as https://dashboard.example.com:8443 (scheme, host and port only)`);
    }
    return url.origin;
  });
}

export function corsFor(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!origin || !allowed.has(origin)) {
      if (preflight) return void res.status(403).end();
      return next();
    }
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'x-request-id');
    if (!preflight) return next();
    res.setHeader('access-control-allow-methods', 'GET, POST');
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
    res.status(204).end();
  };
}
