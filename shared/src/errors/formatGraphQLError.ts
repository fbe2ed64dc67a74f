import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logging/createLogger';
import { DomainError } from './DomainError';
import { ErrorCode } from './ErrorCode';
import { isDatabaseUnavailable } from './isDatabaseUnavailable';

/**
 * PostgreSQL "data exception" (SQLSTATE class 22): the input itself cannot be
 * stored or compared (a NUL character, a malformed UUID in a forged cursor, a
 * number out of range). The client sent it, so it is the client's error.
 */
function isBadDataForDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * The one place errors become client-facing. Domain errors keep their code and
 * message; errors Apollo or graphql-js raised about the request keep theirs;
 * anything else is logged in full and answered with a generic message, so a
 * stack trace, SQL text or host name never reaches a client.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof DomainError) {
      return { ...base, message: original.message, extensions: { ...original.details, code: original.code } };
    }
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      // Raised on purpose with a code: by graphql-js / Apollo about the request
      // (parse, validation, variables) or by a subgraph behind the gateway,
      // which has already applied this same mapping.
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...base, extensions };
    }
    if (error instanceof GraphQLError && !error.originalError && !error.path) {
      // Raised by Apollo Server itself about the request (e.g. a persisted-query hash that does not match), worded for clients.
      return { ...base, extensions: { code: ErrorCode.BAD_REQUEST } };
    }
    if (isBadDataForDatabase(original)) {
      return { ...base, message: 'A value in the request cannot be used (for example a NUL character, or a cursor or id that was not issued by this API).', extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    // Before the _entities check: the gateway's entity fetches meet a database outage like any other field.
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original }, 'database unavailable');
      return { ...base, message: 'The database behind this service is unavailable or busy; retry shortly.', extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
    }
    if (formatted.path?.[0] === '_entities' && !(original instanceof DomainError)) {
      // Only the gateway sends _entities; a malformed one comes from someone calling the subgraph by hand.
      return { ...base, message: 'Invalid _entities representation: each needs the __typename of an entity of this subgraph and its key fields as strings.', extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return { ...base, message: 'Internal error. It has been logged; retry or report it with the request id.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}
