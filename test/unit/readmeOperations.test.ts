// The README's GraphQL examples are one document: each operation is named, so
// they can be pasted together into GraphiQL or a client, and each is valid
// against schema.graphql.
import { readFileSync } from 'node:fs';
import { buildSchema, parse, print, validate, Kind } from 'graphql';
import { SCHEMA_PATH } from '../../src/graphql/schema.js';

const README = new URL('../../README.md', import.meta.url);
const blocks = [...readFileSync(README, 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
const document = parse(blocks.join('\n'));
const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);

describe("the README's GraphQL examples", () => {
  it('are there', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  it('are named operations, each name once', () => {
    expect(operations.filter((op) => !op.name).map((op) => print(op).slice(0, 60))).toEqual([]);
    const names = operations.map((op) => op.name?.value);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('form one document valid against schema.graphql', () => {
    const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });
});
