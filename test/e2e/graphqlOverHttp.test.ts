import { serverAudits } from 'graphql-http';
import { testSystem } from '../support/system';

/*
 * Conformance with the GraphQL-over-HTTP specification (graphql.github.io/graphql-over-http, draft), the server's
 * MUST and SHOULD requirements as a table, each quoted and checked against the gateway with plain fetch; and the
 * `graphql-http` package's own audits, the conformance suite servers are measured with, at the end.
 *
 * Status codes of request errors follow the answer's media type: `application/json` answers a well-formed request
 * with 200 even when it carries only errors, to clients that name `application/json` in Accept;
 * `application/graphql-response+json` answers them with 400. A client that sends no Accept, or `*\/*`, gets
 * `application/json` with the 400 it always had (last block).
 */

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
/** What Apollo Client and the specification recommend clients send. */
const BOTH = `${GRAPHQL_RESPONSE}, ${JSON_TYPE};q=0.9`;

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
}

async function send(init: { method?: string; headers?: Record<string, string>; body?: string; search?: string }): Promise<Answer> {
  const url = `${testSystem().gatewayUrl}${init.search ?? ''}`;
  const response = await fetch(url, { method: init.method ?? 'POST', headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) });
  const text = await response.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
}

/** A POST of `payload` as JSON, accepting `accept` (none: no Accept header at all). */
const post = (payload: unknown, accept?: string, headers: Record<string, string> = {}) =>
  send({ headers: { 'content-type': JSON_TYPE, ...(accept ? { accept } : {}), ...headers }, body: typeof payload === 'string' ? payload : JSON.stringify(payload) });

/** One of each kind of failure the specification names, and a success with a field error. */
const REQUESTS = {
  jsonParsingFailure: '{ "query": ',
  invalidParameters: { qeury: '{ __typename }' },
  invalidVariablesShape: { query: 'query Q($n: Int) { sichuan { instruments(first: $n) { totalCount } } }', variables: [7] },
  documentParsingFailure: { query: '{' },
  documentValidationFailure: { query: '{ sichuan { noSuchField } }' },
  // The gateway's own additional validation rules (operation limits): a `first` above MAX_PAGE_SIZE.
  limitRefusal: { query: '{ sichuan { instruments(first: 100000) { totalCount } } }' },
  operationNotDetermined: { query: 'query A { __typename } query B { __typename }' },
  variableCoercionFailure: { query: 'query Q($n: Int!) { sichuan { instruments(first: $n) { totalCount } } }', variables: { n: 'ten' } },
  // A Tianfu card number in neither province's format: a field error; `verifyTalentCard` is non-null, so data is null.
  fieldErrorDataNull: { query: '{ verifyTalentCard(cardNumber: "not-a-card") { valid } }' },
  // An unknown but well-formed id: a field error beside data.
  fieldErrorWithData: { query: '{ sichuan { name } lab(id: "sc:lab:00000000-0000-4000-8000-000000000000") { name } }' },
};

const ok = (answer: Answer) => {
  expect(answer.status).toBe(200);
  expect(answer.body?.errors).toBeUndefined();
};
const statusIs = (status: number) => (answer: Answer) => expect(answer.status).toBe(status);
const withoutData = (status: number) => (answer: Answer) => {
  expect(answer.status).toBe(status);
  expect(answer.body?.errors?.length).toBeGreaterThan(0);
  expect(answer.body).not.toHaveProperty('data');
};
const notExecuted = (status: number) => (answer: Answer) => withoutData(status)(answer);

interface Requirement {
  /** The specification's words. */
  readonly clause: string;
  readonly request: () => Promise<Answer>;
  readonly expect: (answer: Answer) => void;
}

