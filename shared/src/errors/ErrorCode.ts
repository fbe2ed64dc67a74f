/**
 * Every `extensions.code` a client can receive from this system, in one place:
 * the codes domain code raises, the ones the HTTP layer and the plugins raise
 * about a request, and the ones Apollo Server and graphql-js raise (same
 * spelling as Apollo's `ApolloServerErrorCode`, so they pass through unchanged).
 *
 * A frozen object rather than a TypeScript `enum`: a string enum refuses the
 * plain literal `'BAD_USER_INPUT'`, and a code must compare equal to the string
 * a client receives (`error.code === ErrorCode.CONFLICT`, JSON, logs).
 */
export const ErrorCode = Object.freeze({
  // Raised by domain code (DomainError) and by the gateway about a subgraph.
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  // About the request itself: its body, its text, its operation.
  BAD_REQUEST: 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  // The answer would be larger than the server sends (MAX_RESPONSE_BYTES): ask for less.
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  // Anything unexpected: logged in full, answered with a generic message.
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const);

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The codes a `DomainError` may carry: outcomes of the domain, not faults of the request's form. */
export type DomainErrorCode = Extract<
  ErrorCode,
  'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE'
>;

/** The HTTP status that goes with each code when the whole response is about it (documented for clients; request errors answered as `application/json` to a client that names it are 200: http/requestErrorStatus.ts). */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.BAD_USER_INPUT:
    case ErrorCode.BAD_REQUEST:
    case ErrorCode.GRAPHQL_PARSE_FAILED:
    case ErrorCode.GRAPHQL_VALIDATION_FAILED:
    case ErrorCode.OPERATION_RESOLUTION_FAILURE:
    case ErrorCode.RESPONSE_TOO_LARGE:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.CONFLICT:
      return 409;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.SERVICE_UNAVAILABLE:
      return 503;
    // Apollo answers these with 200 so that an automatic-persisted-query client retries with the full text.
    case ErrorCode.PERSISTED_QUERY_NOT_FOUND:
    case ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED:
      return 200;
    case ErrorCode.INTERNAL_SERVER_ERROR:
      return 500;
    default: {
      const unhandled: never = code;
      throw new Error(`no HTTP status for ${String(unhandled)}`);
    }
  }
}
