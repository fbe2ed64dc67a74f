import jwt, { type JwtHeader, type SigningKeyCallback } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import type { AuthConfig } from '../config/authConfig';
import { unauthenticated } from '../errors/DomainError';
import { viewerFromClaims, type Viewer } from './claims';

export interface TokenVerifier {
  /** `null` for a request without credentials; throws `UNAUTHENTICATED` for any bad token. */
  verifyAuthorizationHeader(header: string | undefined): Promise<Viewer | null>;
}

/** Only RS256: an `alg: none` or HS256-with-the-public-key token must never verify. */
const ALGORITHMS: jwt.Algorithm[] = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies access tokens against the platform's JWKS. Keys are fetched by `kid`
 * and cached (jwks-rsa), with a rate limit on look-ups of unknown kids so a
 * flood of forged tokens cannot hammer the platform.
 */
export function createTokenVerifier(config: AuthConfig, localKeys?: { keys: unknown[] }): TokenVerifier {
  const jwks = new JwksClient({
    jwksUri: config.jwksUrl,
    // The platform verifies with the keys it holds instead of asking itself over HTTP.
    ...(localKeys ? { getKeysInterceptor: () => localKeys.keys as never } : {}),
    cache: true,
    cacheMaxEntries: 10,
    cacheMaxAge: 10 * 60_000,
    rateLimit: true,
    jwksRequestsPerMinute: 30,
    timeout: 5_000,
  });

  const getKey = (header: JwtHeader, callback: SigningKeyCallback) => {
    if (!header.kid) return callback(new Error('token has no kid'));
    jwks.getSigningKey(header.kid).then(
      (key) => callback(null, key.getPublicKey()),
      (error: Error) => callback(error),
    );
  };

  return {
    async verifyAuthorizationHeader(header) {
      if (header === undefined || header === '') return null;
      // The scheme name is case-insensitive (RFC 6750); the token itself is three base64url parts.
      const match = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/i.exec(header.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>" with a JWT from the platform login.');
      const claims = await new Promise<jwt.JwtPayload>((resolve, reject) => {
        jwt.verify(
          match[1]!,
          getKey,
          { algorithms: ALGORITHMS, issuer: config.issuer, audience: config.audience, clockTolerance: CLOCK_TOLERANCE_SECONDS },
          (error, decoded) => {
            if (error || !decoded || typeof decoded === 'string') return reject(error ?? new Error('no payload'));
            resolve(decoded);
          },
        );
      }).catch((error: Error) => {
        throw unauthenticated(
          error.name === 'TokenExpiredError'
            ? 'The token has expired; sign in again (login) for a new one.'
            : 'The token is not valid here; sign in again (login) for a new one.',
        );
      });
      // jsonwebtoken checks exp only when present; a token without one would never expire.
      const viewer = typeof claims.exp === 'number' ? viewerFromClaims(claims) : null;
      if (!viewer) throw unauthenticated('The token lacks required claims; sign in again (login) for a new one.');
      return viewer;
    },
  };
}
