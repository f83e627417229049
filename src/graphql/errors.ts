import { GraphQLError, type ValidationRule } from 'graphql';
import { isUuid } from '../services/ids.js';

export const badUserInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** A filter or argument that must name a row by UUID. */
export function uuidArg(value: string, name: string): string {
  if (!isUuid(value)) throw badUserInput(`${name} '${value}' is not a UUID`);
  return value.toLowerCase();
}

/**
 * Refuses an operation whose root type the schema lacks (this schema has no
 * Subscription) while the document is validated, so that it is a 400 and not
 * an error thrown at execution.
 */
export const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(`This service has no ${node.operation} operations.`, { nodes: node }));
    }
  },
});
