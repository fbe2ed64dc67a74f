import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { createErrorFormatter } from '../errors/formatGraphQLError';
import { createOperationLimiter } from '../limits/createOperationLimiter';
import { requestPlugin } from './requestPlugin';
import { useRememberedQueryHashes } from './rememberedQueryHashes';
import type { Logger } from '../logging/createLogger';
import type { MetricsRegistry } from '../metrics/createMetricsRegistry';

/** What a subgraph's Apollo Server is made of, wherever it is served from. */
export interface SubgraphApolloOptions<TContext extends BaseContext = BaseContext> {
  readonly schema: GraphQLSchema;
  readonly logger: Logger;
  readonly production: boolean;
  /** The process's Prometheus registry: request metrics are added to it. */
  readonly metrics: MetricsRegistry;
  /** The gateway's shared secret: `_entities` and `_service` are answered only to callers presenting it (gatewayOnlyFieldsPlugin, run by requestPlugin). */
  readonly gatewaySecret: string | undefined;
  /** Sign-ins, bookings and card checks one request may select (`MAX_EXPENSIVE_FIELDS`). */
  readonly maxExpensiveFields: number;
  /** The service's own plugins, run after the shared ones. */
  readonly plugins?: readonly ApolloServerPlugin<TContext>[];
}

const SUBGRAPH_OPERATION_LIMITS = { maxDepth: 24, maxAliases: 60, maxRootFields: 20, maxCost: 40_000, maxFirst: 100 } as const;
const SUBGRAPH_MAX_TOKENS = 8_000;
/** Twice the gateway's default answer: a subgraph's part of an answer the gateway sends fits, with its entity keys. */
const SUBGRAPH_MAX_RESPONSE_BYTES = 8_000_000;

/**
 * The subgraph's Apollo Server (not started: the project's error mapping, logging, metrics, limits and
 * gateway-only fields), with the operation limiter and response ceiling the HTTP layer applies before it.
 */
export function createSubgraphApollo<TContext extends BaseContext>(options: SubgraphApolloOptions<TContext>) {
  // The gateway sends the same few query texts again and again: their hashes are remembered, not computed each time.
  useRememberedQueryHashes();
  const limits = { ...SUBGRAPH_OPERATION_LIMITS, maxExpensiveFields: options.maxExpensiveFields };
  const operationLimiter = createOperationLimiter({ limits, maxTokens: SUBGRAPH_MAX_TOKENS, schema: () => options.schema });
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    formatError: createErrorFormatter(options.logger),
    includeStacktraceInErrorResponses: false,
    // The gateway composes from committed SDL files; introspection stays for teams' own tooling outside production.
    introspection: !options.production,
    // No Apollo Studio usage reporting here, so the per-field trace (ftv1) would be work for nobody.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      // The gateway ignores subgraphs' cache hints (honorSubgraphCacheControlHeader: false); computing them cost every request.
      ApolloServerPluginCacheControlDisabled(),
      // Log line, metrics, operations it cannot run, gateway-only fields (_entities…) and operation limits, for callers that
      // skip the gateway too: roomy enough for any plan the gateway makes from an operation within its own limits.
      requestPlugin<TContext>({ logger: options.logger, metrics: options.metrics, operationLimiter, gatewaySecret: options.gatewaySecret }),
      ...(options.production ? [ApolloServerPluginLandingPageDisabled()] : []),
      ...(options.plugins ?? []),
    ],
    parseOptions: { maxTokens: SUBGRAPH_MAX_TOKENS },
    logger: options.logger,
    // runService owns shutdown: it drains this server, then closes the database pools.
    stopOnTerminationSignals: false,
  });
  return { apollo, operationLimiter, maxResponseBytes: SUBGRAPH_MAX_RESPONSE_BYTES };
}
