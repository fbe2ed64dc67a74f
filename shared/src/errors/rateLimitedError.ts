import { GraphQLError } from 'graphql';
import { ErrorCode } from './ErrorCode';

/**
 * HTTP 429 `RATE_LIMITED` for a refusal outside field resolution (context
 * creation), saying in the body and in `Retry-After` when to try again.
 */
export function rateLimitedError(message: string, msBeforeNext: number): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new GraphQLError(`${message} Retry in ${retryAfterSeconds} s.`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}
