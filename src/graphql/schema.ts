// The executable schema: schema.graphql (the contract) + resolvers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { scalarResolvers } from './scalars.js';
import { queryResolvers } from './resolvers/query.js';
import { mutationResolvers } from './resolvers/mutation.js';
import { typeResolvers } from './resolvers/types.js';
import { plumbingResolvers } from './resolvers/plumbing.js';
import { importResolvers } from './resolvers/import.js';
import { pathResolvers } from './resolvers/path.js';
import { whatIfResolvers } from './resolvers/whatIf.js';
import { quotaResolvers } from './resolvers/quotas.js';
import { changeResolvers } from './resolvers/changes.js';
import { analysisResolvers } from './resolvers/analysis.js';
import { subscriptionResolvers } from './resolvers/subscriptions.js';
import { webhookResolvers } from './resolvers/webhooks.js';
import { tokenResolvers } from './resolvers/tokens.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export function buildSchema() {
  return makeExecutableSchema({
    typeDefs: readFileSync(SCHEMA_PATH, 'utf8'),
    resolvers: [{ ...scalarResolvers, Query: queryResolvers, Mutation: mutationResolvers, ...typeResolvers }, plumbingResolvers, pathResolvers, whatIfResolvers, importResolvers, quotaResolvers, changeResolvers, subscriptionResolvers, webhookResolvers, tokenResolvers, analysisResolvers],
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
}