const MUST: readonly Requirement[] = [
  { clause: 'A server MUST accept POST requests (application/json, UTF-8 assumed without a charset)', request: () => post({ query: '{ __typename }' }), expect: ok },
  { clause: 'A server MUST support POST requests encoded with application/json … encoded with UTF-8', request: () => post({ query: '{ sichuan { name } }' }, undefined, { 'content-type': `${JSON_TYPE}; charset=utf-8` }), expect: ok },
  { clause: 'A server MUST NOT require the client to use different URLs for query and mutation requests', request: () => post({ query: 'mutation { __typename }' }), expect: ok },
  {
    clause: 'A server MUST indicate the media type of the response with a Content-Type header',
    request: () => post({ query: '{ __typename }' }),
    expect: (answer) => expect(answer.contentType).toMatch(/^application\/json/),
  },
  {
    clause: 'A server MUST support any GraphQL-over-HTTP request which accepts the application/json media type',
    request: () => post({ query: '{ __typename }' }, JSON_TYPE),
    expect: (answer) => expect({ status: answer.status, type: answer.contentType }).toEqual({ status: 200, type: expect.stringMatching(/^application\/json/) }),
  },
  {
    clause: 'From 1st January 2025, a server MUST support any request which accepts application/graphql-response+json',
    request: () => post({ query: '{ __typename }' }, GRAPHQL_RESPONSE),
    expect: (answer) => expect({ status: answer.status, type: answer.contentType }).toEqual({ status: 200, type: expect.stringMatching(/^application\/graphql-response\+json/) }),
  },
  {
    clause: 'the server MUST respect the given Accept header and attempt to encode the response in the highest priority media type listed',
    request: () => post({ query: '{ __typename }' }, `${JSON_TYPE};q=0.5, ${GRAPHQL_RESPONSE}`),
    expect: (answer) => expect(answer.contentType).toMatch(/^application\/graphql-response\+json/),
  },
  {
    clause: 'when a client does not include at least one supported media type in Accept, the server MUST either respond 406 or disregard the Accept header',
    request: () => post({ query: '{ __typename }' }, 'image/png'),
    expect: (answer) => expect(answer.status === 406 || /^application\/(graphql-response\+)?json/.test(answer.contentType)).toBe(true),
  },
  {
    clause: 'GET … If the values of {query} and {operationName} indicate that a mutation operation is to be executed, the server MUST respond with error status code 405',
    // The preflight header: CSRF prevention refuses simple GETs before the method is looked at.
    request: () => send({ method: 'GET', search: `?query=${encodeURIComponent('mutation { __typename }')}`, headers: { 'apollo-require-preflight': 'true' } }),
    expect: statusIs(405),
  },
  { clause: 'Specifying null for optional request parameters is equivalent to not specifying them at all', request: () => post({ query: '{ __typename }', variables: null, operationName: null, extensions: null }, JSON_TYPE), expect: ok },
  {
    clause: 'application/json: If the GraphQL response contains a non-null {data} entry then the server MUST use the 200 status code',
    request: () => post(REQUESTS.fieldErrorWithData, JSON_TYPE),
    expect: (answer) => expect({ status: answer.status, hasData: answer.body?.data != null, hasErrors: (answer.body?.errors?.length ?? 0) > 0 }).toEqual({ status: 200, hasData: true, hasErrors: true }),
  },
  {
    clause: 'application/graphql-response+json: If the GraphQL response contains the {data} entry and it is not null, the server MUST reply with a 2xx status code',
    request: () => post(REQUESTS.fieldErrorWithData, GRAPHQL_RESPONSE),
    expect: (answer) => expect(answer.status).toBe(200),
  },
  {
    clause: 'application/graphql-response+json: If the GraphQL response does not contain the {data} entry then the server MUST reply with a 4xx or 5xx status code',
    request: () => post(REQUESTS.documentValidationFailure, GRAPHQL_RESPONSE),
    expect: withoutData(400),
  },
  {
    clause: 'errors that completely prevent the generation of a well-formed GraphQL response … MUST NOT respond with a 2xx status code when using application/graphql-response+json',
    request: () => post(REQUESTS.jsonParsingFailure, GRAPHQL_RESPONSE),
    expect: (answer) => expect(answer.status).toBeGreaterThanOrEqual(400),
  },
];

