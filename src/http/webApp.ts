// Serves the dashboard (web/dist) at `/`: index.html never cached, the
// hashed assets cached for good.
import path from 'node:path';
import express, { type Express } from 'express';
import { notBuiltPage, WEB_DIST } from './webDist.js';

export function mountWebApp(app: Express, dist = WEB_DIST): void {
  app.get('/', (_req, res, next) => {
    const missing = notBuiltPage(dist, 'index.html');
    if (!missing) return next();
    res.status(503).type('text/plain').send(missing);
  });
  app.use(
    '/assets',
    express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  app.use(
    express.static(dist, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
}
