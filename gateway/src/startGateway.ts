import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import {
  adminRoutes, clientAddressResolver, createCorsPolicy, createErrorFormatter, createMetricsRegistry, createOperationLimiter, createTokenVerifier,
  identifyRequest, localGraphQLFetch, requestPlugin, startHttpServer, useRememberedQueryHashes,
  type Logger, type OperationBudget, type RequestHead,
} from '../../shared/src';
import type { GatewayConfig } from './config';
import { serveDashboard } from './dashboard/serveDashboard';
import { serveEvaluationReport } from './reports/serveEvaluationReport';
import { serveCalendars } from './calendar/serveCalendars';
import { createSubgraphFetcher, type SubgraphFetcher } from './dataSources/createSubgraphFetcher';
import { ForwardingDataSource } from './dataSources/ForwardingDataSource';
import { useReusedOperations } from './execution/reusedOperations';
import { useResponseShaping } from './execution/shapeResponse';
import { InFlightQueries } from './dataSources/InFlightQueries';
import type { GatewayContext } from './GatewayContext';
import { createGatewayTokenGuard } from './limits/createGatewayTokenGuard';
import { createClientQuotas } from './limits/createClientQuotas';
import { createRateLimiter } from './limits/createRateLimiter';
import { createResilienceMetrics } from './metrics/createResilienceMetrics';
import { createSubgraphFetchMetrics } from './metrics/createSubgraphFetchMetrics';
import { useLocalIntrospection } from './plugins/useLocalIntrospection';
import { useRequestId } from './plugins/useRequestId';
import { connectSharedState } from './sharedState/connectSharedState';
import { createSubgraphCircuits, type SubgraphCircuits } from './resilience/createSubgraphCircuits';
import { deadlineIn } from './resilience/guardSubgraphCall';
import { probeSubgraph, readinessUrlBeside } from './resilience/probeSubgraph';
import { supergraphFromFile } from './supergraph/supergraphFromFile';

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  /** Where `/health/ready` and `/metrics` are served (`http://host:port`) when the gateway has an admin port. */
  readonly adminUrl: string | undefined;
  close(): Promise<void>;
}

/** A gateway answered in this process (openLocalGateway). */
export interface LocalGateway {
  /** Answers POSTs to `<any origin>/graphql` as the HTTP server would (localGraphQLFetch). */
  readonly fetch: typeof fetch;
  close(): Promise<void>;
}

/** How an in-process gateway reaches its subgraphs and checks tokens, with no network. */
export interface LocalGatewayOptions {
  /** Each subgraph's in-process fetch, by the URL the configuration gives it. */
  readonly subgraphs: Readonly<Record<string, typeof fetch>>;
  /** The platform's public keys, instead of its JWKS over HTTP. */
  readonly jwks: { keys: unknown[] };
}

/** Apollo Server 5 over @apollo/gateway, serving the committed supergraph. */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  // One keep-alive pool per subgraph for every fetch: see dataSources/createSubgraphFetcher.ts.
  const fetcher = createSubgraphFetcher({ connectionsPerSubgraph: config.performance.subgraphConnections });
  const gateway = createGateway(config, logger, fetcher);
  const server = await startHttpServer<GatewayContext>({
    apollo: gateway.apollo,
    port: config.port,
    host: config.host,
    logger,
    bodyLimit: config.bodyLimitBytes,
    maxBatchSize: config.limits.maxBatchSize,
    operationLimiter: gateway.operationLimiter,
    maxResponseBytes: config.maxResponseBytes,
    context: gateway.context,
    // The wall dashboard: static files that call /graphql like any partner (dashboard/README.md).
    routes: {
      ...serveDashboard({ logger }),
      ...serveEvaluationReport({ logger }),
      // Calendar feeds gather both provinces through this gateway (calendar/serveCalendars.ts).
      ...serveCalendars({ logger, platformUrl: config.subgraphUrls['platform']!, gatewaySecret: config.gatewaySecret }),
    },
    adminRoutes: gateway.adminRoutes,
    adminPort: config.adminPort,
    // Browser pages of these origins, and the dashboard on the gateway's own, may read the answers.
    cors: createCorsPolicy(config.corsAllowedOrigins),
  });
  logger.info(
    { url: server.url, adminUrl: server.adminUrl, subgraphs: config.subgraphUrls, corsAllowedOrigins: config.corsAllowedOrigins, performance: config.performance, resilience: config.resilience },
    'gateway ready',
  );
  return {
    url: server.url,
    port: server.port,
    adminUrl: server.adminUrl,
    close: async () => {
      await server.close();
      await gateway.close();
    },
  };
}

