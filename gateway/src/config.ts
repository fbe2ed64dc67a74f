import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  authEnvSchema, ConfigError, DEFAULT_MAX_EXPENSIVE_FIELDS, env, listenEnvSchema, parseEnv, refusePlaceholderSecrets, toAuthConfig, toListenConfig, type AuthConfig,
  type ExpensiveFieldKind, type ListenConfig, type OperationShapeLimits,
} from '../../shared/src';
import type { CircuitSettings } from './resilience/createSubgraphCircuits';
import { readinessUrlBeside } from './resilience/probeSubgraph';
import { readyUrlVariableOf, subgraphsOfSupergraph, urlVariableOf } from './supergraph/subgraphsOfSupergraph';
import { SUPERGRAPH_FILE } from './supergraph/supergraphFile';

export { SUPERGRAPH_FILE };

export interface GatewayConfig extends ListenConfig {
  readonly port: number;
  readonly logLevel: string;
  readonly production: boolean;
  readonly supergraphFile: string;
  /** Reload the supergraph when its file changes (`SUPERGRAPH_WATCH`, default true); SIGHUP reloads it either way. */
  readonly watchSupergraph: boolean;
  /** Where each subgraph of the supergraph runs, by subgraph name: `<NAME>_URL` (`PLATFORM_URL`, `SICHUAN_URL`…), else the URL in the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  /**
   * Where the gateway asks each subgraph whether it is ready, for its own readiness and its circuits' probes:
   * `<NAME>_READY_URL` (`PLATFORM_READY_URL`…, the subgraph's `/health/ready` on its admin port; required in
   * production), else `/health/ready` beside its GraphQL URL (development, where subgraphs have no admin port).
   */
  readonly subgraphReadyUrls: Readonly<Record<string, string>>;
  /** Web origins besides the gateway's own (the dashboard's) whose pages may call `/graphql` (`CORS_ALLOWED_ORIGINS`, comma-separated). */
  readonly corsAllowedOrigins: readonly string[];
  readonly auth: AuthConfig;
  /** Largest accepted request body. */
  readonly bodyLimitBytes: number;
  /** Largest answer, a batch's answers together (`MAX_RESPONSE_BYTES`, default 4000000); a larger one becomes a RESPONSE_TOO_LARGE error. */
  readonly maxResponseBytes: number;
  readonly performance: GatewayPerformanceConfig;
  readonly resilience: GatewayResilienceConfig;
  readonly limits: OperationLimits;
  /**
   * The load balancers in front of the gateway, as CIDR blocks (`TRUSTED_PROXIES`, default none): only from
   * these is `x-forwarded-for` believed, so a caller cannot pick the address its limits count (shared/src/http/clientAddressResolver.ts).
   */
  readonly trustedProxies: readonly string[];
  /** Redis shared by the gateway replicas for rate limits and persisted queries (`REDIS_URL`); none: each process keeps its own. */
  readonly redisUrl: string | undefined;
  /** Presented to every subgraph (`GATEWAY_SECRET`), which answers `_entities` only to the gateway. */
  readonly gatewaySecret: string | undefined;
}

