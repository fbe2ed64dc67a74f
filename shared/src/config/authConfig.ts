import { z } from 'zod';
import { env } from './parseEnv';

/** Variables every service that verifies tokens reads. */
export const authEnvSchema = {
  JWKS_URL: env.url().default('http://localhost:4001/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('https://id.shuangcheng.example'),
  JWT_AUDIENCE: z.string().min(1).default('shuangcheng-api'),
  BAD_TOKENS_PER_MINUTE: z.coerce.number({ message: 'expected a whole number (0 turns the throttle off)' }).int().min(0).default(60),
};

export interface AuthConfig {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
  /** Invalid tokens one address may send a minute before its tokens are refused unverified with HTTP 429 (`BAD_TOKENS_PER_MINUTE`, default 60; 0 = off). */
  readonly badTokensPerMinute: number;
}

export function toAuthConfig(vars: { JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string; BAD_TOKENS_PER_MINUTE: number }): AuthConfig {
  return Object.freeze({ jwksUrl: vars.JWKS_URL, issuer: vars.JWT_ISSUER, audience: vars.JWT_AUDIENCE, badTokensPerMinute: vars.BAD_TOKENS_PER_MINUTE });
}
