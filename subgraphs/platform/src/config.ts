import { z } from 'zod';
import {
  ConfigError, clientStatusEnvSchema, env, mailEnvSchema, parseEnv, subgraphEnvSchema, toClientStatusConfig, toMailConfig, toSubgraphConfig,
  type ClientStatusConfig, type MailConfig, type SubgraphConfig,
} from '../../../shared/src';
import { externalSignInEnvSchema, toExternalSignInConfig, type ExternalSignInConfig } from './externalSignIn/providerConfig';

export type SigningKeyConfig = (
  | { readonly kind: 'inline'; readonly pem: string }
  | { readonly kind: 'file'; readonly file: string; readonly generateIfMissing: boolean }
) & { readonly previousPublicKeyFiles: readonly string[] };

/** Failed sign-ins allowed per window before further attempts are refused (see services/LoginThrottle.ts). */
export interface LoginThrottleConfig {
  /** One account from one address block. */
  readonly maxFailuresPerAccountAddress: number;
  /** One account from every address it has not signed in from lately, together. */
  readonly maxFailuresPerAccount: number;
  /** One address block over every account it has not signed in to lately. */
  readonly maxFailuresPerAddress: number;
  readonly windowSeconds: number;
  /** How long a successful sign-in makes its address known to the account (exempt from the two wide limits). */
  readonly knownAddressDays: number;
}

export interface PlatformConfig extends SubgraphConfig {
  readonly port: number;
  readonly signingKey: SigningKeyConfig;
  /** Short on purpose: a JWT cannot be recalled, so this bounds how long one outlives a logout or revocation. */
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /**
   * Lifetime of a token a partner client holds for a person (`DELEGATED_TOKEN_TTL_SECONDS`, default 300): with the
   * client-status refresh, it bounds how long such a token outlives anything but a consent's revocation.
   */
  readonly delegatedTokenTtlSeconds: number;
  /**
   * The gateways' addresses, as CIDR blocks (`TRUSTED_PROXIES`, default none):
   * the caller's address is read from `x-forwarded-for` only on requests from
   * these (see requests/platformClientAddress.ts), so nobody else can choose
   * the address a sign-in is throttled as.
   */
  readonly trustedProxies: readonly string[];
  readonly loginThrottle: LoginThrottleConfig;
  readonly clientStatus: ClientStatusConfig;
  /** The gateway's public origin, where calendar feeds are fetched (`CALENDAR_FEED_BASE_URL`). */
  readonly calendarFeedBaseUrl: string;
  /** Identity providers the platform signs people in through (`OIDC_PROVIDERS`, `OIDC_REDIRECT_URIS`); none by default. */
  readonly externalSignIn: ExternalSignInConfig;
  /** Where verification and reset mail goes out (`SMTP_URL`; unset: written to the log, and refused in production). */
  readonly mail: MailConfig;
  readonly accountMail: AccountMailConfig;
}

/** Self-service registration and password reset (services/AccountService.ts). */
export interface AccountMailConfig {
  readonly verificationTtlSeconds: number;
  readonly resetTtlSeconds: number;
  /** A page that takes `?token=` (`ACCOUNT_LINK_URL`); without it, mail gives the token to paste. */
  readonly linkUrl: string | null;
  /**
   * Self-registered accounts never verified are deleted this long after they were made (`UNVERIFIED_ACCOUNT_TTL_SECONDS`,
   * default 7 days, at least the verification link's life), by a sweep every `purgeSweepSeconds`
   * (`UNVERIFIED_ACCOUNT_SWEEP_SECONDS`, default 3600; 0: this process does not sweep).
   */
  readonly unverifiedTtlSeconds: number;
  readonly purgeSweepSeconds: number;
  /** Mail requests (registration, reset) allowed per window: for one address, and from one network address block. */
  readonly maxPerEmail: number;
  readonly maxPerNetworkAddress: number;
  readonly windowSeconds: number;
}

const schema = z.object({
  ...subgraphEnvSchema,
  ...clientStatusEnvSchema,
  PORT: env.port(4001),
  JWT_SIGNING_KEY: z.string().includes('PRIVATE KEY', { message: 'expected a PEM-encoded RSA private key' }).optional(),
  JWT_SIGNING_KEY_FILE: z.string().default('.data/keys/jwt-signing-key.pem'),
  JWT_GENERATE_SIGNING_KEY: env.boolean(false),
  JWT_PREVIOUS_PUBLIC_KEY_FILES: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).max(90 * 86_400).default(14 * 86_400),
  DELEGATED_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(900).default(300),
  TRUSTED_PROXIES: env.cidrList(),
  TRUST_PROXY: env.retired('list the gateways\' addresses in TRUSTED_PROXIES instead (e.g. TRUSTED_PROXIES=127.0.0.1/32,::1/128 when the gateway runs on this machine): x-forwarded-for is believed only from them'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: env.positiveInt(5),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: env.positiveInt(50),
  LOGIN_MAX_FAILURES_PER_ADDRESS: env.positiveInt(20),
  LOGIN_FAILURE_WINDOW_SECONDS: env.positiveInt(900),
  LOGIN_KNOWN_ADDRESS_DAYS: env.positiveInt(30),
  CALENDAR_FEED_BASE_URL: env.url().default('http://localhost:4000'),
  ...externalSignInEnvSchema,
  ...mailEnvSchema,
  EMAIL_VERIFICATION_TTL_SECONDS: z.coerce.number().int().min(300).max(7 * 86_400).default(86_400),
  PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().min(300).max(86_400).default(1_800),
  ACCOUNT_LINK_URL: env.url().optional(),
  ACCOUNT_MAIL_MAX_PER_EMAIL: env.positiveInt(3),
  ACCOUNT_MAIL_MAX_PER_ADDRESS: env.positiveInt(10),
  ACCOUNT_MAIL_WINDOW_SECONDS: env.positiveInt(3_600),
  UNVERIFIED_ACCOUNT_TTL_SECONDS: env.positiveInt(7 * 86_400),
  UNVERIFIED_ACCOUNT_SWEEP_SECONDS: env.wholeNumber(3_600, '0 turns the sweep off in this process'),
});