/**
 * The same gateway answered in this process through its `fetch`, over
 * subgraphs answered in this process too: the in-process test system, where a
 * federation test needs no port. Everything between the request and the
 * subgraph fetch is the gateway's own (limits, planning, data sources,
 * circuits); only the transport differs.
 */
export async function openLocalGateway(config: GatewayConfig, logger: Logger, options: LocalGatewayOptions): Promise<LocalGateway> {
  const fetcher: SubgraphFetcher = {
    fetch: (url, init) => {
      const subgraph = options.subgraphs[url];
      if (!subgraph) throw new Error(`no in-process subgraph answers ${url}`);
      return subgraph(url, init as RequestInit) as ReturnType<SubgraphFetcher['fetch']>;
    },
    close: async () => {},
  };
  const gateway = createGateway(config, logger, fetcher, options.jwks);
  await gateway.apollo.start();
  logger.info({ subgraphs: config.subgraphUrls }, 'gateway ready in process');
  return {
    fetch: localGraphQLFetch(gateway.apollo, gateway.context),
    close: async () => {
      await gateway.apollo.stop();
      await gateway.close();
    },
  };
}

/** The gateway's parts, not yet served: its Apollo Server, request context and admin routes, and what closes its connections. */
function createGateway(config: GatewayConfig, logger: Logger, fetcher: SubgraphFetcher, jwks?: { keys: unknown[] }) {
  const { performance } = config;
  // One registry for the process, served at /metrics.
  const metrics = createMetricsRegistry('gateway');
  const fetchMetrics = createSubgraphFetchMetrics(metrics);
  // One circuit per subgraph, outliving the data sources a supergraph reload may rebuild.
  const circuits = createSubgraphCircuits(config.resilience, logger);
  const resilienceMetrics = createResilienceMetrics(metrics, circuits.states);
  // Rate limits and persisted queries shared by every replica through Redis, when REDIS_URL is set.
  const sharedState = connectSharedState(config.redisUrl, logger);
  // @apollo/gateway reports usage to Apollo's own endpoint every hour and once more when it stops, unless this is set
  // before it is made: nothing of the provinces' platform leaves it, and with no route out a stop waited for that
  // last report to time out (26 s).
  process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';
  useResponseShaping();
  useReusedOperations();
  useRememberedQueryHashes();
  const gateway = new ApolloGateway({
    // Reloaded when the file changes or on SIGHUP (supergraph/supergraphFromFile.ts).
    supergraphSdl: supergraphFromFile({ file: config.supergraphFile, logger, watch: config.watchSupergraph }),
    // The supergraph names default URLs; the environment says where each subgraph really runs.
    buildService: ({ name, url }) => {
      const subgraphUrl = config.subgraphUrls[name] ?? url;
      return new ForwardingDataSource({
        name,
        url: subgraphUrl,
        fetcher: fetchMetrics.measure(name, fetcher.fetch),
        ...(config.gatewaySecret ? { gatewaySecret: config.gatewaySecret } : {}),
        ...(performance.deduplicateQueries ? { inFlightQueries: new InFlightQueries(() => fetchMetrics.shared(name)) } : {}),
        resilience: {
          breaker: circuits.breakerFor(name, config.subgraphReadyUrls[name] ?? readinessUrlBeside(subgraphUrl!)),
          queryRetries: config.resilience.queryRetries,
          timeoutMs: config.resilience.subgraphTimeoutMs,
          onRetry: () => resilienceMetrics.retried(name),
          onRejected: () => resilienceMetrics.rejected(name),
        },
      });
    },
    experimental_approximateQueryPlanStoreMiB: performance.queryPlanCacheMiB,
    logger,
  });
  // The HTTP layer measures operations before parsing and validation, against the schema served now.
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((loaded) => {
    apiSchema = loaded.apiSchema;
  });
  const operationLimiter = createOperationLimiter({ limits: config.limits, maxTokens: config.limits.maxTokens, schema: () => apiSchema });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    // Cache-control off: the gateway gives no cache hints, so computing a policy per request is waste.
    plugins: [
      useRequestId(),
      // One JSON line per request (request id, operation, subject, duration, outcome; never the token), metrics, operations
      // it cannot run and the limits of persisted queries, as in every subgraph.
      requestPlugin<GatewayContext>({ logger, metrics, operationLimiter }),
      // Schema tools' introspection (getIntrospectionQuery, every option) answered from the API schema, not planned.
      useLocalIntrospection<GatewayContext>(),
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Several operations in one POST, up to MAX_BATCH_SIZE (checked by the HTTP layer).
    allowBatchedHttpRequests: true,
    // No "Did you mean …?" schema hints for strangers in production.
    hideSchemaDetailsFromClientErrors: config.production,
    // APQ keeps each registered query in the server's bounded LRU cache with no expiry, so clients register once.
    persistedQueries: performance.persistedQueries ? { ttl: null, ...(sharedState.persistedQueries ? { cache: sharedState.persistedQueries } : {}) } : false,
    logger,
    // runService owns shutdown: it drains this server and exits.
    stopOnTerminationSignals: false,
  });
  const verifier = createTokenVerifier(config.auth, { logger, ...(jwks ? { localKeys: jwks } : {}) });
  // One answer to "who is calling" for every per-address count, and for the platform's login throttle.
  const clientAddress = clientAddressResolver(config.trustedProxies);
  // Counts and logs refused tokens, and throttles an address sending many, before verification and the rate limiter.
  const tokenGuard = createGatewayTokenGuard(config, metrics, logger, sharedState.redis, clientAddress);
  const rateLimiter = createRateLimiter(config.limits, sharedState.redis);
  const clientQuotas = createClientQuotas(metrics, sharedState.redis);
  return {
    apollo,
    // Readiness asks every subgraph: shared and cached, so a flood of it cannot load their databases.
    adminRoutes: adminRoutes({ checkReady: () => checkSubgraphs(config.subgraphReadyUrls, circuits), readinessCacheMs: config.readinessCacheMs, metrics }),
    operationLimiter,
    /** `budget`: the request's operations and expensive fields as the HTTP layer admitted them, charged to the caller. */
    context: async (req: RequestHead, budget?: OperationBudget): Promise<GatewayContext> => {
      // The client's time starts when its request arrives: its subgraph fetches and their retries end by this deadline.
      const deadline = deadlineIn(config.resilience.requestDeadlineMs);
      const identity = await identifyRequest(req, verifier, tokenGuard);
      const address = clientAddress(req);
      await rateLimiter.check(address, identity.viewer, budget);
      // A partner client's own quota, from its registration, besides the limit every caller has.
      await clientQuotas.charge(identity.viewer, budget?.operations ?? 1);
      // Built whole, not as a spread of the identity with keys after it: V8 would give every such context a hidden class
      // of its own (patches/README.md, "Spreads"). A signed-in caller's own header is passed on to the subgraphs.
      const { viewer, requestId } = identity;
      if (!viewer) return { viewer, requestId, clientAddress: address, deadline };
      return { viewer, requestId, clientAddress: address, deadline, authorization: req.headers.authorization };
    },
    /** After the server has stopped: the circuits' timers, the subgraph connections, Redis. */
    close: async () => {
      circuits.dispose();
      await fetcher.close();
      await sharedState.close();
    },
  };
}

/** Ready when every subgraph says it is ready; the report names each one's state and its circuit's. */
async function checkSubgraphs(readyUrls: Readonly<Record<string, string>>, circuits: SubgraphCircuits) {
  const circuitStates = circuits.states();
  const entries = await Promise.all(
    Object.entries(readyUrls).map(async ([name, url]) => [name, { state: await probeSubgraph(url), circuit: circuitStates[name] ?? 'closed' }] as const),
  );
  return { ready: entries.every(([, check]) => check.state === 'ready'), checks: Object.fromEntries(entries) };
}
