// The tables a mutation appears in agree: every mutation of MUTATIONS is a
// field of Mutation, can be tried in a what-if (a field of ChangeInput with
// the same input type, listed in WHAT_IF_CHANGES) unless it is one of the
// few kept out, and says in MUTATION_RULES whether a project token may call it.
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLInputObjectType, type GraphQLObjectType } from 'graphql';
import { SCHEMA_PATH } from '../../src/graphql/schema.js';
import { MUTATIONS } from '../../src/services/mutations.js';
import { WHAT_IF_CHANGES } from '../../src/services/whatIf.js';
import { MUTATION_RULES } from '../../src/graphql/authorization.js';

const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
const mutationFields = (schema.getMutationType() as GraphQLObjectType).getFields();
const changeFields = (schema.getType('ChangeInput') as GraphQLInputObjectType).getFields();

// Kept out of what-if: objects nothing traced depends on until something else refers to them,
// deletions that refuse while in use, and settings that move no packet.
const WITHOUT_WHAT_IF = [
  'registerHost', 'deleteNetwork', 'deleteSubnet', 'createRouter', 'deleteRouter', 'createSecurityGroup', 'deleteSecurityGroup',
  'deleteFloatingIp', 'setQuota',
];

it('lists every mutation as a field of Mutation', () => {
  for (const name of Object.keys(MUTATIONS)) expect([name, Boolean(mutationFields[name])]).toEqual([name, true]);
});

it('gives every mutation but the few kept out its what-if form, with the same input type', () => {
  const expected = Object.keys(MUTATIONS).filter((name) => !WITHOUT_WHAT_IF.includes(name)).sort();
  expect([...WHAT_IF_CHANGES].sort()).toEqual(expected);
  expect(Object.keys(changeFields).sort()).toEqual(expected);
  for (const name of expected) expect([name, String(changeFields[name].type)]).toEqual([name, String(mutationFields[name].args[0].type).replace(/!$/, '')]);
});

it('names every update in MUTATION_RULES', () => {
  const updates = Object.keys(MUTATIONS).filter((name) => name.startsWith('update'));
  expect(updates.length).toBeGreaterThan(0);
  for (const name of updates) expect([name, name in MUTATION_RULES]).toEqual([name, true]);
});
