// The error classes' own modules, the very classes TypeORM's index re-exports: the index loads all of TypeORM
// (some 330 modules), which every unit test that formats a GraphQL error then paid for.
import { CannotExecuteNotConnectedError } from 'typeorm/error/CannotExecuteNotConnectedError';
import { QueryRunnerAlreadyReleasedError } from 'typeorm/error/QueryRunnerAlreadyReleasedError';
import { QueryRunnerProviderAlreadyReleasedError } from 'typeorm/error/QueryRunnerProviderAlreadyReleasedError';

/**
 * SQLSTATEs that mean the connection or the server went away, not that the
 * request was wrong: class 08 (connection exception), 57P01–57P05 (admin,
 * crash or immediate shutdown, cannot connect now, database dropped, idle
 * session timeout), 53300 (too many connections) and 25P03 (the server closed
 * a transaction left idle too long).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-5]|53300|25P03)$/;

/** Socket errors of a connection that could not be made or was cut. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);

/**
 * pg and pg-pool raise these with no code: a connection the server dropped
 * (mid-query or while idle), a client already broken, every pooled connection
 * busy past connectionTimeoutMillis, a pool closed while the service stops.
 */
const UNAVAILABLE_MESSAGE =
  /^Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end on the pool/i;

/**
 * TypeORM's words for a connection that is gone: when pg reports a dropped
 * connection between two statements of a transaction, TypeORM releases that
 * transaction's query runner, and the next statement fails with
 * QueryRunnerAlreadyReleasedError instead of a database error. A function, not a list built on load: unit tests load
 * packages lazily, and a list built on load made every test that imports `shared/src` load TypeORM.
 */
const unavailableTypeormErrors = () => [QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError, CannotExecuteNotConnectedError];

function isUnavailableItself(error: unknown): boolean {
  if (unavailableTypeormErrors().some((type) => error instanceof type)) return true;
  if (error instanceof Error && UNAVAILABLE_MESSAGE.test(error.message)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code));
}

/** What an error wraps: TypeORM's driver error, an Error's cause, an AggregateError's errors (a connect tried on IPv4 and IPv6). */
function wrapped(error: unknown): unknown[] {
  if (typeof error !== 'object' || error === null) return [];
  const { driverError, cause, errors } = error as { driverError?: unknown; cause?: unknown; errors?: unknown };
  return [driverError, cause, ...(Array.isArray(errors) ? errors : [])].filter((inner) => inner !== undefined && inner !== error);
}

/**
 * Whether an error means "the database is unreachable right now" (a person
 * should try again shortly), not a bug: looks at the error and what it wraps,
 * a few levels deep.
 */
export function isDatabaseUnavailable(error: unknown, depth = 3): boolean {
  if (isUnavailableItself(error)) return true;
  return depth > 0 && wrapped(error).some((inner) => isDatabaseUnavailable(inner, depth - 1));
}
