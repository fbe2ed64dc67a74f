import { env } from './parseEnv';

/** How fresh a service keeps partner clients' standings (auth/ClientStatusDirectory.ts). */
export interface ClientStatusConfig {
  readonly maxAgeMs: number;
  readonly maxStaleMs: number;
}

export const clientStatusEnvSchema = {
  /** A suspension reaches every service within this (plus one fetch). */
  CLIENT_STATUS_MAX_AGE_SECONDS: env.positiveInt(30),
  /** While the platform cannot be asked, the last list answers until this old; then client tokens are refused. */
  CLIENT_STATUS_MAX_STALE_SECONDS: env.positiveInt(300),
};

export function toClientStatusConfig(vars: { CLIENT_STATUS_MAX_AGE_SECONDS: number; CLIENT_STATUS_MAX_STALE_SECONDS: number }): ClientStatusConfig {
  return Object.freeze({
    maxAgeMs: vars.CLIENT_STATUS_MAX_AGE_SECONDS * 1000,
    // Never shorter than the age: a list is always good until it is due again.
    maxStaleMs: Math.max(vars.CLIENT_STATUS_MAX_STALE_SECONDS, vars.CLIENT_STATUS_MAX_AGE_SECONDS) * 1000,
  });
}
