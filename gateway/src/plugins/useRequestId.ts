import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../GatewayContext';

/**
 * Echoes the request id in the `x-request-id` response header, so a client
 * can quote it when reporting a problem and operators can find every
 * subgraph's log lines for that request.
 */
export function useRequestId(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          response.http.headers.set('x-request-id', contextValue.requestId);
        },
      };
    },
  };
}
