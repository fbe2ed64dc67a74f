import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AccessTokenClaims, AuthConfig } from '../../../../shared/src';
import type { SigningKeys } from './signingKeys';

export interface IssuedToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Signs access tokens: RS256, `kid` in the header, issuer and audience as every verifier expects. */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly auth: AuthConfig,
    private readonly ttlSeconds: number,
  ) {}

  issue(claims: AccessTokenClaims): IssuedToken {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const expiresAtSeconds = nowSeconds + this.ttlSeconds;
    const token = jwt.sign({ ...claims, iat: nowSeconds, nbf: nowSeconds, exp: expiresAtSeconds }, this.keys.privateKey, {
      algorithm: 'RS256',
      keyid: this.keys.kid,
      issuer: this.auth.issuer,
      audience: this.auth.audience,
      jwtid: randomUUID(),
    });
    return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
  }
}
