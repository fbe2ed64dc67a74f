import { buildSchema, getIntrospectionQuery, getOperationAST, parse } from 'graphql';
import { analyzeOperation } from '../analyzeOperation';
import { ASSUMED_LIST_SIZE } from '../listSizes';

/** The shapes of the registry that list sizes depend on, with the real type names (and the expensive fields' coordinates). */
const schema = buildSchema(`
  type Query { sichuan: SichuanRegistry verifyTalentCard(cardNumber: String!): Verification! }
  type Mutation {
    login(username: String!, password: String!): Session!
    bookSichuanInstrument(instrumentId: ID!): Booking!
    bookChongqingInstrument(instrumentId: ID!): Booking!
  }
  type Session { token: String! login: String! }
  type Booking { id: ID! }
  type Verification { valid: Boolean! }
  type SichuanRegistry {
    name: String!
    instruments(first: Int = 20, after: String): SichuanInstrumentConnection!
    labs: [SichuanLab!]!
    categories: [String!]!
  }
  type SichuanInstrumentConnection { totalCount: Int! edges: [SichuanInstrumentEdge!]! }
  type SichuanInstrumentEdge { cursor: String! node: SichuanInstrument! }
  type SichuanInstrument { id: ID! name: String! availability(from: String!, to: String!): [TimeSlot!]! }
  type SichuanLab { name: String! }
  type TimeSlot { start: String! end: String! }
`);

const shapeOf = (query: string, variables: Record<string, unknown> = {}, withSchema = true) => {
  const document = parse(query);
  return analyzeOperation(document, getOperationAST(document)!, variables, withSchema ? schema : undefined);
};