/** What one request may ask for; each refusal names its variable. */
export interface OperationLimits extends OperationShapeLimits {
  /** Nesting depth of fields (`MAX_QUERY_DEPTH`, default 12). */
  readonly maxDepth: number;
  /** Aliased fields in one operation (`MAX_ALIASES`, default 30). */
  readonly maxAliases: number;
  /** Top-level fields in one operation (`MAX_ROOT_FIELDS`, default 10). */
  readonly maxRootFields: number;
  /** Lexical tokens in one document (`MAX_TOKENS`, default 4000). */
  readonly maxTokens: number;
  /** Estimated fields in the answer of a request, a batch's operations together; list sizes from `first`, else shared/src/limits/listSizes.ts (`MAX_QUERY_COST`, default 20000). */
  readonly maxCost: number;
  /** Largest `first` (`MAX_PAGE_SIZE`, default 100, as the subgraphs allow). */
  readonly maxFirst: number;
  /** Operations in one batched HTTP request (`MAX_BATCH_SIZE`, default 10). */
  readonly maxBatchSize: number;
  /** Operations a minute per caller, each of a batch counting (`RATE_LIMIT_PER_MINUTE`, default 1200; 0 = off). */
  readonly requestsPerMinute: number;
  /** Sign-ins, bookings and card checks one request may select, a batch's operations together (`MAX_EXPENSIVE_FIELDS`, default 5). */
  readonly maxExpensiveFields: number;
  /**
   * Each kind of expensive field a minute per caller, on top of the requests that carry them (0 = off):
   * sign-ins (`SIGN_INS_PER_MINUTE`, default 30: `login`, `issueClientToken`), bookings (`BOOKINGS_PER_MINUTE`,
   * default 30) and card checks (`CARD_CHECKS_PER_MINUTE`, default 120: `verifyTalentCard`).
   */
  readonly expensiveFieldsPerMinute: Readonly<Record<ExpensiveFieldKind, number>>;
}

/** Settings on the request path; the defaults are the ones `npm run bench` measured (README, "Performance"). */
export interface GatewayPerformanceConfig {
  /** Keep-alive connections per subgraph (`SUBGRAPH_CONNECTIONS`, default 64); more concurrent fetches queue in the pool. */
  readonly subgraphConnections: number;
  /** Approximate size of the query-plan cache (`QUERY_PLAN_CACHE_MIB`, default 30, Apollo's own default: thousands of plans of this schema's size). */
  readonly queryPlanCacheMiB: number;
  /** Automatic persisted queries: a client may send a query's SHA-256 instead of its text (`PERSISTED_QUERIES`, default true). */
  readonly persistedQueries: boolean;
  /** Identical queries to a subgraph in flight at once share one fetch (`SUBGRAPH_DEDUPLICATION`, default true). */
  readonly deduplicateQueries: boolean;
}

/** How a subgraph outage is ridden out: a time limit per fetch and per request, a circuit per subgraph, and retries for queries only. */
export interface GatewayResilienceConfig extends CircuitSettings {
  /** Further attempts for a query after a connection failure, timeout or 502/503/504 (`SUBGRAPH_RETRIES`, default 1); mutations are sent once. */
  readonly queryRetries: number;
  /**
   * Longest wait for one attempt of a subgraph fetch, its whole answer read (`SUBGRAPH_TIMEOUT_MS`, default 5000):
   * over ten times any p99 `npm run bench` measured (0.36 s, whole requests at 50 connections), and above the 3 s a province
   * waits for the gateway when it checks a partner's instruments, so its own clear error comes through.
   */
  readonly subgraphTimeoutMs: number;
  /**
   * Time a client request has from its arrival for all its subgraph fetches, retries included
   * (`GATEWAY_REQUEST_DEADLINE_MS`, default 10000); a retry is sent only when a whole attempt still fits.
   * Twice the default timeout: a refused or reset connection is retried, a hung subgraph costs one timeout.
   */
  readonly requestDeadlineMs: number;
}

/** `CORS_ALLOWED_ORIGINS`: exact web origins, each as a browser writes it in `Origin` (scheme, host and port only). */
const originList = () =>
  z
    .string()
    .default('')
    .transform((value, context) => {
      const origins = value.split(',').map((item) => item.trim()).filter(Boolean);
      for (const origin of origins) {
        if (!isOrigin(origin)) {
          context.addIssue({ code: 'custom', message: `expected comma-separated origins such as https://partner.example (scheme, host and port only; * is not accepted); ${JSON.stringify(origin)} is not one` });
          return z.NEVER;
        }
      }
      return origins.map((origin) => new URL(origin).origin);
    });

