import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { ErrorCode } from '../errors/ErrorCode';
import type { RequestHead } from './RequestHead';

/** The address an in-process caller is seen from. */
const LOCAL_PEER = '127.0.0.1';

/**
 * A `fetch` answered in this process: a POST to `/graphql` runs through the
 * server's own request pipeline (context, plugins, error mapping) exactly as
 * startHttpServer hands it over, with no socket and no port. The in-process
 * system of the tests puts the gateway and the subgraphs together with it, as
 * Apollo's `LocalGraphQLDataSource` does, but over the same headers and JSON
 * the network would carry. `apollo` must be started.
 */
export function localGraphQLFetch<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: (head: RequestHead) => Promise<TContext>,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname !== '/graphql') return jsonResponse(404, `Nothing at ${url.pathname}; GraphQL is served at /graphql.`, ErrorCode.NOT_FOUND);
    const headers = new HeaderMap();
    request.headers.forEach((value, key) => headers.set(key, value));
    const text = await request.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return jsonResponse(400, 'The request body is not valid JSON.', ErrorCode.BAD_REQUEST);
    }
    const head: RequestHead = { headers: Object.fromEntries(headers), socket: { remoteAddress: LOCAL_PEER } };
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: request.method.toUpperCase(), headers, search: url.search, body };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context(head) });
    let payload = '';
    if (response.body.kind === 'complete') payload = response.body.string;
    else for await (const chunk of response.body.asyncIterator) payload += chunk;
    return new Response(payload, { status: response.status ?? 200, headers: [...response.headers] });
  };
}

function jsonResponse(status: number, message: string, code: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}
