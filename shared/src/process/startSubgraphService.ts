import type { IncomingMessage } from 'node:http';
import type { BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { createTokenGuard } from '../auth/createTokenGuard';
import { createTokenVerifier } from '../auth/createTokenVerifier';
import type { SubgraphConfig } from '../config/subgraphConfig';
import { databaseReadiness } from '../db/databaseReadiness';
import { openServiceDatabase } from '../db/openServiceDatabase';
import { GATEWAY_SECRET_HEADER, isGatewaySecret } from '../graphql/gatewayOnlyFieldsPlugin';
import { identifyRequest, type RequestIdentity } from '../graphql/requestContext';
import { startSubgraphServer } from '../graphql/startSubgraphServer';
import type { RouteHandler } from '../http/startHttpServer';
import type { Logger } from '../logging/createLogger';
import { createMetricsRegistry } from '../metrics/createMetricsRegistry';
import { registerDatabasePoolMetrics } from '../metrics/databasePoolMetrics';

export interface RunningService {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** What one subgraph serves, built once its database is open. */
export interface SubgraphParts<TContext extends BaseContext> {
  readonly schema: GraphQLSchema;
  /** The request context, from the caller the shared verifier identified. */
  readonly context: (req: IncomingMessage, identity: RequestIdentity) => TContext | Promise<TContext>;
  /** Public keys the service holds itself (the platform's): tokens are checked against them, not fetched from its own JWKS. */
  readonly localJwks?: { keys: unknown[] };
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /** Added to the "subgraph ready" log line. */
  readonly readyDetails?: Readonly<Record<string, unknown>>;
}

export interface SubgraphService<TContext extends BaseContext> {
  /** Names the metrics and the logs: `platform`, `sichuan`… */
  readonly name: string;
  /** The database role the service connects as. */
  readonly databaseRole: string;
  readonly createDataSource: (url: string, poolSize: number) => DataSource;
  /** Writes the demo data when SEED_DEMO_DATA asks; must leave existing rows alone, as it runs at every start. */
  readonly seedDemo: (dataSource: DataSource) => Promise<void>;
  readonly createParts: (dataSource: DataSource) => SubgraphParts<TContext> | Promise<SubgraphParts<TContext>>;
}

/**
 * Everything a subgraph process does the same way: open its own database (migrated and seeded
 * as configured), count its pool in the metrics, verify callers' tokens (counting, logging and
 * throttling bad ones), serve the schema with health and metrics routes, and close the server
 * before the database.
 */
export async function startSubgraphService<TContext extends BaseContext>(
  service: SubgraphService<TContext>,
  config: SubgraphConfig & { readonly port: number },
  logger: Logger,
): Promise<RunningService> {
  const database = await openServiceDatabase(config, service.databaseRole, service.createDataSource, logger);
  const { dataSource } = database;
  try {
    const metrics = createMetricsRegistry(service.name);
    registerDatabasePoolMetrics(metrics, dataSource);
    if (config.seedDemo) {
      await service.seedDemo(dataSource);
      logger.info('demo data present');
    }
    const parts = await service.createParts(dataSource);
    const verifier = createTokenVerifier(config.auth, { logger, ...(parts.localJwks ? { localKeys: parts.localJwks } : {}) });
    const { gatewaySecret } = config;
    const tokenGuard = createTokenGuard({
      metrics,
      logger,
      badTokensPerMinute: config.auth.badTokensPerMinute,
      // The gateway throttled its own callers by their address; counting them here under the gateway's would lock everyone out.
      ...(gatewaySecret ? { exempt: (req: IncomingMessage) => isGatewaySecret(req.headers[GATEWAY_SECRET_HEADER], gatewaySecret) } : {}),
    });
    const server = await startSubgraphServer<TContext>({
      schema: parts.schema,
      port: config.port,
      host: config.host,
      logger,
      production: config.production,
      gatewaySecret: config.gatewaySecret,
      metrics,
      context: async (req) => parts.context(req, await identifyRequest(req, verifier, tokenGuard)),
      checkReady: () => databaseReadiness(dataSource),
      ...(parts.routes ? { routes: parts.routes } : {}),
    });
    logger.info({ url: server.url, subgraph: service.name, ...parts.readyDetails }, 'subgraph ready');
    return {
      url: server.url,
      port: server.port,
      close: async () => {
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    // A service that cannot start leaves no pool (or embedded database) behind.
    await database.close();
    throw error;
  }
}
