import { ApiUnavailableError, SignInRefusedError } from './graphqlClient';
import { both, TEXT } from './labels';

/**
 * What the sign-in screen says when the API refuses a password or a token:
 * in both languages, like everything else on the wall. The API's own
 * messages are English only, so they are put in words here by their code.
 */

/** Why a sign-in with a password failed. */
export function signInFailureText(failure: unknown): string {
  if (failure instanceof ApiUnavailableError) return failure.message; // already bilingual
  if (!(failure instanceof SignInRefusedError)) return both(TEXT.signInFailed);
  switch (failure.code) {
    case 'UNAUTHENTICATED':
      return both(TEXT.wrongLogin);
    case 'RATE_LIMITED':
      return both(TEXT.tooManySignIns, { minutes: Math.max(1, Math.ceil((failure.retryAfterSeconds ?? 60) / 60)) });
    default:
      return `${failure.message} ${TEXT.signInFailed.zh}`;
  }
}

/**
 * Why the API refused the wall's token: expired only when the token itself
 * says so. Anything else (not a token at all, cut short, signed by someone
 * else) is "not valid".
 */
export function refusedTokenText(token: string | null, now = Date.now()): string {
  const expiry = token === null ? null : expiresAt(token);
  return both(expiry !== null && expiry <= now ? TEXT.sessionExpired : TEXT.tokenNotValid);
}

/** A JWT's `exp` in milliseconds, read without verifying (the API verified it); null for anything that is not a JWT with one. */
function expiresAt(token: string): number | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims: unknown = JSON.parse(atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}
