// What one request may ask for: depth and aliases are checked when the
// document is validated (GRAPHQL_VALIDATION_FAILED, HTTP 400), the cost once
// the variables are known (a page size may be one). `first` is capped at
// MAX_PAGE by the connections themselves.
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { getNullableType, GraphQLError, isListType, type ValidationContext, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE, MAX_PAGE } from './connection.js';
import { knownOperationTypes } from './errors.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/** What an unpaginated list (subnets of a network, ports of an instance) is assumed to hold. */
export const LIST_SIZE_ESTIMATE = 10;

const report = [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)];

export function limitRules(limits: QueryLimits): ValidationRule[] {
  return [
    knownOperationTypes,
    maxDepthRule({ n: limits.maxDepth, propagateOnRejection: false, onReject: report }),
    maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: report }),
  ];
}

/**
 * 1 per field; a paginated field multiplies what it selects by its page
 * size, an unpaginated list by LIST_SIZE_ESTIMATE, and a connection's
 * edges and nodes by nothing more (their page size is already counted).
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (field.args.some((a) => a.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE;
    return 1 + childComplexity * Math.min(Math.max(first, 0), MAX_PAGE);
  }
  if (isListType(getNullableType(field.type)) && !type.name.endsWith('Connection')) return 1 + childComplexity * LIST_SIZE_ESTIMATE;
  return 1 + childComplexity;
};

const refused = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, operationName: request.operationName, variables: request.variables, estimators: [costEstimator] });
          } catch (error) {
            // Variables that do not fit their types, or a document too large to weigh.
            throw refused((error as Error).message, 'BAD_USER_INPUT');
          }
          if (cost > maxCost) throw refused(`Query cost ${cost} is above the limit of ${maxCost}.`, 'GRAPHQL_VALIDATION_FAILED');
        },
      };
    },
  };
}