/**
 * The specification's examples of error cases, answered per media type: what it asks of an `application/json`
 * answer, and of an `application/graphql-response+json` one.
 */
const EXAMPLES: readonly (readonly [string, object | string, (answer: Answer) => void, (answer: Answer) => void])[] = [
  ['JSON parsing failure … SHOULD result in status code 400', REQUESTS.jsonParsingFailure, statusIs(400), statusIs(400)],
  ['Invalid parameters ({"qeury": …}) … SHOULD result in status code 400', REQUESTS.invalidParameters, statusIs(400), statusIs(400)],
  ['Invalid parameters (invalid shape for variables) … SHOULD result in status code 400', REQUESTS.invalidVariablesShape, statusIs(400), statusIs(400)],
  ['Document parsing failure … SHOULD result in status code 200 (json) / 400 (graphql-response+json)', REQUESTS.documentParsingFailure, withoutData(200), withoutData(400)],
  ['Document validation failure … SHOULD NOT execute the request; 200 (json) / 400 (graphql-response+json)', REQUESTS.documentValidationFailure, notExecuted(200), notExecuted(400)],
  ['Operation cannot be determined … SHOULD NOT execute the request; 200 (json) / 400 (graphql-response+json)', REQUESTS.operationNotDetermined, notExecuted(200), notExecuted(400)],
  ['Variable coercion failure … SHOULD NOT execute the request; 200 (json) / 400 (graphql-response+json)', REQUESTS.variableCoercionFailure, notExecuted(200), notExecuted(400)],
  ['Field errors encountered during execution … SHOULD respond with a status code of 200', REQUESTS.fieldErrorWithData, statusIs(200), statusIs(200)],
];

const SHOULD: readonly Requirement[] = [
  {
    clause: 'If the client does not supply a Content-Type header with a POST request, the server SHOULD reject the request using the appropriate 4xx status code',
    request: () => send({ body: JSON.stringify({ query: '{ __typename }' }), headers: { 'apollo-require-preflight': 'true' } }),
    expect: (answer) => expect(answer.status).toBeGreaterThanOrEqual(400),
  },
  {
    clause: 'A server … SHOULD indicate the encoding (e.g. application/graphql-response+json; charset=utf-8)',
    request: () => post({ query: '{ __typename }' }, BOTH),
    expect: (answer) => expect(answer.contentType).toMatch(/charset=utf-8/i),
  },
  {
    clause: 'A server SHOULD support any GraphQL-over-HTTP request which accepts the application/graphql-response+json media type',
    request: () => post({ query: '{ sichuan { name } }' }, BOTH),
    expect: (answer) => expect({ status: answer.status, type: answer.contentType, data: answer.body?.data }).toEqual({ status: 200, type: expect.stringMatching(/^application\/graphql-response\+json/), data: { sichuan: { name: 'Sichuan' } } }),
  },
  { clause: 'Validation … SHOULD apply all the validation rules specified by the GraphQL specification', request: () => post({ query: 'query { ...A } fragment A on Query { ...A }' }, GRAPHQL_RESPONSE), expect: notExecuted(400) },
  { clause: 'If the client is not permitted to issue the GraphQL request then the server SHOULD reply with 403, 401 or similar', request: () => post({ query: '{ __typename }' }, GRAPHQL_RESPONSE, { authorization: 'Bearer not.a.token' }), expect: statusIs(401) },
  ...EXAMPLES.flatMap(([example, request, asJson, asGraphQLResponse]): Requirement[] => [
    { clause: `application/json: ${example}`, request: () => post(request, JSON_TYPE), expect: asJson },
    { clause: `application/graphql-response+json: ${example}`, request: () => post(request, GRAPHQL_RESPONSE), expect: asGraphQLResponse },
  ]),
  { clause: 'application/json: a server MAY apply additional validation rules (depth, complexity limits); a failure is a validation failure: 200', request: () => post(REQUESTS.limitRefusal, JSON_TYPE), expect: notExecuted(200) },
  {
    clause: 'application/graphql-response+json: data entry null … SHOULD reply with a 2xx status code (RECOMMENDED 200)',
    request: () => post(REQUESTS.fieldErrorDataNull, GRAPHQL_RESPONSE),
    expect: (answer) => expect({ status: answer.status, data: answer.body?.data }).toEqual({ status: 200, data: null }),
  },
];

