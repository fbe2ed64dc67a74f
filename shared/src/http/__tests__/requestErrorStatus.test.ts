import { holdsOnlyRequestErrors, requestErrorStatus } from '../requestErrorStatus';

const JSON_ANSWER = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_ANSWER = 'application/graphql-response+json; charset=utf-8';

describe('requestErrorStatus', () => {
  it('is 200 for an application/json answer to a client that names application/json', () => {
    expect(requestErrorStatus('application/json', JSON_ANSWER)).toBe(200);
    expect(requestErrorStatus('application/json;q=0.1, */*', JSON_ANSWER)).toBe(200);
  });

  it.each([
    [undefined, JSON_ANSWER],
    ['*/*', JSON_ANSWER],
    ['application/*', JSON_ANSWER],
    ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_ANSWER],
    ['application/json;q=0', JSON_ANSWER],
  ])('stays 400 for Accept %j answered as %s', (accept, contentType) => {
    expect(requestErrorStatus(accept, contentType)).toBe(400);
  });
});

describe('holdsOnlyRequestErrors', () => {
  const answer = (...codes: string[]) => ({ errors: codes.map((code) => ({ message: code, extensions: { code } })) });

  it.each(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_USER_INPUT', 'RESPONSE_TOO_LARGE'])('knows %s', (code) => {
    expect(holdsOnlyRequestErrors(JSON.stringify(answer(code)))).toBe(true);
  });

  it('reads every answer of a batch', () => {
    expect(holdsOnlyRequestErrors(JSON.stringify([{ data: { a: 1 } }, answer('GRAPHQL_VALIDATION_FAILED')]))).toBe(true);
    expect(holdsOnlyRequestErrors(JSON.stringify([answer('GRAPHQL_VALIDATION_FAILED'), answer('BAD_REQUEST')]))).toBe(false);
  });

  it.each([
    ['a request that is not well formed', JSON.stringify(answer('BAD_REQUEST'))],
    ['a mix with another error', JSON.stringify(answer('GRAPHQL_VALIDATION_FAILED', 'FORBIDDEN'))],
    ['an error without a code', JSON.stringify({ errors: [{ message: 'x' }] })],
    ['no errors', JSON.stringify({ data: { a: 1 } })],
    ['a body that is not JSON', 'Bad Request'],
  ])('refuses %s', (_what, body) => {
    expect(holdsOnlyRequestErrors(body)).toBe(false);
  });
});
