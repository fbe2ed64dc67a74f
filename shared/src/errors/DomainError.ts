import { ErrorCode, type DomainErrorCode } from './ErrorCode';

/**
 * An expected failure raised by domain code (bad input, missing rights…).
 * Resolvers throw these; one mapper (`formatGraphQLError`) turns them into
 * GraphQL errors at the server, so no resolver needs its own try/catch.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Extra machine-readable facts for the client (e.g. `{ argument: 'id' }`). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const badUserInput = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
export const unauthenticated = (message = 'Sign in first: this field needs a valid bearer token.') =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message: string, details?: Record<string, unknown>) => new DomainError(ErrorCode.FORBIDDEN, message, details);
export const notFound = (message: string, details?: Record<string, unknown>) =>
  new DomainError(ErrorCode.NOT_FOUND, message, details);
export const conflict = (message: string, details?: Record<string, unknown>) => new DomainError(ErrorCode.CONFLICT, message, details);
