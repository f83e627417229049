// What one request may ask for: depth and aliases are checked when the
// document is validated (GRAPHQL_VALIDATION_FAILED, HTTP 400), the cost once
// the variables are known (a page size may be one), and then billed to the
// token's budget (graphql/requestCost.ts). `first` is capped at MAX_PAGE by
// the connections themselves.
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { getNullableType, GraphQLError, isListType, type ValidationContext, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE, MAX_PAGE } from './connection.js';
import { knownOperationTypes } from './errors.js';
import { WorkRefused } from '../services/requestWork.js';
import type { RequestCost } from './requestCost.js';
import { knownReachabilityPairs, pathCost, reachabilityCost, whatIfCost } from '../services/workCost.js';
import { MAX_WHAT_IF_PAIRS } from '../services/whatIf.js';
import { MAX_REACHABILITY_PAIRS } from '../services/reachability.js';

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

type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const lengthOf = (list: unknown): number => (Array.isArray(list) ? list.length : 0);

/**
 * What the analyses of Query ask for by their arguments (services/workCost.ts),
 * never more than their own bounds let them trace; the rest of their sets is
 * billed when resolved. null for every other field.
 */
function workOf(field: string, args: Args): number | null {
  switch (field) {
    case 'whatIf':
      return whatIfCost(lengthOf(args.changes), Math.min(lengthOf(args.check?.paths), MAX_WHAT_IF_PAIRS));
    case 'diff':
      return whatIfCost(0, Math.min(lengthOf(args.check?.paths), MAX_WHAT_IF_PAIRS));
    case 'reachability':
      return reachabilityCost(Math.min(knownReachabilityPairs(args.sources ?? {}, args.destinations ?? {}, lengthOf(args.flows)), MAX_REACHABILITY_PAIRS), args.bidirectional === true);
    case 'path':
      return pathCost(args.bidirectional === true);
    default:
      return null;
  }
}

/**
 * 1 per field; a paginated field multiplies what it selects by its page
 * size, an unpaginated list by LIST_SIZE_ESTIMATE, and a connection's
 * edges and nodes by nothing more (their page size is already counted).
 * The analyses add the paths they trace. Aliased fields add up.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const work = type.name === 'Query' ? workOf(field.name, args) : null;
  if (work !== null) return 1 + childComplexity + work;
  if (field.args.some((a) => a.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE;
    return 1 + childComplexity * Math.min(Math.max(first, 0), MAX_PAGE);
  }
  if (isListType(getNullableType(field.type)) && !type.name.endsWith('Connection')) return 1 + childComplexity * LIST_SIZE_ESTIMATE;
  return 1 + childComplexity;
};

const refused = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** A refused charge as the client sees it: RATE_LIMITED is HTTP 429 with Retry-After when it stops the whole request. */
export function workRefusal(error: WorkRefused): GraphQLError {
  const retry = error.retryAfterSeconds;
  return new GraphQLError(error.message, {
    extensions: {
      code: error.code,
      ...(retry === null ? {} : { retryAfter: retry }),
      http: { status: error.code === 'RATE_LIMITED' ? 429 : 400, headers: new Map(retry === null ? [] : [['retry-after', String(retry)]]) },
    },
  });
}

/**
 * Weighs the operation with its variables, refuses it above `maxCost`, and
 * bills its cost to the request (and so to its token's budget).
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin<{ cost: RequestCost }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, contextValue }) {
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, operationName: request.operationName, variables: request.variables, estimators: [costEstimator] });
          } catch (error) {
            // Variables that do not fit their types, or a document too large to weigh.
            throw refused((error as Error).message, 'BAD_USER_INPUT');
          }
          if (cost > maxCost) throw refused(`Query cost ${cost} is above the limit of ${maxCost}.`, 'GRAPHQL_VALIDATION_FAILED');
          try {
            contextValue.cost.charge(cost, 'this query');
          } catch (error) {
            if (error instanceof WorkRefused) throw workRefusal(error);
            throw error;
          }
        },
      };
    },
  };
}
