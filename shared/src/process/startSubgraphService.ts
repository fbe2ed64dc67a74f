import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { createTokenGuard } from '../auth/createTokenGuard';
import { createTokenVerifier } from '../auth/createTokenVerifier';
import type { SubgraphConfig } from '../config/subgraphConfig';
import { databaseReadiness } from '../db/databaseReadiness';
import { openServiceDatabase } from '../db/openServiceDatabase';
import { presentsGatewaySecret } from '../graphql/gatewayOnlyFieldsPlugin';
import { identifyRequest, type RequestIdentity } from '../graphql/requestContext';
import { createSubgraphApollo } from '../graphql/createSubgraphApollo';
import { adminRoutes } from '../http/adminRoutes';
import { localGraphQLFetch } from '../http/localGraphQLFetch';
import type { RequestHead } from '../http/RequestHead';
import { startHttpServer } from '../http/startHttpServer';
import type { RouteHandler } from '../http/startHttpServer';
import type { Logger } from '../logging/createLogger';
import { createMetricsRegistry, type MetricsRegistry } from '../metrics/createMetricsRegistry';
import { registerDatabasePoolMetrics } from '../metrics/databasePoolMetrics';

export interface RunningService {
  readonly url: string;
  readonly port: number;
  /** Where `/health/ready` and `/metrics` are served (`http://host:port`) when the service has an admin port. */
  readonly adminUrl: string | undefined;
  close(): Promise<void>;
}

/** What one subgraph serves, built once its database is open. */
/** Work a service runs beside its requests (a periodic sweep); its stop waits for the run under way. */
export interface BackgroundWork {
  start(logger: Logger): void;
  stop(): Promise<void>;
}

export interface SubgraphParts<TContext extends BaseContext> {
  readonly schema: GraphQLSchema;
  /** The request context, from the caller the shared verifier identified. */
  readonly context: (req: RequestHead, identity: RequestIdentity) => TContext | Promise<TContext>;
  /** Public keys the service holds itself (the platform's): tokens are checked against them, not fetched from its own JWKS. */
  readonly localJwks?: { keys: unknown[] };
  /** Public GET routes (the platform's JWKS). */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /** Added to the "subgraph ready" log line. */
  readonly readyDetails?: Readonly<Record<string, unknown>>;
  /** Plugins of the service's own, after the shared ones (a province's access log). */
  readonly plugins?: readonly ApolloServerPlugin<TContext>[];
  /**
   * Work the service does beside its API (a province's webhook delivery, its no-show and voucher sweepers): started
   * once it serves, stopped before its database closes.
   */
  readonly background?: readonly BackgroundWork[];
  /** Releases what the parts hold beside the database (a mailer's SMTP pool, catalogue counts still in memory): after the server and the background work have stopped, before the database closes. */
  readonly close?: () => void | Promise<void>;
}

export interface SubgraphService<TContext extends BaseContext> {
  /** Names the metrics and the logs: `platform`, `sichuan`… */
  readonly name: string;
  /** The database role the service connects as. */
  readonly databaseRole: string;
  readonly createDataSource: (url: string, poolSize: number) => DataSource;
  /** Writes the demo data when SEED_DEMO_DATA asks; must leave existing rows alone, as it runs at every start. */
  readonly seedDemo: (dataSource: DataSource) => Promise<void>;
  /** `logger` is the service's own (e.g. for a mailer that logs in development); `metrics`, the registry its /metrics serves. */
  readonly createParts: (dataSource: DataSource, logger: Logger, metrics: MetricsRegistry) => SubgraphParts<TContext> | Promise<SubgraphParts<TContext>>;
}

/** A subgraph answered in this process (openLocalSubgraph). */
export interface LocalSubgraph {
  /** Answers POSTs to `<any origin>/graphql` as the HTTP server would (localGraphQLFetch). */
  readonly fetch: typeof fetch;
  /** The public keys the service verifies with itself (the platform's), for the services around it. */
  readonly localJwks?: { keys: unknown[] };
  close(): Promise<void>;
}

/** Extra say over a subgraph answered in this process. */
export interface LocalSubgraphOptions {
  /** The token keys to trust, instead of fetching the platform's JWKS over HTTP. */
  readonly jwks?: { keys: unknown[] };
}

/**
 * Everything a subgraph process does the same way: open its own database (migrated and seeded
 * as configured), count its pool in the metrics, verify callers' tokens (counting, logging and
 * throttling bad ones), serve the schema, with readiness and metrics on the admin port, and
 * close the server before the database. No CORS: subgraphs are not for browsers.
 */
