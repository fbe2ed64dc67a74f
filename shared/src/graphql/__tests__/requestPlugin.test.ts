import { ApolloServer, HeaderMap } from '@apollo/server';
import pino from 'pino';
import { createErrorFormatter } from '../../errors/formatGraphQLError';
import { createOperationLimiter } from '../../limits/createOperationLimiter';
import { createMetricsRegistry } from '../../metrics/createMetricsRegistry';
import { GATEWAY_SECRET_HEADER } from '../gatewayOnlyFieldsPlugin';
import type { RequestIdentity } from '../requestContext';
import { requestPlugin } from '../requestPlugin';

const typeDefs = /* GraphQL */ `
  type Query { ok: String labs(first: Int = 10): [Lab!]! _entities: [String] }
  type Lab { name: String }
  type Subscription { ticks: Int }
`;
const resolvers = { Query: { ok: () => 'fine', labs: () => [], _entities: () => [] } };
const SECRET = 'the-gateway-secret';

/** A real Apollo Server with the one request plugin: what it logs, counts and refuses. */
async function withServer(run: (ask: (query: string, headers?: Record<string, string>) => Promise<readonly unknown[]>) => Promise<void>) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
  const metrics = createMetricsRegistry('test');
  const operationLimiter = createOperationLimiter({ limits: { maxDepth: 5, maxAliases: 5, maxRootFields: 5, maxCost: 50, maxFirst: 100, maxExpensiveFields: 5 }, maxTokens: 1_000, schema: () => undefined });
  const server = new ApolloServer<RequestIdentity>({
    typeDefs,
    resolvers,
    formatError: createErrorFormatter(logger),
    plugins: [requestPlugin<RequestIdentity>({ logger, metrics, operationLimiter, gatewaySecret: SECRET })],
    logger,
  });
  await server.start();
  const ask = async (query: string, headers: Record<string, string> = {}) => {
    const http = { method: 'POST', headers: new HeaderMap(Object.entries(headers)), search: '', body: {} };
    const response = await server.executeOperation({ query, http }, { contextValue: { requestId: `request-${lines.length}`, viewer: null } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    // The code, and the limit crossed where there is one.
    return (response.body.singleResult.errors ?? []).map((error) => [error.extensions?.['code'], error.extensions?.['limit']].filter(Boolean).join(' '));
  };
  try {
    await run(ask);
  } finally {
    await server.stop();
  }
  const counted = (await metrics.getSingleMetric('graphql_requests_total')!.get()).values;
  return { logged: lines.filter((line) => line['msg'] === 'graphql request'), counted };
}

describe('requestPlugin: the one plugin of every service', () => {
  it('logs and counts every request, refused ones too, with the code the client received', async () => {
    const { logged, counted } = await withServer(async (ask) => {
      expect(await ask('query Fine { ok }')).toEqual([]);
      expect(await ask('subscription Ticks { ticks }')).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    });
    expect(logged.map((line) => [line['operationName'], line['outcome'], line['errorCodes'] ?? null])).toEqual([
      ['Fine', 'ok', null],
      ['Ticks', 'error', ['OPERATION_RESOLUTION_FAILURE']],
    ]);
    expect(counted.map((sample) => [sample.labels['operation'], sample.labels['outcome'], sample.value]).sort()).toEqual([
      ['Fine', 'ok', 1],
      ['Ticks', 'error', 1],
    ]);
  });

  it('answers gateway-only fields only with the gateway secret', async () => {
    await withServer(async (ask) => {
      expect(await ask('{ _entities }')).toEqual(['FORBIDDEN']);
      expect(await ask('{ _entities }', { [GATEWAY_SECRET_HEADER]: 'a guess' })).toEqual(['FORBIDDEN']);
      expect(await ask('{ _entities }', { [GATEWAY_SECRET_HEADER]: SECRET })).toEqual([]);
    });
  });

  it('charges an operation the HTTP layer did not read to the limits, and refuses it past them', async () => {
    await withServer(async (ask) => {
      expect(await ask('{ labs(first: 20) { name } }')).toEqual([]);
      expect(await ask('{ labs(first: 60) { name } }')).toEqual(['GRAPHQL_VALIDATION_FAILED MAX_QUERY_COST']);
    });
  });
});
