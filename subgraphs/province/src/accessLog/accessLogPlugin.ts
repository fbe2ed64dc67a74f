import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, type Logger } from '../../../../shared/src';
import type { AccessLogContext } from './AccessLogContext';

/**
 * Writes each request's access-log lines as its answer is about to leave: at most one INSERT per request, never one
 * per record, shared with requests finishing at the same time. When the log cannot be written, the answer does not
 * leave either: the caller gets SERVICE_UNAVAILABLE instead of private data nobody recorded it read.
 */
export function accessLogPlugin<TContext extends AccessLogContext>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          // A request refused before its context was made has no recorder.
          if (!contextValue.accessLog) return;
          try {
            await contextValue.services.accessLog.flush(contextValue.accessLog, operationName ?? null);
          } catch (error) {
            logger.error({ err: error, requestId: contextValue.requestId }, 'access log not written; answer withheld');
            if (response.body.kind !== 'single') return;
            const refusal = new GraphQLError('The answer could not be recorded in the access log, so it is withheld; retry in a moment.', {
              extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
            });
            response.body.singleResult = { errors: [refusal.toJSON()] };
            response.http.status = 503;
          }
        },
      };
    },
  };
}
