/**
 * Apollo Server as patched (patches/@apollo+server+5.5.1.patch): the objects it builds for every request share one
 * hidden class. Built as a spread followed by a key of its own (`{ ...result, errors }`), each got a new one from V8
 * (Node 20), kept in the old generation until a full collection, with what it pointed to.
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { shareHiddenClass } from '../../testing/hiddenClasses';

describe('Apollo Server builds its per-request objects with one hidden class (patched)', () => {
  const server = new ApolloServer({ typeDefs: 'type Query { page(size: Int): [Int] }', resolvers: { Query: { page: (_: unknown, { size }: { size: number }) => Array.from({ length: size }, (_, i) => i) } } });

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  /** The objects of the last three of 30 requests: V8 copies a spread's first few objects another way. */
  async function settled<T extends object>(build: (size: number) => Promise<T>): Promise<T[]> {
    const built: T[] = [];
    for (let size = 1; size <= 30; size += 1) built.push(await build(size));
    return built.slice(-3);
  }

  it("an operation's result", async () => {
    const results = await settled(async (size) => {
      const response = await server.executeOperation({ query: 'query Page($size: Int) { page(size: $size) }', variables: { size } });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      expect(response.body.singleResult.data).toEqual({ page: Array.from({ length: size }, (_, i) => i) });
      return response.body.singleResult;
    });
    expect(shareHiddenClass(results[0]!, results[1]!)).toBe(true);
    expect(shareHiddenClass(results[1]!, results[2]!)).toBe(true);
  });

  it('an HTTP response', async () => {
    const responses = await settled(async (size) => {
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { query: `{ page(size: ${size}) }` } },
        context: async () => ({}),
      });
      expect(response.status ?? 200).toBe(200);
      return response;
    });
    expect(shareHiddenClass(responses[0]!, responses[1]!)).toBe(true);
    expect(shareHiddenClass(responses[1]!, responses[2]!)).toBe(true);
  });
});
