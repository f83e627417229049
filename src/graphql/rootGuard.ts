// Puts authorization in front of every root field of the schema, including
// fields added later: Query fields by QUERY_ACCESS, Mutation fields by
// MUTATION_RULES (a refused input comes back as the payload's userErrors,
// with nothing written).
import { defaultFieldResolver, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { DomainError } from '../services/errors.js';
import { authorizeChange, authorizeQuery } from './authorization.js';
import type { Context } from './context.js';

function guardFields(type: GraphQLObjectType | null | undefined, guard: (field: string, args: Record<string, unknown>, ctx: Context, run: (args: Record<string, unknown>) => unknown) => unknown) {
  for (const field of Object.values(type?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (parent, args, ctx: Context, info) => guard(field.name, args, ctx, (checked) => resolve(parent, checked, ctx, info));
  }
}

export function guardRootFields(schema: GraphQLSchema): GraphQLSchema {
  guardFields(schema.getQueryType(), (field, args, ctx, run) => {
    authorizeQuery(field, ctx);
    return run(args);
  });
  guardFields(schema.getMutationType(), async (field, args, ctx, run) => {
    let input: unknown;
    try {
      input = await authorizeChange(field, (args.input ?? {}) as object, ctx);
    } catch (error) {
      if (error instanceof DomainError) return { userErrors: error.errors };
      throw error;
    }
    return run('input' in args ? { ...args, input } : args);
  });
  return schema;
}
