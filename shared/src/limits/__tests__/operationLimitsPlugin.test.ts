import { createHash } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { startHttpServer, type RunningHttpServer } from '../../http/startHttpServer';
import { createLogger } from '../../logging/createLogger';
import { createOperationLimiter } from '../createOperationLimiter';
import type { OperationBudget } from '../OperationBudget';
import { operationLimitsPlugin } from '../operationLimitsPlugin';

const typeDefs = 'type Query { labs: [Lab!]! manyLabs: [Lab!]! verifyTalentCard(cardNumber: String!): Boolean! } type Lab { name: String! }';
const schema = buildSchema(typeDefs);
const labs = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `Lab ${i}` }));
/** labs, then 10 assumed labs × name: 11 a query. */
const QUERY = '{ labs { name } }';
const limits = { maxDepth: 5, maxAliases: 5, maxRootFields: 5, maxCost: 30, maxFirst: 10, maxExpensiveFields: 5 };

let server: RunningHttpServer;
/** What each request's late meter was told: the expensive fields of operations read from a hash. */
const metered: Record<string, number>[] = [];

beforeAll(async () => {
  const apollo = new ApolloServer({ typeDefs, resolvers: { Query: { labs: () => labs(3), manyLabs: () => labs(100), verifyTalentCard: () => true } }, allowBatchedHttpRequests: true });
  const limiter = createOperationLimiter({ limits, maxTokens: 1_000, schema: () => schema });
  apollo.addPlugin(operationLimitsPlugin(limiter));
  const context = async (_req: unknown, budget?: OperationBudget) => {
    budget?.meterLateFields(async (fields) => {
      metered.push(Object.fromEntries(fields));
    });
    return {};
  };
  server = await startHttpServer({ apollo, context, port: 0, logger: createLogger('test', 'silent'), operationLimiter: limiter, maxResponseBytes: 1_000 });
});

afterAll(() => server?.close());

const post = async (body: unknown) => {
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};

describe('operationLimitsPlugin', () => {
  it('charges persisted-query hashes, whose text the HTTP layer never sees, to the same budget as the rest of the batch', async () => {
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(QUERY).digest('hex') };
    expect((await post({ query: QUERY, extensions: { persistedQuery } })).status).toBe(200);

    const { body } = await post([{ query: QUERY }, { extensions: { persistedQuery } }, { extensions: { persistedQuery } }]);
    expect(body.map((answer: any) => answer.errors?.[0]?.extensions?.limit ?? 'answered')).toEqual(['answered', 'answered', 'MAX_QUERY_COST']);
  });
});

describe('operationLimitsPlugin: expensive fields behind a hash', () => {
  it('counts them against MAX_EXPENSIVE_FIELDS with the rest of the batch, and reports those it charged to the request\'s meter', async () => {
    const checks = `{ ${[1, 2, 3].map((i) => `c${i}: verifyTalentCard(cardNumber: "TF-${i}")`).join(' ')} }`;
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(checks).digest('hex') };
    expect((await post({ query: checks, extensions: { persistedQuery } })).status).toBe(200);
    // Read by the HTTP layer, so charged at admission: nothing late.
    expect(metered).toEqual([]);

    const { body } = await post([{ extensions: { persistedQuery } }, { extensions: { persistedQuery } }]);
    expect(body.map((answer: any) => answer.errors?.[0]?.extensions?.limit ?? 'answered').sort()).toEqual(['MAX_EXPENSIVE_FIELDS', 'answered']);
    expect(metered).toEqual([{ 'Query.verifyTalentCard': 3 }]);
  });
});

describe('the response ceiling', () => {
  it('answers RESPONSE_TOO_LARGE instead of an answer over maxResponseBytes', async () => {
    const { status, body } = await post({ query: '{ manyLabs { name } }' });
    expect(status).toBe(400);
    expect(body.errors[0]).toMatchObject({ message: expect.stringMatching(/larger than the 1000 bytes/), extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'MAX_RESPONSE_BYTES' } });
  });
});