describe('GraphQL over HTTP: MUST', () => {
  it.each(MUST.map((requirement) => [requirement.clause, requirement] as const))('%s', async (_clause, requirement) => {
    requirement.expect(await requirement.request());
  });
});

describe('GraphQL over HTTP: SHOULD', () => {
  it.each(SHOULD.map((requirement) => [requirement.clause, requirement] as const))('%s', async (_clause, requirement) => {
    requirement.expect(await requirement.request());
  });
});

describe('clients that rely on the status codes they always had', () => {
  const requestErrors = [
    ['a document that does not parse', REQUESTS.documentParsingFailure, 'GRAPHQL_PARSE_FAILED'],
    ['a document that does not validate', REQUESTS.documentValidationFailure, 'GRAPHQL_VALIDATION_FAILED'],
    ['an operation over a limit', REQUESTS.limitRefusal, 'GRAPHQL_VALIDATION_FAILED'],
    ['no operation to run', REQUESTS.operationNotDetermined, 'OPERATION_RESOLUTION_FAILURE'],
    ['variables that do not coerce', REQUESTS.variableCoercionFailure, 'BAD_USER_INPUT'],
  ] as const;

  it.each(requestErrors)('answer %s with 400 and application/json to a client that sends no Accept or */*', async (_what, request, code) => {
    for (const accept of [undefined, '*/*']) {
      const answer = await post(request, accept);
      expect({ accept, status: answer.status, type: answer.contentType, code: answer.body?.errors?.[0]?.extensions?.code })
        .toEqual({ accept, status: 400, type: expect.stringMatching(/^application\/json/), code });
    }
  });

  it.each(requestErrors)('answer %s with 400 in application/graphql-response+json to what Apollo Client accepts', async (_what, request, code) => {
    const answer = await post(request, BOTH);
    expect({ status: answer.status, type: answer.contentType, code: answer.body?.errors?.[0]?.extensions?.code })
      .toEqual({ status: 400, type: expect.stringMatching(/^application\/graphql-response\+json/), code });
  });

  it('keep a subgraph\'s answers to the gateway, which sends no Accept, at 400; a client naming application/json gets 200 there too', async () => {
    const subgraph = testSystem().subgraphUrls.sichuan;
    const ask = (accept?: string) =>
      fetch(subgraph, { method: 'POST', headers: { 'content-type': JSON_TYPE, ...(accept ? { accept } : {}) }, body: JSON.stringify(REQUESTS.documentValidationFailure) });
    expect((await ask()).status).toBe(400);
    expect((await ask(JSON_TYPE)).status).toBe(200);
  });
});

describe('the graphql-http audits', () => {
  it('pass every MUST and SHOULD against the gateway and a subgraph (MAY items are recommendations)', async () => {
    for (const url of [testSystem().gatewayUrl, testSystem().subgraphUrls.sichuan]) {
      const results = await Promise.all(serverAudits({ url }).map((audit) => audit.fn()));
      const required = results.filter((result) => /^(MUST|SHOULD) /.test(result.name));
      const failed = required.filter((result) => result.status !== 'ok').map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`);
      expect({ url, failed }).toEqual({ url, failed: [] });
    }
  });
});
