import type { DeliverySettings } from './events/delivery/DeliveryWorker';
import { developmentKeyMaterial, parseWebhookSecretKeys, type WebhookSecretKeyring } from './events/delivery/webhookSecretKeys';
import type { NotificationSettings } from './notifications/MailNotificationWorker';
import { z } from 'zod';
import { ISSUER_TIMEOUT_MS } from './vouchers/VoucherIssuerClient';
import { DEFAULT_CARD_CODE_SETTINGS, type CardCodeSettings } from './cardChecks/cardCodeSettings';
import {
  ConfigError, PROVINCES, PROVINCE_KEYS, clientStatusEnvSchema, env, mailEnvSchema, parseEnv, subgraphEnvSchema, toClientStatusConfig, toMailConfig, toSubgraphConfig,
  partnerOf, type ClientStatusConfig, type MailConfig, type ProvinceDefinition, type SubgraphConfig,
} from '../../../shared/src';

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
  /** The platform subgraph, asked (with the gateway secret) for partner clients' standings (`PLATFORM_URL`). */
  readonly platformUrl: string;
  readonly clientStatus: ClientStatusConfig;
  /** No-shows: the grace period, the sweep's interval (0: no sweep in this process) and what repeated ones cost. */
  readonly noShows: NoShowConfig;
  /** Voucher housekeeping (VoucherSweeper): how often, how long holds last, when a stopped redemption is taken up. */
  readonly vouchers: VoucherConfig;
  /** How long a card holder's verification code lives (`CARD_CODE_TTL_SECONDS`). */
  readonly cardCodes: CardCodeSettings;
  /** How the outbox's webhooks are delivered (WEBHOOK_* variables). */
  readonly webhooks: DeliverySettings;
  /**
   * The keys webhook signing secrets are sealed with at rest (`WEBHOOK_SECRET_KEYS`, newest first): required in
   * production; elsewhere a development key derived from the province's name.
   */
  readonly webhookSecretKeys: WebhookSecretKeyring;
  /** The SMTP server people are mailed through (SMTP_URL, MAIL_FROM; unset: mail is written to the log). */
  readonly mail: MailConfig;
  /** How people are mailed about their bookings and service requests (NOTIFICATION_* variables). */
  readonly notifications: NotificationSettings;
}

export interface NoShowConfig {
  /** Minutes after a confirmed booking's start without a check-in before it is a no-show (`NO_SHOW_GRACE_MINUTES`, default 15). */
  readonly graceMinutes: number;
  /** Seconds between sweeps (`NO_SHOW_SWEEP_SECONDS`, default 60; 0: this process does not sweep). */
  readonly sweepSeconds: number;
  /** No-shows within the window that suspend self-booking (`NO_SHOW_LIMIT`, default 3; 0: never suspend). */
  readonly limit: number;
  /** `NO_SHOW_WINDOW_DAYS`, default 90. */
  readonly windowDays: number;
  /** `NO_SHOW_SUSPENSION_DAYS`, default 30. */
  readonly suspensionDays: number;
}

export const DEFAULT_NO_SHOWS: NoShowConfig = Object.freeze({ graceMinutes: 15, sweepSeconds: 60, limit: 3, windowDays: 90, suspensionDays: 30 });

export interface VoucherConfig {
  /** `VOUCHER_SWEEP_INTERVAL_MS`, default 30 000; 0 turns the sweeper off. */
  readonly sweepIntervalMs: number;
  /** `VOUCHER_HOLD_SECONDS`, default 900: how long an issuer holds an amount this province reserved before releasing it. */
  readonly holdSeconds: number;
  /** `VOUCHER_RESUME_AFTER_MS`, default 60 000: a redemption untouched this long between steps is finished or undone by the sweeper. */
  readonly resumeAfterMs: number;
}

/** A redemption untouched for less may still be under way: its two calls to the issuer, with their timeouts, and a margin. */
export const MIN_RESUME_AFTER_MS = 3 * ISSUER_TIMEOUT_MS;

export const DEFAULT_VOUCHER_CONFIG: VoucherConfig = Object.freeze({ sweepIntervalMs: 30_000, holdSeconds: 900, resumeAfterMs: 60_000 });

/** Open bookings one person may hold in a province unless configured otherwise. */
export const DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON = 50;

/** Where the gateway runs in the embedded demo (`npm start`). */
export const DEFAULT_GATEWAY_URL = 'http://localhost:4000/graphql';

