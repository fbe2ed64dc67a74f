import { ErrorCode } from '../errors/ErrorCode';
import { mediaRanges } from './negotiateResponseMediaType';

/**
 * Errors of a well-formed request that stop it before execution: its document
 * does not parse or validate (the operation limits are validation rules too),
 * it names no operation the document holds, its variables do not coerce
 * (`BAD_USER_INPUT` at HTTP 400: a resolver's `BAD_USER_INPUT` is a field error,
 * answered 200), or its answer is too large to send. Not `BAD_REQUEST`: a
 * request that is not well formed (not JSON, no `query`, `variables` not an
 * object, too large a batch) is 400 whatever the client accepts.
 */
const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.RESPONSE_TOO_LARGE,
]);

/**
 * The status of an answer that holds only request errors. GraphQL over HTTP
 * asks 200 for an `application/json` answer to a well-formed request (a legacy
 * client cannot tell a 4xx from an intermediary's) and 400 for an
 * `application/graphql-response+json` one. The 200 goes only to clients that
 * name `application/json` in Accept and are answered with it: those that send
 * no Accept or only `*\/*` (curl, browsers' fetch, the gateway's own subgraph
 * fetches) keep the 400 they have always had, and Apollo Client, which prefers
 * `application/graphql-response+json`, gets that type and its 400.
 */
export function requestErrorStatus(accept: string | undefined, contentType: string): 200 | 400 {
  const answeredAsJson = /^application\/json\b/i.test(contentType);
  const namesJson = accept !== undefined && mediaRanges(accept).some((range) => range.type === 'application' && range.subtype === 'json' && range.q > 0);
  return answeredAsJson && namesJson ? 200 : 400;
}

/** Whether a GraphQL answer (one, or a batch's) holds errors and every one is a request error. */
export function holdsOnlyRequestErrors(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  const errors = (Array.isArray(parsed) ? parsed : [parsed]).flatMap((answer: unknown) => {
    const list = (answer as { errors?: unknown } | null)?.errors;
    return Array.isArray(list) ? list : [];
  });
  return errors.length > 0 && errors.every((error: unknown) => REQUEST_ERROR_CODES.has(String((error as { extensions?: { code?: unknown } } | null)?.extensions?.code)));
}
