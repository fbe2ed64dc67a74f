import { buildSchema, getIntrospectionQuery, type GraphQLSchema } from 'graphql';
import { createOperationLimiter } from '../createOperationLimiter';
import { MAX_COMPARISONS, MAX_INTROSPECTION_DEPTH, MAX_INTROSPECTIONS, OperationBudget } from '../OperationBudget';

const schema = buildSchema(`
  type Query { sichuan: SichuanRegistry verifyTalentCard(cardNumber: String!): Verification! }
  type Mutation { login(username: String!, password: String!): Session! issueClientToken(clientId: String!, clientSecret: String!): Session! bookSichuanInstrument(instrumentId: ID!): Booking! }
  type SichuanRegistry { name: String! labs: [SichuanLab!]! }
  type SichuanLab { name: String! city: String! }
  type Session { token: String! }
  type Booking { id: ID! }
  type Verification { valid: Boolean! }
`);
const limits = { maxDepth: 12, maxAliases: 30, maxRootFields: 10, maxCost: 1_000, maxFirst: 100, maxExpensiveFields: 5 };
const limiter = createOperationLimiter({ limits, maxTokens: 4_000, schema: () => schema });
/** sichuan, labs, then 100 labs × 2 fields: 202. */
const LABS = '{ sichuan { labs { name city } } }';

