import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ErrorCode, httpStatusFor } from '../ErrorCode';

describe('ErrorCode', () => {
  it('spells every code as its own name, which is what clients receive', () => {
    for (const [name, code] of Object.entries(ErrorCode)) expect(code).toBe(name);
  });

  it('holds every code Apollo Server raises, so none reaches a client from outside the list', () => {
    for (const code of Object.values(ApolloServerErrorCode)) expect(Object.values(ErrorCode)).toContain(code);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(ErrorCode)).toBe(true);
  });
});

describe('httpStatusFor', () => {
  it.each([
    ['BAD_USER_INPUT', 400],
    ['BAD_REQUEST', 400],
    ['GRAPHQL_PARSE_FAILED', 400],
    ['GRAPHQL_VALIDATION_FAILED', 400],
    ['OPERATION_RESOLUTION_FAILURE', 400],
    ['RESPONSE_TOO_LARGE', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['RATE_LIMITED', 429],
    ['SERVICE_UNAVAILABLE', 503],
    ['PERSISTED_QUERY_NOT_FOUND', 200],
    ['PERSISTED_QUERY_NOT_SUPPORTED', 200],
    ['INTERNAL_SERVER_ERROR', 500],
  ] as const)('answers %s with HTTP %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('has a status for every code (the table above is complete)', () => {
    expect(Object.values(ErrorCode)).toHaveLength(15);
  });

  it('refuses a code outside the list instead of guessing', () => {
    expect(() => httpStatusFor('TEAPOT' as ErrorCode)).toThrow('no HTTP status for TEAPOT');
  });
});
