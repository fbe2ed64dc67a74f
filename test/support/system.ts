import { GATEWAY_SECRET_HEADER } from '../../shared/src';
import type { TestSystemDescription } from './testSystem';
import { fetchRegistered } from './transport';

/** The running system started by globalSetup. */
export function testSystem(): TestSystemDescription {
  const raw = process.env['SHUANGCHENG_TEST_SYSTEM'];
  if (!raw) throw new Error('the test system is not running: run the tests through jest (npm test), whose globalSetup starts it');
  return JSON.parse(raw) as TestSystemDescription;
}

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

/** POSTs one GraphQL operation: over real HTTP, or in this process when the file's system runs there (transport.ts). */
export async function graphql<T = any>(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; operationName?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetchRegistered(url)(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables, operationName: options.operationName }),
  });
  const text = await response.text();
  let body: GraphQLResponse<T>['body'];
  try {
    body = JSON.parse(text) as GraphQLResponse<T>['body'];
  } catch {
    throw new Error(`non-JSON response (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Through the gateway, as a partner system calls it. */
export const gateway = <T = any>(query: string, options?: Parameters<typeof graphql>[2]) =>
  graphql<T>(testSystem().gatewayUrl, query, options);

const tokens = new Map<string, Promise<string>>();

/** Logs a demo account in once per test file and reuses its token. */
export function tokenFor(username: string, password = 'shuangcheng-demo'): Promise<string> {
  let token = tokens.get(username);
  if (!token) {
    token = gateway<{ login: { token: string } }>(
      'mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { variables: { u: username, p: password } },
    ).then(({ body }) => {
      if (!body.data?.login) throw new Error(`login of ${username} failed: ${JSON.stringify(body.errors)}`);
      return body.data.login.token;
    });
    tokens.set(username, token);
  }
  return token;
}

/** The only error of a response, asserting there is exactly one. */
export function onlyError(body: GraphQLResponse['body']) {
  expect(body.errors).toHaveLength(1);
  return body.errors![0]!;
}

/** The header the gateway adds to its subgraph fetches: with it a test asks a subgraph `_entities` as the gateway does. */
export const asGateway = (): Record<string, string> => ({ [GATEWAY_SECRET_HEADER]: testSystem().gatewaySecret });