export async function startSubgraphService<TContext extends BaseContext>(
  service: SubgraphService<TContext>,
  config: SubgraphConfig & { readonly port: number },
  logger: Logger,
): Promise<RunningService> {
  return withOpenSubgraph(service, config, logger, {}, async (opened) => {
    const server = await startHttpServer<TContext>({
      apollo: opened.graphql.apollo,
      operationLimiter: opened.graphql.operationLimiter,
      maxResponseBytes: opened.graphql.maxResponseBytes,
      context: opened.context,
      port: config.port,
      host: config.host,
      logger,
      routes: opened.parts.routes ?? {},
      adminRoutes: adminRoutes({ checkReady: () => databaseReadiness(opened.dataSource), readinessCacheMs: config.readinessCacheMs, metrics: opened.metrics }),
      adminPort: config.adminPort,
    });
    logger.info({ url: server.url, adminUrl: server.adminUrl, subgraph: service.name, ...opened.parts.readyDetails }, 'subgraph ready');
    return {
      url: server.url, port: server.port, adminUrl: server.adminUrl,
      close: () => server.close(),
    };
  });
}

/**
 * The same subgraph as startSubgraphService, answered in this process through
 * its `fetch`: no port, no health or metrics routes. The in-process test
 * system federates these.
 */
export async function openLocalSubgraph<TContext extends BaseContext>(
  service: SubgraphService<TContext>,
  config: SubgraphConfig,
  logger: Logger,
  options: LocalSubgraphOptions = {},
): Promise<LocalSubgraph> {
  return withOpenSubgraph(service, config, logger, options, async (opened) => {
    await opened.graphql.apollo.start();
    logger.info({ subgraph: service.name, ...opened.parts.readyDetails }, 'subgraph ready in process');
    return {
      fetch: localGraphQLFetch(opened.graphql.apollo, opened.context),
      ...(opened.parts.localJwks ? { localJwks: opened.parts.localJwks } : {}),
      close: () => opened.graphql.apollo.stop(),
    };
  });
}

interface OpenSubgraph<TContext extends BaseContext> {
  readonly dataSource: DataSource;
  readonly metrics: ReturnType<typeof createMetricsRegistry>;
  readonly parts: SubgraphParts<TContext>;
  readonly graphql: ReturnType<typeof createSubgraphApollo<TContext>>;
  readonly context: (req: RequestHead) => Promise<TContext>;
}

/**
 * Opens the database and builds the subgraph, then lets `serve` put it
 * somewhere; what `serve` returns closes the database after itself. A service
 * that cannot start leaves no pool (or embedded database) behind.
 */
async function withOpenSubgraph<TContext extends BaseContext, TServed extends { close(): Promise<void> }>(
  service: SubgraphService<TContext>,
  config: SubgraphConfig,
  logger: Logger,
  options: LocalSubgraphOptions,
  serve: (opened: OpenSubgraph<TContext>) => Promise<TServed>,
): Promise<TServed> {
  const database = await openServiceDatabase(config, service.databaseRole, service.createDataSource, logger);
  const { dataSource } = database;
  try {
    const metrics = createMetricsRegistry(service.name);
    registerDatabasePoolMetrics(metrics, dataSource);
    if (config.seedDemo) {
      await service.seedDemo(dataSource);
      logger.info('demo data present');
    }
    const parts = await service.createParts(dataSource, logger, metrics);
    const localKeys = options.jwks ?? parts.localJwks;
    const verifier = createTokenVerifier(config.auth, { logger, ...(localKeys ? { localKeys } : {}) });
    const { gatewaySecret } = config;
    const tokenGuard = createTokenGuard({
      metrics,
      logger,
      badTokensPerMinute: config.auth.badTokensPerMinute,
      // The gateway throttled its own callers by their address; counting them here under the gateway's would lock everyone out.
      ...(gatewaySecret ? { exempt: (req: RequestHead) => presentsGatewaySecret(req, gatewaySecret) } : {}),
    });
    const graphql = createSubgraphApollo<TContext>({
      schema: parts.schema,
      logger,
      production: config.production,
      gatewaySecret: config.gatewaySecret,
      maxExpensiveFields: config.maxExpensiveFields,
      metrics,
      plugins: parts.plugins ?? [],
    });
    const context = async (req: RequestHead) => parts.context(req, await identifyRequest(req, verifier, tokenGuard));
    const served = await serve({ dataSource, metrics, parts, graphql, context });
    for (const work of parts.background ?? []) work.start(logger);
    return {
      ...served,
      close: async () => {
        // Requests first, then background work, then what the parts hold, then the database they all used.
        await served.close();
        await Promise.all((parts.background ?? []).map((work) => work.stop()));
        await parts.close?.();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
