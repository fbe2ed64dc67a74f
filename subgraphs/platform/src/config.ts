import { z } from 'zod';
import { env, parseEnv, subgraphEnvSchema, toSubgraphConfig, type SubgraphConfig } from '../../../shared/src';

export type SigningKeyConfig = (
  | { readonly kind: 'inline'; readonly pem: string }
  | { readonly kind: 'file'; readonly file: string; readonly generateIfMissing: boolean }
) & { readonly previousPublicKeyFiles: readonly string[] };

export interface PlatformConfig extends SubgraphConfig {
  readonly port: number;
  readonly signingKey: SigningKeyConfig;
  readonly accessTokenTtlSeconds: number;
}

const schema = z.object({
  ...subgraphEnvSchema,
  PORT: env.port(4001),
  JWT_SIGNING_KEY: z.string().includes('PRIVATE KEY', { message: 'expected a PEM-encoded RSA private key' }).optional(),
  JWT_SIGNING_KEY_FILE: z.string().default('.data/keys/jwt-signing-key.pem'),
  JWT_GENERATE_SIGNING_KEY: env.boolean(false),
  JWT_PREVIOUS_PUBLIC_KEY_FILES: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
});

export function loadPlatformConfig(source: Record<string, string | undefined> = process.env): PlatformConfig {
  const vars = parseEnv(schema, source);
  const base = toSubgraphConfig(vars, 'platform');
  const previousPublicKeyFiles = (vars.JWT_PREVIOUS_PUBLIC_KEY_FILES ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const signingKey: SigningKeyConfig = vars.JWT_SIGNING_KEY
    ? { kind: 'inline', pem: vars.JWT_SIGNING_KEY, previousPublicKeyFiles }
    : { kind: 'file', file: vars.JWT_SIGNING_KEY_FILE, generateIfMissing: vars.JWT_GENERATE_SIGNING_KEY && !base.production, previousPublicKeyFiles };
  return Object.freeze({
    ...base,
    port: vars.PORT,
    signingKey,
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS,
  });
}
