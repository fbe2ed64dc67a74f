import { buildSchema, operationFromDocument, type Selection } from '@apollo/federation-internals';
import { parse, type GraphQLError } from 'graphql';
import { apolloComputeResponse, shapeResponse, useResponseShaping, type ShapeInput } from '../shapeResponse';

/** The gateway's own implementation, taken before anything replaces it: the reference every answer is compared with. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gatewayShaping = require('@apollo/gateway/dist/resultShaping') as { computeResponse: (input: ShapeInput) => { data: unknown; errors: GraphQLError[] } };
const reference = gatewayShaping.computeResponse;

const SDL = `
  scalar DateTime
  enum Status { OPEN CLOSED }
  interface Resource { id: ID! name: String }
  type Instrument implements Resource { id: ID! name: String count: Int! fee: Float status: Status at: DateTime tags: [String!] lab: Lab }
  type Lab implements Resource { id: ID! name: String instruments: [Instrument!]! open: Boolean }
  union Found = Instrument | Lab
  type Query {
    resource(id: ID!): Resource
    resources: [Resource]
    found: [Found!]
    lab: Lab!
    labs: [Lab!]
    numbers: [Int]
    status: Status
  }
`;
const schema = buildSchema(SDL);

/** Both implementations' outcome, as text: the data in key order, each error's message, path and code, or what was thrown. */
function outcome(shape: (input: ShapeInput) => { data: unknown; errors: GraphQLError[] }, query: string, input: unknown, variables: Record<string, unknown> = {}): string {
  const operation = operationFromDocument(schema, parse(query));
  const introspectionHandling = (selection: Selection) => ({ introspected: selection.kind === 'FieldSelection' ? selection.element.responseName() : null });
  try {
    const { data, errors } = shape({ operation, variables, input: structuredClone(input) as Record<string, unknown>, introspectionHandling });
    return JSON.stringify({ data, errors: errors.map((error) => ({ message: error.message, path: error.path, code: error.extensions['code'] })) });
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

function expectSame(query: string, input: unknown, variables?: Record<string, unknown>): string {
  const expected = outcome(reference, query, input, variables);
  expect(outcome(shapeResponse, query, input, variables)).toBe(expected);
  return expected;
}

const LAB = { __typename: 'Lab', id: 'l1', name: 'Optics', open: true, instruments: [
  { __typename: 'Instrument', id: 'i1', name: 'Microscope', count: 2, fee: 1.5, status: 'OPEN', at: '2026-01-01', tags: ['a', 'b'] },
  { __typename: 'Instrument', id: 'i2', name: null, count: 3, fee: null, status: 'CLOSED', at: null, tags: null },
] };

const QUERIES = {
  plain: `{ lab { id name open instruments { id name count fee status at tags } } }`,
  aliases: `{ main: lab { key: id title: name instruments { n: name c: count kind: __typename } } }`,
  typename: `{ lab { __typename t: __typename instruments { __typename } } }`,
  fragments: `{ found { __typename ... on Instrument { id count lab { name } } ... on Lab { id open } ...R } resources { ...R ... on Lab { name instruments { id } } } }
    fragment R on Resource { id name }`,
  directives: `query($yes: Boolean!, $no: Boolean!) { lab { id @skip(if: $yes) name @include(if: $no) open @include(if: $yes) ... on Lab @skip(if: $no) { instruments { id @skip(if: true) count @include(if: true) } } } }`,
  merged: `{ lab { instruments { id } ... on Lab { instruments { name count } } } }`,
  leaves: `{ numbers status lab { open instruments { count fee status tags } } }`,
  introspection: `{ __typename __schema { queryType { name } } lab { id } }`,
  inheritedNames: `{ __proto__: lab { constructor: id toString: name hasOwnProperty: open valueOf: instruments { __proto__: id } } }`,
};

describe('shapeResponse answers what @apollo/gateway computeResponse answers', () => {
  it.each([
    ['a whole tree', QUERIES.plain, { lab: LAB }],
    ['aliases and a typename under an alias', QUERIES.aliases, { main: { key: 'l1', title: 'Optics', instruments: [{ n: 'x', c: 1, kind: 'Instrument' }] } }],
    ['typenames asked for and answered by parent type', QUERIES.typename, { lab: { __typename: 'Lab', instruments: [{}, { __typename: 'Instrument' }] } }],
    ['fragments on interfaces and unions, a named fragment, fields merged', QUERIES.fragments, {
      found: [{ __typename: 'Instrument', id: 'i1', name: 'M', count: 1, lab: { name: 'Optics' } }, { __typename: 'Lab', id: 'l1', name: 'Optics', open: false }],
      resources: [{ __typename: 'Lab', id: 'l1', name: 'Optics', instruments: [{ id: 'i1' }] }, null, { __typename: 'Instrument', id: 'i2', name: 'N' }],
    }],
    ['fields merged from a fragment', QUERIES.merged, { lab: { instruments: [{ id: 'i1', name: 'M', count: 1 }, { id: 'i2', name: null, count: 0 }] } }],
    ['an introspection field', QUERIES.introspection, { lab: { id: 'l1' } }],
    ['no data', QUERIES.plain, null],
  ])('%s', (_name, query, input) => {
    expectSame(query, input);
  });

  it('aliases named like what plain objects inherit (__proto__, constructor, toString) are answered as the fields they are', () => {
    // As a subgraph's answer arrives: parsed from JSON, where `__proto__` is a key like any other.
    const input = JSON.parse('{"__proto__":{"constructor":"l1","toString":"Optics","hasOwnProperty":true,"valueOf":[{"__proto__":"i1"}]}}');
    expect(expectSame(QUERIES.inheritedNames, input)).toBe(
      '{"data":{"__proto__":{"constructor":"l1","toString":"Optics","hasOwnProperty":true,"valueOf":[{"__proto__":"i1"}]}},"errors":[]}',
    );
  });

  it.each([
    [{ yes: true, no: false }],
    [{ yes: false, no: true }],
    [{ yes: false, no: false }],
  ])('@skip and @include by variables %j', (variables) => {
    expectSame(QUERIES.directives, { lab: LAB }, variables);
  });

  it('a directive variable left out throws the same assertion', () => {
    expect(expectSame(QUERIES.directives, { lab: LAB }, { yes: true })).toMatch(/^threw /);
  });

  it.each([
    ['null for a non-null leaf nulls the object and bubbles to a nullable parent', QUERIES.plain, { lab: { ...LAB, instruments: [{ ...LAB.instruments[0], count: null }] } }],
    ['null for a non-null root field nulls the data', QUERIES.plain, { lab: null }],
    ['a missing non-null field', QUERIES.plain, { lab: { id: 'l1', name: 'Optics' } }],
    ['a null element of a non-null list', QUERIES.fragments, { found: [null], resources: null }],
    ['an unknown __typename', QUERIES.fragments, { found: [{ __typename: 'Nope', id: 'x' }], resources: [{ __typename: 'Query' }] }],
    ['a __typename of a leaf type', QUERIES.typename, { lab: { __typename: 'Status', instruments: [] } }],
    ['leaf values of the wrong kind', QUERIES.leaves, {
      numbers: [1, -0, 2.5, 1e21, 2 ** 53, '3', true, null, Number.NaN], status: 'HALF',
      lab: { open: 'yes', instruments: [{ count: 1.5, fee: '1', status: 1, tags: [1, 'a'] }, { count: 2 ** 60, fee: 3, status: 'OPEN', tags: [] }] },
    }],
    ['a list where an object is expected', QUERIES.plain, { lab: [LAB] }],
    ['an object where a list is expected', QUERIES.plain, { lab: { ...LAB, instruments: { id: 'i1' } } }],
    ['a string where an object is expected', QUERIES.plain, { lab: 'Optics' }],
    ['a non-string __typename', QUERIES.fragments, { found: [{ __typename: 7 }], resources: [] }],
  ])('%s', (_name, query, input) => {
    expectSame(query, input);
  });

  it('agrees on random trees: values dropped, nulled, swapped for other kinds, typenames changed', () => {
    let seed = 20261205;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const oddValues = [null, undefined, 0, 1.25, -3, 2 ** 60, 'text', 'OPEN', true, [], {}, { __typename: 'Lab' }, { __typename: 'Instrument' }];
    const mutate = (value: unknown): unknown => {
      const roll = random();
      if (roll < 0.04) return oddValues[Math.floor(random() * oddValues.length)];
      if (Array.isArray(value)) return value.map(mutate);
      if (value && typeof value === 'object') {
        const copy: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(value)) {
          if (random() < 0.03) continue;
          copy[key] = mutate(field);
        }
        return copy;
      }
      return value;
    };
    const trees: [string, unknown][] = [
      [QUERIES.plain, { lab: LAB }],
      [QUERIES.fragments, { found: [LAB.instruments[0], LAB], resources: [LAB, ...LAB.instruments] }],
      [QUERIES.typename, { lab: LAB }],
      [QUERIES.leaves, { numbers: [1, 2, 3], status: 'OPEN', lab: LAB }],
      [QUERIES.merged, { lab: LAB }],
    ];
    const outcomes = new Set<string>();
    for (let round = 0; round < 3000; round += 1) {
      const [query, tree] = trees[round % trees.length]!;
      outcomes.add(expectSame(query, mutate(tree)));
    }
    // The mutations reached every kind of outcome: whole answers, nulled parts with errors, and assertions.
    expect([...outcomes].some((text) => text.startsWith('threw '))).toBe(true);
    expect([...outcomes].some((text) => text.includes('INVALID_GRAPHQL'))).toBe(true);
    expect([...outcomes].some((text) => text.includes('"errors":[]'))).toBe(true);
  });
});

describe('useResponseShaping', () => {
  it("puts shapeResponse in the gateway's place, where its executor looks it up", () => {
    try {
      useResponseShaping();
      expect(gatewayShaping.computeResponse).toBe(shapeResponse);
      // What the bench compares with stays the gateway's own.
      expect(apolloComputeResponse).toBe(reference);
    } finally {
      gatewayShaping.computeResponse = reference;
    }
  });
});
