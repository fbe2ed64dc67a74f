import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors/ErrorCode';
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
      const logRequest = startRequestLog(logger, contextValue);
      return {
        async willSendResponse({ response, operationName }) {
          logRequest(response, operationName);
        },
      };
    },
  };
}

/**
 * Starts one request's log line, where the request's own span is the active one; the returned function writes it
 * when the response is ready (requestPlugin.ts runs it in the one plugin of a service).
 */
export function startRequestLog(logger: Logger, contextValue: Partial<RequestIdentity>): (response: GraphQLResponse, operationName: string | null | undefined) => void {
  const lines = requestLineLogger(logger);
  const started = process.hrtime.bigint();
  const traceId = joinRequestTrace(contextValue.requestId);
  return (response, operationName) => {
    const codes = [...new Set(errorsSentToClient(response).map((error) => String(error.extensions?.['code'] ?? ErrorCode.INTERNAL_SERVER_ERROR)))];
    lines.info(
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
  };
}

const requestLineLoggers = new WeakMap<Logger, Logger>();

/**
 * The service's logger without its redaction, for the request line alone: the line is written above from ids, a
 * name, figures and error codes, none of which can hold a secret, and the redaction walked every one of its paths,
 * wildcards included, for each request (9 of a line's 10 µs on an idle machine).
 */
function requestLineLogger(logger: Logger): Logger {
  let lines = requestLineLoggers.get(logger);
  if (!lines) requestLineLoggers.set(logger, (lines = logger.child({}, { redact: { paths: [] } })));
  return lines;
}

/**
 * The errors as the client receives them, after `formatError`. The hook's own
 * `errors` are the raw ones: a DomainError there has no code yet, so the log
 * would say INTERNAL_SERVER_ERROR where the client was told BAD_USER_INPUT.
 */
function errorsSentToClient(response: GraphQLResponse): readonly GraphQLFormattedError[] {
  const body = response.body;
  if (!body) return [];
  return (body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors) ?? [];
}
