import { GraphQLError } from 'graphql';
import { isUuid } from '../services/ids.js';

export const badUserInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** A filter or argument that must name a row by UUID. */
export function uuidArg(value: string, name: string): string {
  if (!isUuid(value)) throw badUserInput(`${name} '${value}' is not a UUID`);
  return value.toLowerCase();
}
