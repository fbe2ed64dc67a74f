import type { DeliverySettings } from './events/delivery/DeliveryWorker';
import { z } from 'zod';
import { ConfigError, PROVINCES, PROVINCE_KEYS, env, parseEnv, subgraphEnvSchema, toSubgraphConfig, partnerOf, type ProvinceDefinition, type SubgraphConfig } from '../../../shared/src';

export interface ProvinceConfig extends SubgraphConfig {
  readonly province: ProvinceDefinition;
  readonly partner: ProvinceDefinition;
  readonly port: number;
  /** The gateway this province asks about the partner's public data (joint labs' partner instruments). */
  readonly gatewayUrl: string;
  /**
   * Most open bookings (requested, or confirmed and not yet ended) one person may hold on this province's
   * instruments (`MAX_OPEN_BOOKINGS_PER_PERSON`, default 50; 0 = no cap), so nobody can hoard slots.
   */
  readonly maxOpenBookingsPerPerson: number;
  /** How the outbox's webhooks are delivered (WEBHOOK_* variables). */
  readonly webhooks: DeliverySettings;
}

/** Open bookings one person may hold in a province unless configured otherwise. */
export const DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON = 50;

/** Where the gateway runs in the embedded demo (`npm start`). */
export const DEFAULT_GATEWAY_URL = 'http://localhost:4000/graphql';

const schema = z.object({
  ...subgraphEnvSchema,
  PROVINCE: z.enum(PROVINCE_KEYS, { message: `expected ${PROVINCE_KEYS.join(' or ')}` }),
  PORT: env.optionalPort(),
  GATEWAY_URL: env.url().default(DEFAULT_GATEWAY_URL),
  MAX_OPEN_BOOKINGS_PER_PERSON: env.wholeNumber(DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON, '0 turns the cap off'),
  WEBHOOK_ALLOW_HTTP: optionalBoolean(),
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: optionalBoolean(),
  WEBHOOK_TIMEOUT_MS: env.positiveInt(10_000),
  WEBHOOK_MAX_ATTEMPTS: env.positiveInt(10),
  WEBHOOK_RETRY_BASE_MS: env.positiveInt(5_000),
  WEBHOOK_RETRY_MAX_MS: env.positiveInt(3_600_000),
  WEBHOOK_CONCURRENCY: env.positiveInt(8),
  WEBHOOK_POLL_MS: env.positiveInt(1_000),
});

/** A true/false variable whose default depends on the mode (undefined: not set). */
function optionalBoolean() {
  return z.enum(['true', 'false'], { message: 'expected true or false' }).transform((v) => v === 'true').optional();
}

export function loadProvinceConfig(source: Record<string, string | undefined> = process.env): ProvinceConfig {
  const vars = parseEnv(schema, source);
  const province = PROVINCES[vars.PROVINCE];
  const production = vars.NODE_ENV === 'production';
  for (const name of ['WEBHOOK_ALLOW_HTTP', 'WEBHOOK_ALLOW_PRIVATE_ADDRESSES'] as const) {
    if (production && vars[name]) throw new ConfigError(`${name}: never true in production (NODE_ENV=production): webhooks go to public https: URLs only`);
  }
  return Object.freeze({
    ...toSubgraphConfig(vars, province.key),
    province,
    partner: partnerOf(province),
    // Each province has its own default port, so all of them can run side by side on one machine.
    port: vars.PORT ?? province.defaultPort,
    gatewayUrl: vars.GATEWAY_URL,
    maxOpenBookingsPerPerson: vars.MAX_OPEN_BOOKINGS_PER_PERSON,
    webhooks: Object.freeze({
      policy: Object.freeze({
        // In development receivers run on this machine over plain HTTP; production accepts neither.
        allowHttp: vars.WEBHOOK_ALLOW_HTTP ?? !production,
        allowPrivateAddresses: vars.WEBHOOK_ALLOW_PRIVATE_ADDRESSES ?? !production,
      }),
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS,
      maxAttempts: vars.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: vars.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: vars.WEBHOOK_RETRY_MAX_MS,
      concurrency: vars.WEBHOOK_CONCURRENCY,
      pollMs: vars.WEBHOOK_POLL_MS,
    }),
  });
}
