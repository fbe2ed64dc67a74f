import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  createErrorFormatter, createTokenVerifier, healthRoutes, identifyRequest, startHttpServer, type Logger,
} from '../../shared/src';
import type { GatewayConfig } from './config';
import { ForwardingDataSource } from './dataSources/ForwardingDataSource';
import type { GatewayContext } from './GatewayContext';
import { useRequestId } from './plugins/useRequestId';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Apollo Server 5 over @apollo/gateway, serving the committed supergraph. */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.supergraphFile, 'utf8'),
    // The supergraph names default URLs; the environment says where each subgraph really runs.
    buildService: ({ name, url }) => new ForwardingDataSource({ url: config.subgraphUrls[name] ?? url }),
    logger,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    plugins: [useRequestId(), ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : [])],
    logger,
    // runService owns shutdown: it drains this server and exits.
    stopOnTerminationSignals: false,
  });
  const verifier = createTokenVerifier(config.auth);

  const server = await startHttpServer<GatewayContext>({
    apollo,
    port: config.port,
    host: config.host,
    logger,
    bodyLimit: config.bodyLimitBytes,
    context: async (req) => {
      const identity = await identifyRequest(req, verifier);
      return identity.viewer ? { ...identity, authorization: req.headers.authorization } : identity;
    },
    routes: healthRoutes(() => checkSubgraphs(config.subgraphUrls)),
  });
  logger.info({ url: server.url, subgraphs: config.subgraphUrls }, 'gateway ready');
  return server;
}

/** Ready when every subgraph says it is ready; the report names each one's state. */
async function checkSubgraphs(urls: Readonly<Record<string, string>>) {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const healthUrl = new URL('/health/ready', url);
      try {
        const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
        return [name, response.ok ? 'ready' : `not ready (HTTP ${response.status})`] as const;
      } catch {
        return [name, 'unreachable'] as const;
      }
    }),
  );
  return { ready: entries.every(([, state]) => state === 'ready'), checks: Object.fromEntries(entries) };
}
