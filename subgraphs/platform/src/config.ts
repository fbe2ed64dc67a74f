import { z } from 'zod';
import {
  authEnvSchema, ConfigError, databaseEnvSchema, env, parseEnv, toAuthConfig, toDatabaseConfig,
  type AuthConfig, type DatabaseConfig,
} from '../../../shared/src';

export type SigningKeyConfig = (
  | { readonly kind: 'inline'; readonly pem: string }
  | { readonly kind: 'file'; readonly file: string; readonly generateIfMissing: boolean }
) & { readonly previousPublicKeyFiles: readonly string[] };

export interface PlatformConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly production: boolean;
  readonly database: DatabaseConfig;
  readonly databasePoolSize: number;
  readonly migrateOnStart: boolean;
  /** Create the demo accounts (embedded demo only; refused in production). */
  readonly seedDemo: boolean;
  readonly auth: AuthConfig;
  readonly signingKey: SigningKeyConfig;
  readonly accessTokenTtlSeconds: number;
}

const schema = z.object({
  ...authEnvSchema,
  ...databaseEnvSchema,
  NODE_ENV: env.nodeEnv(),
  PORT: env.port(4001),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
  MIGRATE_ON_START: env.boolean(true),
  SEED_DEMO_DATA: env.boolean(false),
  JWT_SIGNING_KEY: z.string().includes('PRIVATE KEY', { message: 'expected a PEM-encoded RSA private key' }).optional(),
  JWT_SIGNING_KEY_FILE: z.string().default('.data/keys/jwt-signing-key.pem'),
  JWT_GENERATE_SIGNING_KEY: env.boolean(false),
  JWT_PREVIOUS_PUBLIC_KEY_FILES: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
});

export function loadPlatformConfig(source: Record<string, string | undefined> = process.env): PlatformConfig {
  const vars = parseEnv(schema, source);
  const production = vars.NODE_ENV === 'production';
  if (production && vars.SEED_DEMO_DATA) {
    throw new ConfigError('SEED_DEMO_DATA: demo accounts are never created in production (NODE_ENV=production)');
  }
  const previousPublicKeyFiles = (vars.JWT_PREVIOUS_PUBLIC_KEY_FILES ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const signingKey: SigningKeyConfig = vars.JWT_SIGNING_KEY
    ? { kind: 'inline', pem: vars.JWT_SIGNING_KEY, previousPublicKeyFiles }
    : { kind: 'file', file: vars.JWT_SIGNING_KEY_FILE, generateIfMissing: vars.JWT_GENERATE_SIGNING_KEY && !production, previousPublicKeyFiles };
  return Object.freeze({
    port: vars.PORT,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL,
    production,
    database: toDatabaseConfig(vars, 'platform'),
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    migrateOnStart: vars.MIGRATE_ON_START,
    seedDemo: vars.SEED_DEMO_DATA,
    auth: toAuthConfig(vars),
    signingKey,
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS,
  });
}