function isOrigin(candidate: string): boolean {
  if (candidate.includes('*')) return false;
  try {
    const url = new URL(candidate);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

const schema = z.object({
  ...authEnvSchema,
  ...listenEnvSchema,
  NODE_ENV: env.nodeEnv(),
  PORT: env.port(4000),
  LOG_LEVEL: env.logLevel(),
  SUPERGRAPH_FILE: z.string().default(SUPERGRAPH_FILE),
  SUPERGRAPH_WATCH: env.boolean(true),
  MAX_BODY_BYTES: env.positiveInt(1_000_000),
  MAX_RESPONSE_BYTES: env.positiveInt(4_000_000),
  SUBGRAPH_CONNECTIONS: env.positiveInt(64),
  SUBGRAPH_TIMEOUT_MS: env.positiveInt(5_000),
  GATEWAY_REQUEST_DEADLINE_MS: env.positiveInt(10_000),
  SUBGRAPH_RETRIES: z.coerce.number({ message: 'expected a whole number from 0 to 5' }).int().min(0).max(5).default(1),
  CIRCUIT_BREAKER_FAILURES: z.coerce.number({ message: 'expected a whole number (0 turns the breaker off)' }).int().min(0).default(5),
  CIRCUIT_BREAKER_RESET_MS: env.positiveInt(5_000),
  QUERY_PLAN_CACHE_MIB: env.positiveInt(30),
  PERSISTED_QUERIES: env.boolean(true),
  SUBGRAPH_DEDUPLICATION: env.boolean(true),
  MAX_QUERY_DEPTH: env.positiveInt(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  MAX_ROOT_FIELDS: env.positiveInt(10),
  MAX_TOKENS: env.positiveInt(4000),
  MAX_QUERY_COST: env.positiveInt(20_000),
  MAX_PAGE_SIZE: env.positiveInt(100),
  MAX_BATCH_SIZE: env.positiveInt(10),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  TRUSTED_PROXIES: env.cidrList(),
  TRUST_FORWARDED_FOR: env.retired('list the addresses of the load balancers in front of the gateway in TRUSTED_PROXIES instead (e.g. TRUSTED_PROXIES=10.0.0.5/32): x-forwarded-for is believed only from them'),
  MAX_EXPENSIVE_FIELDS: env.positiveInt(DEFAULT_MAX_EXPENSIVE_FIELDS),
  SIGN_INS_PER_MINUTE: env.wholeNumber(30, '0 turns the limit off'),
  BOOKINGS_PER_MINUTE: env.wholeNumber(30, '0 turns the limit off'),
  CARD_CHECKS_PER_MINUTE: env.wholeNumber(120, '0 turns the limit off'),
  GATEWAY_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, message: 'expected a redis:// or rediss:// URL such as redis://redis:6379' }).optional(),
  CORS_ALLOWED_ORIGINS: originList(),
});

export function loadGatewayConfig(source: Record<string, string | undefined> = process.env): GatewayConfig {
  const vars = parseEnv(schema, source);
  const production = vars.NODE_ENV === 'production';
  if (production && !vars.GATEWAY_SECRET) {
    throw new ConfigError('GATEWAY_SECRET: required in production (NODE_ENV=production), the same value as every subgraph\'s, which answer _entities only to the gateway');
  }
  if (production) refusePlaceholderSecrets(vars);
  if (vars.SUBGRAPH_TIMEOUT_MS >= vars.GATEWAY_REQUEST_DEADLINE_MS) {
    // Every attempt would be cut by the deadline instead: no timeout would ever count against a circuit, and no retry would fit.
    throw new ConfigError(`SUBGRAPH_TIMEOUT_MS: must be less than GATEWAY_REQUEST_DEADLINE_MS (${vars.GATEWAY_REQUEST_DEADLINE_MS}), the time a whole request has for its subgraph fetches, got ${vars.SUBGRAPH_TIMEOUT_MS}`);
  }
  const subgraphs = subgraphUrlsFor(vars.SUPERGRAPH_FILE, source, production);
  return Object.freeze({
    ...toListenConfig(vars, production),
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    production,
    supergraphFile: vars.SUPERGRAPH_FILE,
    watchSupergraph: vars.SUPERGRAPH_WATCH,
    subgraphUrls: Object.freeze(subgraphs.urls),
    subgraphReadyUrls: Object.freeze(subgraphs.readyUrls),
    corsAllowedOrigins: Object.freeze(vars.CORS_ALLOWED_ORIGINS),
    auth: toAuthConfig(vars),
    bodyLimitBytes: vars.MAX_BODY_BYTES,
    maxResponseBytes: vars.MAX_RESPONSE_BYTES,
    performance: Object.freeze({
      subgraphConnections: vars.SUBGRAPH_CONNECTIONS,
      queryPlanCacheMiB: vars.QUERY_PLAN_CACHE_MIB,
      persistedQueries: vars.PERSISTED_QUERIES,
      deduplicateQueries: vars.SUBGRAPH_DEDUPLICATION,
    }),
    resilience: Object.freeze({
      queryRetries: vars.SUBGRAPH_RETRIES,
      subgraphTimeoutMs: vars.SUBGRAPH_TIMEOUT_MS,
      requestDeadlineMs: vars.GATEWAY_REQUEST_DEADLINE_MS,
      failureThreshold: vars.CIRCUIT_BREAKER_FAILURES,
      probeIntervalMs: vars.CIRCUIT_BREAKER_RESET_MS,
    }),
    trustedProxies: Object.freeze(vars.TRUSTED_PROXIES),
    redisUrl: vars.REDIS_URL,
    gatewaySecret: vars.GATEWAY_SECRET,
    limits: Object.freeze({
      maxDepth: vars.MAX_QUERY_DEPTH,
      maxAliases: vars.MAX_ALIASES,
      maxRootFields: vars.MAX_ROOT_FIELDS,
      maxTokens: vars.MAX_TOKENS,
      maxCost: vars.MAX_QUERY_COST,
      maxFirst: vars.MAX_PAGE_SIZE,
      maxBatchSize: vars.MAX_BATCH_SIZE,
      requestsPerMinute: vars.RATE_LIMIT_PER_MINUTE,
      maxExpensiveFields: vars.MAX_EXPENSIVE_FIELDS,
      expensiveFieldsPerMinute: Object.freeze({
        signIn: vars.SIGN_INS_PER_MINUTE,
        booking: vars.BOOKINGS_PER_MINUTE,
        cardCheck: vars.CARD_CHECKS_PER_MINUTE,
      }),
    }),
  });
}

/**
 * The subgraphs are the supergraph's: each one's `<NAME>_URL`, checked like any variable, or the URL composition
 * wrote; and each one's `<NAME>_READY_URL`, which production requires, since subgraphs there serve readiness
 * only on their admin port, which the gateway cannot guess.
 */
function subgraphUrlsFor(supergraphFile: string, source: Record<string, string | undefined>, production: boolean) {
  let supergraphSdl: string;
  try {
    supergraphSdl = readFileSync(supergraphFile, 'utf8');
  } catch (error) {
    throw new ConfigError(`SUPERGRAPH_FILE: cannot read ${supergraphFile} (${error instanceof Error ? error.message : String(error)})`);
  }
  const subgraphs = subgraphsOfSupergraph(supergraphSdl);
  const variables = subgraphs.flatMap(({ name }) => [urlVariableOf(name), readyUrlVariableOf(name)]);
  const vars = parseEnv(z.object(Object.fromEntries(variables.map((variable) => [variable, env.url().optional()]))), source);
  const urls = Object.fromEntries(subgraphs.map(({ name, url }) => [name, vars[urlVariableOf(name)] ?? url]));
  const missing = subgraphs.map(({ name }) => readyUrlVariableOf(name)).filter((variable) => !vars[variable]);
  if (production && missing.length > 0) {
    throw new ConfigError(`${missing.join(', ')}: required in production (NODE_ENV=production): each subgraph's /health/ready on its admin port (ADMIN_PORT), e.g. http://sichuan:9464/health/ready`);
  }
  const readyUrls = Object.fromEntries(subgraphs.map(({ name }) => [name, vars[readyUrlVariableOf(name)] ?? readinessUrlBeside(urls[name]!)]));
  return { urls, readyUrls };
}