const schema = z.object({
  ...subgraphEnvSchema,
  ...clientStatusEnvSchema,
  PLATFORM_URL: env.url().optional(),
  PROVINCE: z.enum(PROVINCE_KEYS, { message: `expected ${PROVINCE_KEYS.join(' or ')}` }),
  PORT: env.optionalPort(),
  GATEWAY_URL: env.url().default(DEFAULT_GATEWAY_URL),
  MAX_OPEN_BOOKINGS_PER_PERSON: env.wholeNumber(DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON, '0 turns the cap off'),
  NO_SHOW_GRACE_MINUTES: env.wholeNumber(DEFAULT_NO_SHOWS.graceMinutes, 'minutes; 0: a no-show as soon as the start passes'),
  NO_SHOW_SWEEP_SECONDS: env.wholeNumber(DEFAULT_NO_SHOWS.sweepSeconds, '0 turns the sweep off in this process'),
  NO_SHOW_LIMIT: env.wholeNumber(DEFAULT_NO_SHOWS.limit, '0: no-shows never suspend'),
  NO_SHOW_WINDOW_DAYS: env.wholeNumber(DEFAULT_NO_SHOWS.windowDays, 'days; 0 counts as 1'),
  NO_SHOW_SUSPENSION_DAYS: env.wholeNumber(DEFAULT_NO_SHOWS.suspensionDays, 'days; 0 counts as 1'),
  VOUCHER_SWEEP_INTERVAL_MS: env.wholeNumber(DEFAULT_VOUCHER_CONFIG.sweepIntervalMs, '0 turns the sweeper off'),
  VOUCHER_HOLD_SECONDS: env.wholeNumber(DEFAULT_VOUCHER_CONFIG.holdSeconds, 'seconds, 1 to 3600').refine((value) => value >= 1 && value <= 3_600, { message: 'expected 1 to 3600 seconds' }),
  // Longer than a live payment's calls to the issuer can take (ISSUER_TIMEOUT_MS each), so the sweeper never undoes a payment still under way.
  VOUCHER_RESUME_AFTER_MS: env.wholeNumber(DEFAULT_VOUCHER_CONFIG.resumeAfterMs, `milliseconds, at least ${MIN_RESUME_AFTER_MS}`)
    .refine((value) => value >= MIN_RESUME_AFTER_MS, { message: `expected at least ${MIN_RESUME_AFTER_MS} ms: a live payment's issuer calls may take ${ISSUER_TIMEOUT_MS} ms each` }),
  CARD_CODE_TTL_SECONDS: env.wholeNumber(DEFAULT_CARD_CODE_SETTINGS.ttlSeconds, 'seconds, 1 to 3600')
    .refine((value) => value >= 1 && value <= 3_600, { message: 'expected 1 to 3600 seconds: a code is shown to a provider there and then' }),
  WEBHOOK_ALLOW_HTTP: optionalBoolean(),
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: optionalBoolean(),
  WEBHOOK_TIMEOUT_MS: env.positiveInt(10_000),
  WEBHOOK_MAX_ATTEMPTS: env.positiveInt(10),
  WEBHOOK_RETRY_BASE_MS: env.positiveInt(5_000),
  WEBHOOK_RETRY_MAX_MS: env.positiveInt(3_600_000),
  WEBHOOK_CONCURRENCY: env.positiveInt(8),
  WEBHOOK_POLL_MS: env.positiveInt(1_000),
  // Parsed below, after the placeholder check of production secrets, so a placeholder is named as one.
  WEBHOOK_SECRET_KEYS: z.string().optional(),
  ...mailEnvSchema,
  NOTIFICATION_MAX_ATTEMPTS: env.positiveInt(12),
  NOTIFICATION_RETRY_BASE_MS: env.positiveInt(30_000),
  NOTIFICATION_RETRY_MAX_MS: env.positiveInt(3_600_000),
  NOTIFICATION_CONCURRENCY: env.wholeNumber(2, '0: this process mails nobody (another replica does)'),
  NOTIFICATION_POLL_MS: env.positiveInt(5_000),
});

function webhookSecretKeys(value: string | undefined, provinceKey: string, production: boolean): WebhookSecretKeyring {
  const development = developmentKeyMaterial(provinceKey);
  if (production && value === undefined) {
    throw new ConfigError('WEBHOOK_SECRET_KEYS: required in production (NODE_ENV=production): <key id>:<key>, e.g. 2026-01:$(openssl rand -base64 32); webhook signing secrets are stored sealed with it');
  }
  if (production && value!.includes(development)) {
    throw new ConfigError('WEBHOOK_SECRET_KEYS: holds the development key, refused in production (NODE_ENV=production); set a long random one');
  }
  const keys = parseWebhookSecretKeys(value ?? `dev:${development}`);
  if (typeof keys === 'string') throw new ConfigError(`WEBHOOK_SECRET_KEYS: ${keys}`);
  return keys;
}

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
  const subgraph = toSubgraphConfig(vars, province.key);
  return Object.freeze({
    ...subgraph,
    province,
    partner: partnerOf(province),
    // Each province has its own default port, so all of them can run side by side on one machine.
    port: vars.PORT ?? province.defaultPort,
    gatewayUrl: vars.GATEWAY_URL,
    maxOpenBookingsPerPerson: vars.MAX_OPEN_BOOKINGS_PER_PERSON,
    // The platform serves its keys and its GraphQL side by side: by default it is asked where its keys are.
    platformUrl: vars.PLATFORM_URL ?? new URL('/graphql', vars.JWKS_URL).toString(),
    clientStatus: toClientStatusConfig(vars),
    noShows: Object.freeze({
      graceMinutes: vars.NO_SHOW_GRACE_MINUTES,
      sweepSeconds: vars.NO_SHOW_SWEEP_SECONDS,
      limit: vars.NO_SHOW_LIMIT,
      windowDays: Math.max(1, vars.NO_SHOW_WINDOW_DAYS),
      suspensionDays: Math.max(1, vars.NO_SHOW_SUSPENSION_DAYS),
    }),
    vouchers: Object.freeze({
      sweepIntervalMs: vars.VOUCHER_SWEEP_INTERVAL_MS,
      holdSeconds: vars.VOUCHER_HOLD_SECONDS,
      resumeAfterMs: vars.VOUCHER_RESUME_AFTER_MS,
    }),
    cardCodes: Object.freeze({ ttlSeconds: vars.CARD_CODE_TTL_SECONDS }),
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
    webhookSecretKeys: webhookSecretKeys(vars.WEBHOOK_SECRET_KEYS, province.key, production),
    mail: toMailConfig(vars),
    notifications: Object.freeze({
      maxAttempts: vars.NOTIFICATION_MAX_ATTEMPTS,
      retryBaseMs: vars.NOTIFICATION_RETRY_BASE_MS,
      retryMaxMs: vars.NOTIFICATION_RETRY_MAX_MS,
      concurrency: vars.NOTIFICATION_CONCURRENCY,
      pollMs: vars.NOTIFICATION_POLL_MS,
    }),
  });
}
