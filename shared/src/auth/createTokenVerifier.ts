import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AuthConfig } from '../config/authConfig';
import { DomainError } from '../errors/DomainError';
import { ErrorCode } from '../errors/ErrorCode';
import type { Logger } from '../logging/createLogger';
import { viewerFromClaims, type Viewer } from './claims';
import { createJwksKeySet, type KeySet } from './createJwksKeySet';

export interface TokenVerifier {
  /** `null` for a request without credentials; throws a `TokenRefusedError` (`UNAUTHENTICATED`) for any bad token. */
  verifyAuthorizationHeader(header: string | undefined): Promise<Viewer | null>;
}

/** Why a token was refused: the `reason` label of the refusal counter, so a closed list. */
export const TOKEN_REFUSAL_REASONS = [
  'malformed',
  'unsupported_algorithm',
  'no_kid',
  'unknown_kid',
  'keys_unavailable',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'wrong_issuer',
  'wrong_audience',
  'bad_claims',
] as const;
export type TokenRefusalReason = (typeof TOKEN_REFUSAL_REASONS)[number];

/** An `UNAUTHENTICATED` error that also says why, for metrics and logs; the client sees only the message. */
export class TokenRefusedError extends DomainError {
  constructor(
    readonly reason: TokenRefusalReason,
    message = 'The token is not valid here; sign in again (login) for a new one.',
  ) {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export interface TokenVerifierOptions {
  /** Public keys the service holds itself (the platform's): tokens are checked against them, never fetched. */
  readonly localKeys?: { readonly keys: readonly unknown[] };
  /** Where a failed JWKS fetch is reported. */
  readonly logger?: Logger;
  /** For tests: the key set, instead of one built from the config. */
  readonly keySet?: KeySet;
}

/** Only RS256: an `alg: none` or HS256-with-the-public-key token must never verify. */
const ALGORITHM = 'RS256';
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies access tokens against the platform's keys, held whole by a key set
 * (createJwksKeySet.ts) so that forged kids can neither evict nor starve them.
 * The header is checked before any key is looked up: a token that is not
 * RS256 or names no kid costs nothing more.
 */
export function createTokenVerifier(config: AuthConfig, options: TokenVerifierOptions = {}): TokenVerifier {
  const keySet =
    options.keySet ??
    createJwksKeySet(options.localKeys ? { kind: 'local', jwks: options.localKeys } : { kind: 'remote', url: config.jwksUrl }, {
      ...(options.logger ? { logger: options.logger } : {}),
    });

  const verified = new VerifiedTokens();

  return {
    async verifyAuthorizationHeader(header) {
      if (header === undefined || header === '') return null;
      // The scheme name is case-insensitive (RFC 6750); the token itself is three base64url parts.
      const match = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/i.exec(header.trim());
      if (!match) throw new TokenRefusedError('malformed', 'The Authorization header must be "Bearer <token>" with a JWT from the platform login.');
      const token = match[1]!;
      const known = verified.get(token);
      // Still within its time and its key still the one the key set holds under its kid (a rotated key drops it).
      if (known && (await keySet.keyFor(known.kid)) === known.key) return known.viewer;
      const decoded = decodeUnverified(token);
      if (!decoded || typeof decoded.payload === 'string') throw new TokenRefusedError('malformed');
      if (decoded.header.alg !== ALGORITHM) throw new TokenRefusedError('unsupported_algorithm');
      const { kid } = decoded.header;
      if (typeof kid !== 'string' || kid === '') throw new TokenRefusedError('no_kid');
      const key = await keySet.keyFor(kid);
      if (!key) throw new TokenRefusedError(keySet.loaded() ? 'unknown_kid' : 'keys_unavailable');

      let claims: jwt.JwtPayload;
      try {
        const payload = jwt.verify(token, key, { algorithms: [ALGORITHM], issuer: config.issuer, audience: config.audience, clockTolerance: CLOCK_TOLERANCE_SECONDS });
        if (typeof payload === 'string') throw new TokenRefusedError('malformed');
        claims = payload;
      } catch (error) {
        if (error instanceof TokenRefusedError) throw error;
        const reason = refusalReasonOf(error);
        throw new TokenRefusedError(reason, reason === 'expired' ? 'The token has expired; sign in again (login) for a new one.' : undefined);
      }
      // jsonwebtoken checks exp only when present; a token without one would never expire.
      const viewer = typeof claims.exp === 'number' ? viewerFromClaims(claims) : null;
      if (!viewer) throw new TokenRefusedError('bad_claims', 'The token lacks required claims; sign in again (login) for a new one.');
      verified.set(token, { viewer, kid, key, expiresAt: claims.exp! * 1000, notBefore: typeof claims.nbf === 'number' ? claims.nbf * 1000 : -Infinity });
      return viewer;
    },
  };
}

interface VerifiedToken {
  readonly viewer: Viewer;
  readonly kid: string;
  readonly key: KeyObject;
  /** `exp` and `nbf` in ms: a hit is only as good as the token's own time. */
  readonly expiresAt: number;
  readonly notBefore: number;
}

/** Tokens kept at most: past it the cache is forgotten at once (one verification each again), never grown. */
const MAX_VERIFIED_TOKENS = 4_096;

/**
 * Tokens already verified, by their exact text. A person's or client's token is sent with every request of its
 * lifetime, and its RS256 signature check was the largest single cost of authenticating each one (every service
 * verifies: the gateway and each subgraph it calls). Only a token that passed every check is kept, so forged ones
 * cannot fill it; a hit is answered only while the token's time (with the same clock tolerance) holds and its
 * key is still the key set's, and an expired one falls through to the full check, which says why it is refused.
 * The claims are the token's own text, so what they make of the viewer cannot change while it is kept.
 */
class VerifiedTokens {
  private readonly tokens = new Map<string, VerifiedToken>();

  get(token: string): VerifiedToken | undefined {
    const known = this.tokens.get(token);
    if (!known) return undefined;
    // The clock jsonwebtoken checks a token's time against.
    const now = Date.now();
    const tolerance = CLOCK_TOLERANCE_SECONDS * 1000;
    if (now >= known.expiresAt + tolerance || now < known.notBefore - tolerance) {
      this.tokens.delete(token);
      return undefined;
    }
    return known;
  }

  set(token: string, verified: VerifiedToken): void {
    if (this.tokens.size >= MAX_VERIFIED_TOKENS) this.tokens.clear();
    this.tokens.set(token, verified);
  }
}

/** The header and claims as sent, or null when they are not JSON (jws throws on a payload that is not, when `typ` is JWT). */
function decodeUnverified(token: string): jwt.Jwt | null {
  try {
    return jwt.decode(token, { complete: true });
  } catch {
    return null;
  }
}

/** jsonwebtoken says why only in its error's class and message. */
function refusalReasonOf(error: unknown): TokenRefusalReason {
  if (error instanceof jwt.TokenExpiredError) return 'expired';
  if (error instanceof jwt.NotBeforeError) return 'not_yet_valid';
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt issuer invalid')) return 'wrong_issuer';
  if (message.startsWith('jwt audience invalid')) return 'wrong_audience';
  if (message === 'invalid exp value' || message === 'invalid nbf value') return 'bad_claims';
  if (message === 'jwt malformed' || message === 'invalid token') return 'malformed';
  // "invalid signature", "jwt signature is required", or a key of another type under the kid.
  return 'bad_signature';
}
