import { z } from 'zod';
import { ConfigError, env } from './parseEnv';

/** Default of `READINESS_CACHE_MS`: long enough that a flood of readiness requests costs one check a second, short enough for a load balancer. */
export const DEFAULT_READINESS_CACHE_MS = 1000;

/** Where every service listens, besides its public `PORT`. */
export const listenEnvSchema = {
  HOST: z.string().default('127.0.0.1'),
  ADMIN_PORT: env.optionalPort(),
  READINESS_CACHE_MS: env.wholeNumber(DEFAULT_READINESS_CACHE_MS, '0: callers share only a check in progress'),
};

export interface ListenConfig {
  readonly host: string;
  /**
   * The admin listener's port (`ADMIN_PORT`), the only place `/health/ready` and `/metrics` are served.
   * Required in production; unset (development), they are served on the public port.
   */
  readonly adminPort: number | undefined;
  /** How long one readiness check answers `/health/ready` (`READINESS_CACHE_MS`, default 1000). */
  readonly readinessCacheMs: number;
}

export function toListenConfig(vars: { HOST: string; ADMIN_PORT?: number | undefined; READINESS_CACHE_MS: number }, production: boolean): ListenConfig {
  if (production && vars.ADMIN_PORT === undefined) {
    throw new ConfigError('ADMIN_PORT: required in production (NODE_ENV=production): /health/ready and /metrics are served there, never on the public PORT');
  }
  return { host: vars.HOST, adminPort: vars.ADMIN_PORT, readinessCacheMs: vars.READINESS_CACHE_MS };
}
