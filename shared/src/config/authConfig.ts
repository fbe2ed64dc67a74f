import { z } from 'zod';
import { env } from './parseEnv';

/** Variables every service that verifies tokens reads. */
export const authEnvSchema = {
  JWKS_URL: env.url().default('http://localhost:4001/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('https://id.shuangcheng.example'),
  JWT_AUDIENCE: z.string().min(1).default('shuangcheng-api'),
};

export interface AuthConfig {
  readonly jwksUrl: string;
  readonly issuer: string;
  readonly audience: string;
}

export function toAuthConfig(vars: { JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string }): AuthConfig {
  return Object.freeze({ jwksUrl: vars.JWKS_URL, issuer: vars.JWT_ISSUER, audience: vars.JWT_AUDIENCE });
}