/** `levels` fragments, each spreading the next twice: 2^levels fields once inlined. */
function fragmentChain(levels: number): string {
  let fragments = '';
  for (let i = 0; i < levels; i++) fragments += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} } `;
  return `{ ...F0 } ${fragments}fragment F${levels} on Query { __typename }`;
}

describe('analyzeOperation: time linear in the document', () => {
  it('visits each selection of a 40-level doubled fragment chain once, and still counts the 2^40 fields it expands to', () => {
    const shape = shapeOf(fragmentChain(40));
    // One spread at the root, two per fragment, one field in the last.
    expect(shape.visited).toBe(1 + 2 * 40 + 1);
    expect(shape.cost).toBe(2 ** 40);
  });

  it('visits twice as many selections for twice the levels, not 2^20 times as many', () => {
    expect(shapeOf(fragmentChain(40)).visited / shapeOf(fragmentChain(20)).visited).toBeLessThan(2.1);
  });

  it('counts a fragment once per spread: its aliases and root fields too', () => {
    const shape = shapeOf('{ ...A ...A ...A } fragment A on Query { a: __typename b: sichuan { name } }');
    expect(shape).toMatchObject({ aliases: 6, rootFields: 3, cost: 3 * 3, visited: 3 + 3 });
  });

  it('saturates instead of overflowing on a chain of 2^2000 fields', () => {
    const shape = shapeOf(fragmentChain(2000));
    expect(shape.cost).toBe(Number.MAX_SAFE_INTEGER);
    expect(shape.visited).toBe(1 + 2 * 2000 + 1);
  });

  it('tolerates fragment cycles and unknown fragments (validation refuses them later)', () => {
    const shape = shapeOf('{ ...A ...Missing } fragment A on Query { __typename ...B } fragment B on Query { sichuan { name } ...A }');
    expect(shape).toMatchObject({ depth: 2, cost: 3 });
  });

  it('measures depth with fragments inlined', () => {
    expect(shapeOf('{ sichuan { ...R } } fragment R on SichuanRegistry { labs { name } }').depth).toBe(3);
  });
});

describe('analyzeOperation: introspection is measured apart', () => {
  it('keeps `__schema` and `__type` subtrees out of depth and cost, and measures their depth with fragments inlined', () => {
    const full = shapeOf(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true }));
    // __schema, types, fields, args, type, then TypeRef's kind and nine ofType levels.
    expect(full).toMatchObject({ depth: 0, cost: 0, rootFields: 1, introspectionDepth: 15, introspections: 1 });
  });

  it('counts each `__schema` and `__type` selection, through aliases and fragment spreads, beside ordinary fields', () => {
    const shape = shapeOf('{ a: __type(name: "SichuanLab") { name } ...S ...S sichuan { name } } fragment S on Query { __schema { queryType { name } } }');
    expect(shape).toMatchObject({ introspections: 3, introspectionDepth: 3, depth: 2, cost: 2, aliases: 1, rootFields: 4 });
  });

  it('leaves `__typename` an ordinary field', () => {
    expect(shapeOf('{ __typename sichuan { __typename } }')).toMatchObject({ depth: 2, introspections: 0, introspectionDepth: 0 });
  });
});

describe('analyzeOperation: every list has a cost', () => {
  const node = '{ id name }';

  it('takes a page from `first`, given or by variable, and does not count the connection\'s edges again', () => {
    const literal = shapeOf(`{ sichuan { instruments(first: 50) { edges { node ${node} } } } }`);
    // sichuan and instruments, then 50 × (edges, node, id, name): `edges` is the page, not a list of assumed size inside it.
    expect(literal).toMatchObject({ cost: 2 + 50 * 4, largestFirst: 50 });
    expect(shapeOf(`query($n: Int) { sichuan { instruments(first: $n) { edges { node ${node} } } } }`, { n: 50 }).cost).toBe(literal.cost);
  });

  it('uses the schema\'s default page size when `first` is left out, and the variable\'s own default', () => {
    expect(shapeOf(`{ sichuan { instruments { edges { node ${node} } } } }`)).toMatchObject({ cost: 2 + 20 * 4, largestFirst: 0 });
    expect(shapeOf(`query($n: Int = 7) { sichuan { instruments(first: $n) { edges { node ${node} } } } }`).cost).toBe(2 + 7 * 4);
  });

  it('assumes ASSUMED_LIST_SIZE items for a list without a page size, and what listSizes.ts knows for others', () => {
    expect(shapeOf('{ sichuan { categories } }').cost).toBe(2);
    expect(shapeOf('{ sichuan { registry: categories } }').aliases).toBe(1);
    // Labs: every lab of the province, 100 assumed.
    expect(shapeOf('{ sichuan { labs { name } } }').cost).toBe(2 + 100);
    expect(ASSUMED_LIST_SIZE).toBeGreaterThan(1);
  });

  it('sizes availability by its days (two free slots a day), whatever the aliases', () => {
    const availability = (from: string, to: string) =>
      shapeOf(`{ sichuan { instruments(first: 100) { edges { node { availability(from: "${from}", to: "${to}") { start end } } } } } }`).cost;
    // 100 × (edges, node, availability, then 31 days × 2 slots × 2 fields).
    expect(availability('2030-01-01T00:00:00Z', '2030-02-01T00:00:00Z')).toBe(2 + 100 * (3 + 31 * 2 * 2));
    expect(availability('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z')).toBe(2 + 100 * (3 + 1 * 2 * 2));
    // Dates it cannot read count as the longest period.
    expect(availability('soon', 'later')).toBe(availability('2030-01-01T00:00:00Z', '2030-02-01T00:00:00Z'));
  });

  it('without a schema, counts only explicit page sizes', () => {
    expect(shapeOf(`{ sichuan { instruments(first: 50) { edges { node ${node} } } } }`, {}, false).cost).toBe(2 + 50 * 4);
    expect(shapeOf('{ sichuan { labs { name } } }', {}, false).cost).toBe(3);
  });
});

describe('analyzeOperation: what validation will compare', () => {
  it('counts pairs of selections under one response key, weighted by their selections', () => {
    expect(shapeOf('{ sichuan { name } }').comparisons).toBe(0);
    // The second `instruments` is compared with the first, the third with both.
    expect(shapeOf('{ sichuan { instruments { totalCount } instruments { totalCount } instruments { totalCount } } }').comparisons).toBe((1 + 2) * 2);
  });

  it('merges inline fragments into their parent\'s selection set, as validation does', () => {
    expect(shapeOf('{ sichuan { name ... on SichuanRegistry { name } } }').comparisons).toBe(1);
  });
});

describe('analyzeOperation: expensive fields', () => {
  const expensive = (query: string, variables: Record<string, unknown> = {}) => Object.fromEntries(shapeOf(query, variables).expensiveFields);

  it('counts every aliased selection, by coordinate', () => {
    const logins = Array.from({ length: 10 }, (_, i) => `l${i}: login(username: "a", password: "b") { token }`).join(' ');
    expect(expensive(`mutation { ${logins} }`)).toEqual({ 'Mutation.login': 10 });
    expect(expensive('mutation { a: bookSichuanInstrument(instrumentId: "1") { id } b: bookChongqingInstrument(instrumentId: "2") { id } }'))
      .toEqual({ 'Mutation.bookSichuanInstrument': 1, 'Mutation.bookChongqingInstrument': 1 });
  });

  it('counts a field inside a named fragment once per spread, and through fragments nested in fragments', () => {
    const query = `mutation { ...Two ...Two ...Outer }
      fragment Two on Mutation { a: bookSichuanInstrument(instrumentId: "1") { id } b: bookSichuanInstrument(instrumentId: "2") { id } }
      fragment Outer on Mutation { ...Inner ... on Mutation { ...Inner } }
      fragment Inner on Mutation { bookSichuanInstrument(instrumentId: "3") { id } }`;
    // 2 spreads × 2, then Inner spread twice through Outer.
    expect(expensive(query)).toEqual({ 'Mutation.bookSichuanInstrument': 2 * 2 + 2 });
  });

  it('counts inline fragments, and a fragment spread once counts once', () => {
    expect(expensive('{ ... on Query { a: verifyTalentCard(cardNumber: "TF-1") { valid } } ...V } fragment V on Query { verifyTalentCard(cardNumber: "TF-2") { valid } }'))
      .toEqual({ 'Query.verifyTalentCard': 2 });
  });

  it('counts a doubled fragment chain exactly, visiting each fragment once', () => {
    let fragments = '';
    for (let i = 0; i < 20; i++) fragments += `fragment F${i} on Mutation { ...F${i + 1} ...F${i + 1} } `;
    const shape = shapeOf(`mutation { ...F0 } ${fragments}fragment F20 on Mutation { login(username: "a", password: "b") { token } }`);
    expect(Object.fromEntries(shape.expensiveFields)).toEqual({ 'Mutation.login': 2 ** 20 });
    expect(shape.visited).toBe(1 + 2 * 20 + 2);
  });

  it('counts nothing for ordinary fields, nor a field of the same name on another type', () => {
    expect(shapeOf('{ sichuan { name labs { name } } }').expensiveFields.size).toBe(0);
    expect(expensive('mutation { login(username: "a", password: "b") { token login again: login } }')).toEqual({ 'Mutation.login': 1 });
  });
});
