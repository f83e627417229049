// An operation whose root type the schema lacks is a validation error (a
// 400), not a fault at execution.
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { knownOperationTypes } from '../../src/graphql/errors.js';

const schema = buildSchema('type Query { a: Int }');
const errorsOf = (query: string) => validate(schema, parse(query), [...specifiedRules, knownOperationTypes]).map((e) => e.message);

it('refuses subscriptions and mutations a schema does not have', () => {
  expect(errorsOf('subscription { x }')).toContain('This service has no subscription operations.');
  expect(errorsOf('mutation { x }')).toContain('This service has no mutation operations.');
});

it('lets a query through', () => {
  expect(errorsOf('{ a }')).toEqual([]);
});
