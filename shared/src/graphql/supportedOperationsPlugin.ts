import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/ErrorCode';

/**
 * Answers requests this API cannot run with a 400 and a reason, before they
 * reach the executor (which would answer 500): an operationName the document
 * does not define, several operations without a name, and subscriptions.
 */
export function supportedOperationsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const refuse = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document }) {
          if (!operation) {
            const names = document.definitions.flatMap((d) => (d.kind === 'OperationDefinition' && d.name ? [d.name.value] : []));
            throw refuse(
              request.operationName
                ? `The document has no operation named "${request.operationName}"${names.length ? `; it has ${names.join(', ')}` : ''}.`
                : 'The document holds several operations: say which to run with operationName.',
            );
          }
          if (operation.operation === 'subscription') throw refuse('Subscriptions are not supported; send a query or a mutation.');
        },
      };
    },
  };
}
