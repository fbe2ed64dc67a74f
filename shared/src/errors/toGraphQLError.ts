import { GraphQLError } from 'graphql';
import { DomainError } from './DomainError';
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

/** Runs work done while creating a request's context, answering a domain refusal with its HTTP status (401, 503…). */
export async function asRequestError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof DomainError ? toGraphQLError(error) : error;
  }
}