describe('createOperationLimiter', () => {
  it('admits a batch within the budget and hands its budget on', () => {
    const admission = limiter.admit([{ query: LABS }, { query: LABS }]);
    expect('budget' in admission && admission.budget.hasCharged(LABS)).toBe(true);
  });

  it('charges a batch\'s operations to one budget: each is cheap, together they are refused', () => {
    expect(limiter.admit([{ query: LABS }])).toHaveProperty('budget');
    const admission = limiter.admit(Array.from({ length: 5 }, () => ({ query: LABS })));
    expect(admission).toEqual({
      refusal: expect.objectContaining({
        message: expect.stringMatching(/with the other operations of this batch, is 1010; the limit is 1000 \(MAX_QUERY_COST\)/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_COST', actual: 1010, allowed: 1000 },
      }),
    });
  });

  it('refuses a 40-level doubled fragment chain at the first operation of a batch', () => {
    let fragments = '';
    for (let i = 0; i < 40; i++) fragments += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} } `;
    const chain = { query: `{ ...F0 } ${fragments}fragment F40 on Query { __typename }` };
    const admission = limiter.admit(Array.from({ length: 10 }, () => chain));
    expect(admission).toEqual({ refusal: expect.objectContaining({ extensions: expect.objectContaining({ limit: 'MAX_QUERY_COST', actual: 2 ** 40 }) }) });
  });

  it('refuses a field repeated so often that validating it would take long', () => {
    // 120 × name: cheap to answer (121), but validation compares 7 140 pairs.
    const admission = limiter.admit([{ query: `{ sichuan { ${'name '.repeat(120)}} }` }]);
    expect(admission).toEqual({ refusal: expect.objectContaining({ extensions: expect.objectContaining({ limit: 'MAX_COMPARISONS', allowed: MAX_COMPARISONS }) }) });
  });

  it('leaves to Apollo Server what it cannot read: a persisted-query hash, a syntax error, an unknown operation name', () => {
    const admission = limiter.admit([
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      { query: '{ sichuan {' },
      { query: 'query A { __typename }', operationName: 'B' },
      null,
    ]);
    expect(admission).toHaveProperty('budget');
  });

  it('measures each request of a text it has parsed before on its own: the operation it names, with its own outcome', () => {
    const text = 'query A { sichuan { name } } mutation B { a: login(username: "u", password: "p") b: login(username: "u", password: "p") }';
    for (let round = 0; round < 2; round += 1) {
      expect(limiter.admit([{ query: text, operationName: 'A' }])).toHaveProperty('budget');
      expect(limiter.admit([{ query: text, operationName: 'B' }])).toHaveProperty('refusal');
      expect(limiter.admit([{ query: '{ sichuan {' }])).toHaveProperty('budget');
    }
  });
});

describe('createOperationLimiter: shapes kept between requests', () => {
  const pagedSchema = buildSchema(`
    type Query { labs(first: Int = 10, after: String): [Lab!]! lab(id: ID!): Lab }
    type Lab { name: String! city: String! }
  `);
  const PAGE = 'query Page($first: Int, $id: ID!) { labs(first: $first) { name city } lab(id: $id) { name } }';
  const costLimited = (maxCost: number, current: () => GraphQLSchema) =>
    createOperationLimiter({ limits: { ...limits, maxCost }, maxTokens: 4_000, schema: current });
  const costOf = (admission: ReturnType<typeof limiter.admit>) => ('refusal' in admission ? admission.refusal.extensions['actual'] : 'admitted');

  it('measures the same text again when a page-size variable changes, in both directions', () => {
    const tight = costLimited(100, () => pagedSchema);
    expect(tight.admit([{ query: PAGE, variables: { first: 10, id: 'a' } }])).toHaveProperty('budget');
    // 1 + 60 × 2 + 2: refused although the same operation was just admitted.
    expect(costOf(tight.admit([{ query: PAGE, variables: { first: 60, id: 'a' } }]))).toBe(123);
    expect(tight.admit([{ query: PAGE, variables: { first: 10, id: 'b' } }])).toHaveProperty('budget');
    // Left out, the schema's default of 10 applies, not the last value given.
    expect(costOf(tight.admit([{ query: PAGE, variables: { first: 60, id: 'b' } }]))).toBe(123);
    expect(tight.admit([{ query: PAGE, variables: { id: 'c' } }])).toHaveProperty('budget');
  });

  it('measures again against a new schema (the gateway\'s changes with the supergraph)', () => {
    let current = pagedSchema;
    const tight = costLimited(100, () => current);
    expect(tight.admit([{ query: PAGE, variables: { id: 'a' } }])).toHaveProperty('budget');
    // The same request, once the schema's default page grows to 60: the shape kept from the old schema no longer holds.
    current = buildSchema(`
      type Query { labs(first: Int = 60, after: String): [Lab!]! lab(id: ID!): Lab }
      type Lab { name: String! city: String! }
    `);
    expect(costOf(tight.admit([{ query: PAGE, variables: { id: 'a' } }]))).toBe(123);
  });
});

describe('createOperationLimiter: introspection', () => {
  /** What code generators, graphql-inspector and IDEs send: graphql-js's query with every option on. */
  const FULL_INTROSPECTION = getIntrospectionQuery({
    descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true,
  });
  const ofTypeChain = (levels: number) => `{ __type(name: "SichuanLab") { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } }`;

  it('admits the standard introspection query under limits it would otherwise cross (depth 15, cost over 1 000)', () => {
    expect(limiter.admit([{ query: FULL_INTROSPECTION }])).toHaveProperty('budget');
    const tight = createOperationLimiter({ limits: { ...limits, maxDepth: 6, maxCost: 50 }, maxTokens: 4_000, schema: () => schema });
    expect(tight.admit([{ query: FULL_INTROSPECTION, operationName: 'IntrospectionQuery' }])).toHaveProperty('budget');
  });

  it('still counts data fields beside introspection toward depth and cost', () => {
    const tight = createOperationLimiter({ limits: { ...limits, maxDepth: 1 }, maxTokens: 4_000, schema: () => schema });
    expect(tight.admit([{ query: '{ __schema { types { name } } sichuan { labs { name } } }' }]))
      .toEqual({ refusal: expect.objectContaining({ extensions: expect.objectContaining({ limit: 'MAX_QUERY_DEPTH', actual: 3 }) }) });
  });

  it('refuses a `__type` nested deeper than the standard query, in a fragment too, naming MAX_INTROSPECTION_DEPTH', () => {
    // __type, then the chain of ofType, then name.
    expect(limiter.admit([{ query: ofTypeChain(MAX_INTROSPECTION_DEPTH - 2) }])).toHaveProperty('budget');
    expect(limiter.admit([{ query: ofTypeChain(MAX_INTROSPECTION_DEPTH - 1) }])).toEqual({
      refusal: {
        message: `The operation's introspection depth (\`__schema\`, \`__type\`) is ${MAX_INTROSPECTION_DEPTH + 1}; the limit is ${MAX_INTROSPECTION_DEPTH} (MAX_INTROSPECTION_DEPTH). Ask for less, or split the operation.`,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_INTROSPECTION_DEPTH', actual: MAX_INTROSPECTION_DEPTH + 1, allowed: MAX_INTROSPECTION_DEPTH },
      },
    });
    const inFragment = `{ ...T } fragment T on Query { __type(name: "SichuanLab") { ...R } } fragment R on __Type { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} }`;
    expect(limiter.admit([{ query: inFragment }])).toEqual({ refusal: expect.objectContaining({ extensions: expect.objectContaining({ limit: 'MAX_INTROSPECTION_DEPTH', actual: 42 }) }) });
  });

  it('refuses more than MAX_INTROSPECTIONS introspections in a request, aliased or batched', () => {
    const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `s${i}: __schema { types { name } }`).join(' ')} }`;
    expect(limiter.admit([{ query: aliased(MAX_INTROSPECTIONS) }])).toHaveProperty('budget');
    expect(limiter.admit([{ query: aliased(MAX_INTROSPECTIONS + 1) }]))
      .toEqual({ refusal: expect.objectContaining({ extensions: expect.objectContaining({ limit: 'MAX_INTROSPECTIONS', actual: MAX_INTROSPECTIONS + 1 }) }) });
    expect(limiter.admit(Array.from({ length: MAX_INTROSPECTIONS + 1 }, () => ({ query: FULL_INTROSPECTION }))))
      .toEqual({ refusal: expect.objectContaining({ extensions: expect.objectContaining({ limit: 'MAX_INTROSPECTIONS' }) }) });
  });
});

describe('createOperationLimiter: expensive fields', () => {
  const aliased = (count: number, field: string) => `${field.startsWith('verify') ? 'query' : 'mutation'} { ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
  const LOGIN = 'login(username: "u", password: "p") { token }';
  const BOOK = 'bookSichuanInstrument(instrumentId: "1") { id }';
  const VERIFY = 'verifyTalentCard(cardNumber: "TF-2024-000128") { valid }';
  const batch = (count: number, query: string) => Array.from({ length: count }, () => ({ query }));

  it('refuses a batch of 10 operations of 10 aliased logins at the first: one sign-in per operation', () => {
    expect(limiter.admit(batch(10, aliased(10, LOGIN)))).toEqual({
      refusal: {
        message: expect.stringMatching(/signs in 10 times \(Mutation\.login ×10\).*at most 1 time \(MAX_SIGN_INS_PER_OPERATION\)/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_SIGN_INS_PER_OPERATION', actual: 10, allowed: 1, fields: { 'Mutation.login': 10 } },
      },
    });
    // A login and a client token in one operation are two sign-ins.
    expect(limiter.admit([{ query: `mutation { ${LOGIN} issueClientToken(clientId: "c", clientSecret: "s") { token } }` }]))
      .toEqual({ refusal: expect.objectContaining({ extensions: expect.objectContaining({ limit: 'MAX_SIGN_INS_PER_OPERATION', actual: 2 }) }) });
  });

  it.each([
    ['bookings', BOOK, 'Mutation.bookSichuanInstrument'],
    ['card checks', VERIFY, 'Query.verifyTalentCard'],
  ])('refuses 10 × 10 aliased %s, and more than MAX_EXPENSIVE_FIELDS in one operation', (_, field, coordinate) => {
    expect(limiter.admit(batch(10, aliased(10, field)))).toEqual({
      refusal: expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_EXPENSIVE_FIELDS', actual: 10, allowed: 5, fields: { [coordinate]: 10 } } }),
    });
    expect(limiter.admit([{ query: aliased(6, field) }])).toHaveProperty('refusal');
    expect(limiter.admit([{ query: aliased(5, field) }])).toHaveProperty('budget');
  });

  it('counts expensive fields across the operations of a batch', () => {
    expect(limiter.admit(batch(5, `mutation { ${LOGIN} }`))).toHaveProperty('budget');
    const admission = limiter.admit([...batch(3, aliased(1, BOOK)), { query: aliased(2, VERIFY) }, { query: `mutation { ${LOGIN} }` }]);
    expect(admission).toEqual({
      refusal: expect.objectContaining({
        message: expect.stringMatching(/asks for 6 sign-ins, bookings or card checks, with the other operations of this batch, \(this operation: Mutation\.login ×1\); the limit is 5 a request \(MAX_EXPENSIVE_FIELDS\)/),
        extensions: expect.objectContaining({ limit: 'MAX_EXPENSIVE_FIELDS', actual: 6 }),
      }),
    });
  });

  it('hands on how many operations the request holds and the expensive fields it read, for the rate limit', () => {
    const admission = limiter.admit([{ query: aliased(2, BOOK) }, { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }, { query: LABS }]);
    expect('budget' in admission && { operations: admission.budget.operations, fields: Object.fromEntries(admission.budget.expensiveFields) })
      .toEqual({ operations: 3, fields: { 'Mutation.bookSichuanInstrument': 2 } });
  });
});

describe('OperationBudget', () => {
  const shape = { depth: 1, aliases: 0, rootFields: 1, cost: 400, largestFirst: 0, comparisons: 0, visited: 1, expensiveFields: new Map<string, number>(), introspectionDepth: 0, introspections: 0 };

  it('charges nothing for a refused operation, and names the first limit crossed', () => {
    const budget = new OperationBudget(limits);
    expect(budget.charge({ ...shape, depth: 13, aliases: 31 })?.extensions.limit).toBe('MAX_QUERY_DEPTH');
    expect(budget.charge(shape)).toBeNull();
    expect(budget.charge(shape)).toBeNull();
    expect(budget.charge(shape)?.extensions).toMatchObject({ limit: 'MAX_QUERY_COST', actual: 1_200 });
  });

  it('keeps per-operation limits per operation', () => {
    const budget = new OperationBudget(limits);
    for (let i = 0; i < 2; i++) expect(budget.charge({ ...shape, cost: 1, aliases: 30, rootFields: 10 })).toBeNull();
  });
});
