import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { testSystem } from '../../support/system';

/** `token` signed again by the platform's own key with an expiry two minutes past (beyond the 30 s tolerance): a real, expired token. */
export function expiredCopyOf(token: string): string {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw new Error('not a JWT');
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...decoded.payload, iat: now - 900, nbf: now - 900, exp: now - 120 };
  return jwt.sign(claims, readFileSync(testSystem().signingKeyFile, 'utf8'), { algorithm: 'RS256', keyid: decoded.header.kid });
}
