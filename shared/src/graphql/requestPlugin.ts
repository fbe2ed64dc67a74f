import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { chargeOperationLimits } from '../limits/operationLimitsPlugin';
import type { OperationLimiter } from '../limits/createOperationLimiter';
import type { Logger } from '../logging/createLogger';
import type { MetricsRegistry } from '../metrics/createMetricsRegistry';
import { requestMetrics } from '../metrics/requestMetricsPlugin';
import { checkGatewayOnlyFields } from './gatewayOnlyFieldsPlugin';
import type { RequestIdentity } from './requestContext';
import { startRequestLog } from './requestLoggingPlugin';
import { checkSupportedOperation } from './supportedOperationsPlugin';

export interface RequestPluginOptions {
  readonly logger: Logger;
  /** The process's Prometheus registry: the request metrics are added to it. */
  readonly metrics: MetricsRegistry;
  /** Charges what the HTTP layer could not read before parsing (a persisted query) to the request's budget. */
  readonly operationLimiter: OperationLimiter;
  /** A subgraph's copy of the gateway's secret: gateway-only fields are answered only to callers presenting it. */
  readonly gatewaySecret?: string | undefined;
}

/**
 * What every service does around each GraphQL request, as one plugin: the log line, the request metrics, refusing
 * operations it cannot run, gateway-only fields and the operation limits. Apollo Server awaits each hook of each
 * plugin, so five plugins cost every request five times the promises and hook objects for the same work; here it
 * is one hook object, two hooks, and plain calls (the parts are also plugins of their own, for their tests).
 */
export function requestPlugin<TContext extends BaseContext & Partial<RequestIdentity>>(options: RequestPluginOptions): ApolloServerPlugin<TContext> {
  const { logger, operationLimiter, gatewaySecret } = options;
  const startMetrics = requestMetrics(options.metrics);
  return {
    async requestDidStart({ contextValue }) {
      const logRequest = startRequestLog(logger, contextValue);
      const observe = startMetrics();
      return {
        async didResolveOperation(context) {
          checkSupportedOperation(context);
          if (gatewaySecret) checkGatewayOnlyFields(context, gatewaySecret);
          await chargeOperationLimits(context, operationLimiter);
        },
        async willSendResponse({ response, operationName, errors }) {
          logRequest(response, operationName);
          observe(operationName, errors);
        },
      };
    },
  };
}
