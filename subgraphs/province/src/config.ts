import { z } from 'zod';
import {
  ConfigError, PROVINCES, authEnvSchema, databaseEnvSchema, env, parseEnv, toAuthConfig, toDatabaseConfig,
  type AuthConfig, type DatabaseConfig, type ProvinceDefinition,
} from '../../../shared/src';

export interface ProvinceConfig {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly production: boolean;
  readonly database: DatabaseConfig;
  readonly databasePoolSize: number;
  readonly migrateOnStart: boolean;
  /** Load the demo registry (embedded demo only; refused in production). */
  readonly seedDemo: boolean;
  readonly auth: AuthConfig;
}

/** Default ports when PORT is not set, so both provinces can run side by side on one machine. */
const DEFAULT_PORT = { sichuan: 4002, chongqing: 4003 } as const;

const schema = z.object({
  ...authEnvSchema,
  ...databaseEnvSchema,
  PROVINCE: z.enum(['sichuan', 'chongqing'], { message: 'expected sichuan or chongqing' }),
  NODE_ENV: env.nodeEnv(),
  PORT: env.optionalPort(),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
  MIGRATE_ON_START: env.boolean(true),
  SEED_DEMO_DATA: env.boolean(false),
});

export function loadProvinceConfig(source: Record<string, string | undefined> = process.env): ProvinceConfig {
  const vars = parseEnv(schema, source);
  const province = PROVINCES[vars.PROVINCE];
  const production = vars.NODE_ENV === 'production';
  if (production && vars.SEED_DEMO_DATA) {
    throw new ConfigError('SEED_DEMO_DATA: demo data is never loaded in production (NODE_ENV=production)');
  }
  return Object.freeze({
    province,
    partner: PROVINCES[province.partner],
    port: vars.PORT ?? DEFAULT_PORT[province.key],
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL,
    production,
    database: toDatabaseConfig(vars, province.key),
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    migrateOnStart: vars.MIGRATE_ON_START,
    seedDemo: vars.SEED_DEMO_DATA,
    auth: toAuthConfig(vars),
  });
}