export function loadPlatformConfig(source: Record<string, string | undefined> = process.env): PlatformConfig {
  const vars = parseEnv(schema, source);
  const base = toSubgraphConfig(vars, 'platform');
  const previousPublicKeyFiles = (vars.JWT_PREVIOUS_PUBLIC_KEY_FILES ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const signingKey: SigningKeyConfig = vars.JWT_SIGNING_KEY
    ? { kind: 'inline', pem: vars.JWT_SIGNING_KEY, previousPublicKeyFiles }
    : { kind: 'file', file: vars.JWT_SIGNING_KEY_FILE, generateIfMissing: vars.JWT_GENERATE_SIGNING_KEY && !base.production, previousPublicKeyFiles };
  if (vars.REFRESH_TOKEN_TTL_SECONDS <= vars.ACCESS_TOKEN_TTL_SECONDS) {
    throw new ConfigError(
      `REFRESH_TOKEN_TTL_SECONDS: must be longer than ACCESS_TOKEN_TTL_SECONDS (${vars.ACCESS_TOKEN_TTL_SECONDS}), got ${vars.REFRESH_TOKEN_TTL_SECONDS}`,
    );
  }
  if (vars.LOGIN_MAX_FAILURES_PER_ACCOUNT <= vars.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS) {
    // Otherwise one address could fill the account-wide count and lock the owner out everywhere.
    throw new ConfigError(
      `LOGIN_MAX_FAILURES_PER_ACCOUNT: must be larger than LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS (${vars.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS}), got ${vars.LOGIN_MAX_FAILURES_PER_ACCOUNT}`,
    );
  }
  if (vars.UNVERIFIED_ACCOUNT_TTL_SECONDS < vars.EMAIL_VERIFICATION_TTL_SECONDS) {
    // Otherwise a verification link still valid could find its account gone.
    throw new ConfigError(
      `UNVERIFIED_ACCOUNT_TTL_SECONDS: must be at least EMAIL_VERIFICATION_TTL_SECONDS (${vars.EMAIL_VERIFICATION_TTL_SECONDS}), got ${vars.UNVERIFIED_ACCOUNT_TTL_SECONDS}`,
    );
  }
  return Object.freeze({
    ...base,
    port: vars.PORT,
    signingKey,
    accessTokenTtlSeconds: vars.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: vars.REFRESH_TOKEN_TTL_SECONDS,
    delegatedTokenTtlSeconds: vars.DELEGATED_TOKEN_TTL_SECONDS,
    trustedProxies: Object.freeze(vars.TRUSTED_PROXIES),
    clientStatus: toClientStatusConfig(vars),
    calendarFeedBaseUrl: vars.CALENDAR_FEED_BASE_URL,
    loginThrottle: Object.freeze({
      maxFailuresPerAccountAddress: vars.LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS,
      maxFailuresPerAccount: vars.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: vars.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: vars.LOGIN_FAILURE_WINDOW_SECONDS,
      knownAddressDays: vars.LOGIN_KNOWN_ADDRESS_DAYS,
    }),
    externalSignIn: toExternalSignInConfig(vars, base.production),
    mail: toMailConfig(vars),
    accountMail: Object.freeze({
      verificationTtlSeconds: vars.EMAIL_VERIFICATION_TTL_SECONDS,
      unverifiedTtlSeconds: vars.UNVERIFIED_ACCOUNT_TTL_SECONDS,
      purgeSweepSeconds: vars.UNVERIFIED_ACCOUNT_SWEEP_SECONDS,
      resetTtlSeconds: vars.PASSWORD_RESET_TTL_SECONDS,
      linkUrl: vars.ACCOUNT_LINK_URL ?? null,
      maxPerEmail: vars.ACCOUNT_MAIL_MAX_PER_EMAIL,
      maxPerNetworkAddress: vars.ACCOUNT_MAIL_MAX_PER_ADDRESS,
      windowSeconds: vars.ACCOUNT_MAIL_WINDOW_SECONDS,
    }),
  });
}
