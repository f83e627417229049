// A local GraphiQL, bundled with the dashboard, at /graphiql and at
// /graphql for a browser's GET (one that asks for HTML and sends no query).
// It replaces Apollo's landing page, which loads its Sandbox from a CDN;
// Apollo's usage and schema reporting stay off too, so nothing is sent out.
import path from 'node:path';
import type { Express, Request } from 'express';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { notBuiltPage, WEB_DIST } from './webDist.js';

/** Apollo plugins that keep the server from showing its CDN landing page or reporting anywhere. */
export function noApolloLandingPageOrReporting(): ApolloServerPlugin<BaseContext>[] {
  return [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}

/** A browser opening the URL, not a GraphQL client sending a GET query. */
function wantsPage(req: Request): boolean {
  return req.query.query === undefined && req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export function mountGraphiql(app: Express, dist = WEB_DIST): void {
  const send = (res: import('express').Response) => {
    const missing = notBuiltPage(dist, 'graphiql.html');
    if (missing) return res.status(503).type('text/plain').send(missing);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(path.join(dist, 'graphiql.html'));
  };
  app.get('/graphiql', (_req, res) => send(res));
  app.get('/graphql', (req, res, next) => (wantsPage(req) ? send(res) : next()));
}
