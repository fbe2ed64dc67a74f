import { ApolloServer } from '@apollo/server';
import { localGraphQLFetch } from '../localGraphQLFetch';
import type { RequestHead } from '../RequestHead';

interface Context {
  readonly caller: string;
}

describe('localGraphQLFetch', () => {
  const heads: RequestHead[] = [];
  const apollo = new ApolloServer<Context>({
    typeDefs: 'type Query { caller: String! }',
    resolvers: { Query: { caller: (_: unknown, __: unknown, context: Context) => context.caller } },
  });
  const localFetch = localGraphQLFetch(apollo, async (head) => {
    heads.push(head);
    return { caller: String(head.headers['authorization'] ?? 'nobody') };
  });
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    localFetch(`http://service.in-process${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());

  it('answers a POST to /graphql through the server, with a context built from the request head', async () => {
    const response = await post('/graphql', JSON.stringify({ query: '{ caller }' }), { authorization: 'Bearer abc' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ data: { caller: 'Bearer abc' } });
    expect(heads.at(-1)).toMatchObject({ headers: { authorization: 'Bearer abc' }, socket: { remoteAddress: '127.0.0.1' } });
  });

  it("answers a GraphQL error as the server does over HTTP, with the server's status", async () => {
    const response = await post('/graphql', JSON.stringify({ query: '{ nothing }' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
  });

  it('refuses a body that is not JSON and a path that is not /graphql', async () => {
    const notJson = await post('/graphql', '{ caller');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    const elsewhere = await post('/metrics', '{}');
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });
});
