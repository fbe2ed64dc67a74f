import { z } from 'zod';
import { databaseEnvSchema, toDatabaseConfig, type DatabaseConfig } from '../db/databaseConfig';
import { DEFAULT_MAX_EXPENSIVE_FIELDS } from '../limits/expensiveFields';
import { authEnvSchema, toAuthConfig, type AuthConfig } from './authConfig';
import { listenEnvSchema, toListenConfig, type ListenConfig } from './listenConfig';
import { ConfigError, env } from './parseEnv';
import { refusePlaceholderSecrets } from './placeholderSecrets';

/** Variables every subgraph reads, besides its own. */
export const subgraphEnvSchema = {
  ...authEnvSchema,
  ...databaseEnvSchema,
  ...listenEnvSchema,
  NODE_ENV: env.nodeEnv(),
  LOG_LEVEL: env.logLevel(),
  MIGRATE_ON_START: env.boolean(true),
  SEED_DEMO_DATA: env.boolean(false),
  GATEWAY_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  MAX_EXPENSIVE_FIELDS: env.positiveInt(DEFAULT_MAX_EXPENSIVE_FIELDS),
};

type SubgraphVars = z.infer<z.ZodObject<typeof subgraphEnvSchema>>;

/** What every subgraph needs to run: where to listen, its database, how to verify tokens. */
export interface SubgraphConfig extends ListenConfig {
  readonly logLevel: string;
  readonly production: boolean;
  readonly database: DatabaseConfig;
  readonly databasePoolSize: number;
  readonly migrateOnStart: boolean;
  /** Load demo data (embedded demo only; refused in production). */
  readonly seedDemo: boolean;
  readonly auth: AuthConfig;
  /** Shared with the gateway (`GATEWAY_SECRET`): only a caller presenting it gets `_entities` and `_service`. Required in production. */
  readonly gatewaySecret: string | undefined;
  /**
   * Sign-ins, bookings and card checks one request may select, aliases included (`MAX_EXPENSIVE_FIELDS`,
   * default 5): at least the gateway's, whose operations arrive here one request each.
   */
  readonly maxExpensiveFields: number;
}

export function toSubgraphConfig(vars: SubgraphVars, service: string): SubgraphConfig {
  const production = vars.NODE_ENV === 'production';
  if (production && vars.SEED_DEMO_DATA) {
    throw new ConfigError('SEED_DEMO_DATA: demo data is never loaded in production (NODE_ENV=production)');
  }
  if (production && !vars.GATEWAY_SECRET) {
    throw new ConfigError('GATEWAY_SECRET: required in production (NODE_ENV=production), the same value as the gateway\'s, so that only the gateway gets _entities');
  }
  if (production) refusePlaceholderSecrets(vars);
  return {
    ...toListenConfig(vars, production),
    logLevel: vars.LOG_LEVEL,
    production,
    database: toDatabaseConfig(vars, service, production),
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    migrateOnStart: vars.MIGRATE_ON_START,
    seedDemo: vars.SEED_DEMO_DATA,
    auth: toAuthConfig(vars),
    gatewaySecret: vars.GATEWAY_SECRET,
    maxExpensiveFields: vars.MAX_EXPENSIVE_FIELDS,
  };
}
