import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../errors/ErrorCode';
import type { RequestHead } from '../http/RequestHead';

/** The header the gateway sends its shared secret in. */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

/**
 * Root fields that exist for the gateway and the services: entity resolution (with `@requires` fields taken on
 * trust), the subgraph's SDL, and the platform's list of partner clients' standings that every subgraph admits
 * client tokens by.
 */
const GATEWAY_ONLY_FIELDS = new Set(['_entities', '_service', 'partnerClientStandings', 'revokedClientConsents']);

/**
 * Answers `_entities` and `_service` only to callers presenting the
 * gateway's secret (`GATEWAY_SECRET`, shared by the gateway and every
 * subgraph). A representation carries fields another subgraph resolved, such
 * as a partner card's tier and status under `@requires`, which this subgraph
 * cannot check: from anyone but the gateway they would be a claim, enough to
 * read recognised services or write a recognition grant for a card that is
 * not valid. Every other field stays open to direct callers, authorised as
 * through the gateway.
 */
export function gatewayOnlyFieldsPlugin<TContext extends BaseContext>(secret: string): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(context) {
          checkGatewayOnlyFields(context, secret);
        },
      };
    },
  };
}

/** Throws the 403 for a gateway-only field asked without the gateway's secret (gatewayOnlyFieldsPlugin; requestPlugin.ts). */
export function checkGatewayOnlyFields(
  { operation, document, request }: Pick<GraphQLRequestContextDidResolveOperation<BaseContext>, 'operation' | 'request' | 'document'>,
  secret: string,
): void {
  if (!operation || !selectsGatewayOnlyField(operation.selectionSet, document)) return;
  if (isGatewaySecret(request.http?.headers.get(GATEWAY_SECRET_HEADER), secret)) return;
  throw new GraphQLError('_entities, _service, partnerClientStandings and revokedClientConsents are answered only to the gateway and the services; send this query to the gateway\'s /graphql.', {
    extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
  });
}

/** Equal-length digests, so the comparison takes the same time whatever the lengths. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/** The secret's own digest, computed once: a process has one gateway secret, and every request is checked against it. */
let secretDigest: { readonly secret: string; readonly digest: Buffer } | undefined;

/** Whether a request presented the gateway's secret (the value of its `x-gateway-secret` header). */
export function isGatewaySecret(presented: string | string[] | undefined, secret: string): boolean {
  if (typeof presented !== 'string' || presented === '') return false;
  if (secretDigest?.secret !== secret) secretDigest = { secret, digest: digest(secret) };
  return timingSafeEqual(digest(presented), secretDigest.digest);
}

/** Requests already checked, by their head: the token guard, the platform's context and its throttles each ask. */
const checkedRequests = new WeakMap<RequestHead, { readonly secret: string; readonly presented: boolean }>();

/** isGatewaySecret of a request's `x-gateway-secret` header, worked out once per request however many ask. */
export function presentsGatewaySecret(req: RequestHead, secret: string): boolean {
  const known = checkedRequests.get(req);
  if (known?.secret === secret) return known.presented;
  const presented = isGatewaySecret(req.headers[GATEWAY_SECRET_HEADER], secret);
  checkedRequests.set(req, { secret, presented });
  return presented;
}

/** Whether the root selection asks for a gateway-only field, also through fragments at the root. */
function selectsGatewayOnlyField(selectionSet: SelectionSetNode, document: DocumentNode): boolean {
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return GATEWAY_ONLY_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      const name = selection.name.value;
      if (visited.has(name)) return false;
      visited.add(name);
      // Looked up only for a spread at the root, which the gateway's own operations never use.
      const fragment = document.definitions.find((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === name);
      return fragment ? visit(fragment.selectionSet) : false;
    });
  return visit(selectionSet);
}
