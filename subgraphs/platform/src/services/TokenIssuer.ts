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

  /** `notAfter`: the token expires then at the latest (a partner client's registration never outlives its token's use). */
  issue(claims: AccessTokenClaims, notAfter?: Date): IssuedToken {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const expiresAtSeconds = Math.min(nowSeconds + this.ttlSeconds, notAfter ? Math.floor(notAfter.getTime() / 1000) : Infinity);
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
