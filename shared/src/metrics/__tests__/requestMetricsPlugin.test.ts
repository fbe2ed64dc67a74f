import { ApolloServer } from '@apollo/server';
import { createMetricsRegistry } from '../createMetricsRegistry';
import { requestMetricsPlugin } from '../requestMetricsPlugin';

async function serverWith(maxOperationNames: number) {
  const registry = createMetricsRegistry('test');
  const server = new ApolloServer({
    typeDefs: 'type Query { hello: String! fail: String }',
    resolvers: {
      Query: {
        hello: () => 'world',
        fail: () => {
          throw new Error('failed');
        },
      },
    },
    plugins: [requestMetricsPlugin(registry, { maxOperationNames })],
  });
  await server.start();
  const counts = async () => {
    const metric = await registry.getSingleMetric('graphql_requests_total')!.get();
    return Object.fromEntries(metric.values.map(({ labels, value }) => [`${labels['operation']}/${labels['outcome']}`, value]));
  };
  return { server, counts };
}

describe('requestMetricsPlugin', () => {
  it('labels by operation name (or anonymous) and outcome', async () => {
    const { server, counts } = await serverWith(10);
    await server.executeOperation({ query: 'query Hello { hello }' });
    await server.executeOperation({ query: 'query Hello { hello }' });
    await server.executeOperation({ query: '{ hello }' });
    await server.executeOperation({ query: 'query Failing { fail }' });
    // Documents that do not parse or validate never resolve to an operation: their names are not labels.
    await server.executeOperation({ query: 'query Invalid { nope }' });
    await server.executeOperation({ query: '{ hello' });
    expect(await counts()).toEqual({ 'Hello/ok': 2, 'anonymous/ok': 1, 'Failing/error': 1, 'anonymous/error': 2 });
    await server.stop();
  });

  it('counts names beyond the cap as "other", so callers cannot grow the series without end', async () => {
    const { server, counts } = await serverWith(2);
    for (const name of ['A', 'B', 'C', 'D', 'A']) await server.executeOperation({ query: `query ${name} { hello }` });
    await server.executeOperation({ query: `query ${'X'.repeat(100)} { hello }` });
    expect(await counts()).toEqual({ 'A/ok': 2, 'B/ok': 1, 'other/ok': 3 });
    await server.stop();
  });
});
