import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors/ErrorCode';

/**
 * Answers requests this API cannot run with a 400 and a reason, before they
 * reach the executor (which would answer 500): an operationName the document
 * does not define, several operations without a name, and subscriptions.
 */
export function supportedOperationsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(context) {
          checkSupportedOperation(context);
        },
      };
    },
  };
}

const refuse = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });

/** Throws the 400 for an operation this API cannot run (supportedOperationsPlugin; requestPlugin.ts). */
export function checkSupportedOperation({ operation, request, document }: Pick<GraphQLRequestContextDidResolveOperation<BaseContext>, 'operation' | 'request' | 'document'>): void {
  if (!operation) {
    const names = document.definitions.flatMap((d) => (d.kind === 'OperationDefinition' && d.name ? [d.name.value] : []));
    throw refuse(
      request.operationName
        ? `The document has no operation named "${request.operationName}"${names.length ? `; it has ${names.join(', ')}` : ''}.`
        : 'The document holds several operations: say which to run with operationName.',
    );
  }
  if (operation.operation === 'subscription') throw refuse('Subscriptions are not supported; send a query or a mutation.');
}
