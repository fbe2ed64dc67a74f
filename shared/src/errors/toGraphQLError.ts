import { GraphQLError } from 'graphql';
import type { DomainError } from './DomainError';
import { httpStatusFor } from './ErrorCode';

/**
 * For failures outside field resolution (context creation: a bad token), where
 * Apollo Server reads the HTTP status from `extensions.http`.
 */
export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { ...error.details, code: error.code, http: { status: httpStatusFor(error.code) } },
  });
}
