import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '../logging/createLogger';
import { joinRequestTrace } from '../tracing/joinRequestTrace';
import type { RequestIdentity } from './requestContext';

/**
 * One JSON log line per GraphQL request: request id (the same in the gateway
 * and every subgraph it called), operation name, the caller's subject — never
 * the token — duration and outcome with the error codes returned; with
 * tracing on, also the trace id, and the request id goes on the request's span.
 */
export function requestLoggingPlugin<TContext extends BaseContext & Partial<RequestIdentity>>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      // Read here, where the request's own span is the active one.
      const traceId = joinRequestTrace(contextValue.requestId);
      return {
        async willSendResponse({ response, operationName, errors }) {
          const codes = [...new Set((errors ?? []).map((error) => String(error.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR')))];
          logger.info(
            {
              requestId: contextValue.requestId,
              ...(traceId ? { traceId } : {}),
              operationName: operationName ?? null,
              subject: contextValue.viewer?.subject ?? null,
              durationMs: Number(process.hrtime.bigint() - started) / 1e6,
              status: response.http.status ?? 200,
              outcome: codes.length === 0 ? 'ok' : 'error',
              ...(codes.length > 0 ? { errorCodes: codes } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
