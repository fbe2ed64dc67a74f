import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// The class alone, not @apollo/gateway's index (the gateway, its query planner and composition: some 850 modules),
// so that what uses a data source without a gateway loads only what it needs.
import { RemoteGraphQLDataSource } from '@apollo/gateway/dist/datasources/RemoteGraphQLDataSource';
import { GraphQLError } from 'graphql';
import { ErrorCode, GATEWAY_SECRET_HEADER } from '../../../shared/src';
import type { GatewayContext } from '../GatewayContext';
import type { CircuitBreaker } from '../resilience/CircuitBreaker';
import { guardSubgraphCall } from '../resilience/guardSubgraphCall';
import type { Fetcher } from './createSubgraphFetcher';
import { InFlightQueries } from './InFlightQueries';
import { SubgraphUnavailableError } from './SubgraphUnavailableError';

export interface ForwardingDataSourceOptions {
  /** The subgraph's name in the supergraph, for errors a client can act on. */
  readonly name: string;
  /** The subgraph's GraphQL endpoint (the supergraph always names one). */
  readonly url: string | undefined;
  /** The pooled keep-alive fetcher shared by every subgraph (see createSubgraphFetcher). */
  readonly fetcher: Fetcher;
  /** The subgraph's circuit, the time limit of each attempt and how often a query may be retried after an outage. */
  readonly resilience: SubgraphResilience;
  /** Identical queries in flight share one fetch (`SUBGRAPH_DEDUPLICATION`); without it every fetch is sent. */
  readonly inFlightQueries?: InFlightQueries;
  /** Shown to the subgraph, which answers `_entities` only to the gateway (`GATEWAY_SECRET`). */
  readonly gatewaySecret?: string;
}

export interface SubgraphResilience {
  readonly breaker: CircuitBreaker;
  /** Further attempts for a query after an outage (`SUBGRAPH_RETRIES`); mutations are never sent twice. */
  readonly queryRetries: number;
  /** Longest wait for one attempt, its whole answer read (`SUBGRAPH_TIMEOUT_MS`); the request's deadline may cut it shorter. */
  readonly timeoutMs: number;
  readonly onRetry?: () => void;
  readonly onRejected?: () => void;
}

/**
 * Sends each subgraph fetch with the caller's bearer token, the request id and
 * the caller's address in `x-forwarded-for`.
 * Every subgraph verifies the token again itself (zero trust between
 * services), so forwarding it grants nothing the caller did not have.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly serviceName: string;
  private readonly resilience: SubgraphResilience;
  private readonly inFlightQueries: InFlightQueries | undefined;
  private readonly gatewaySecret: string | undefined;

  constructor({ name, url, fetcher, resilience, inFlightQueries, gatewaySecret }: ForwardingDataSourceOptions) {
    // Subgraph Cache-Control headers are not read: the gateway sends no cache
    // hints to clients (its cache-control plugin is off), so parsing them on
    // every fetch would be work for nobody.
    super({ url, fetcher, honorSubgraphCacheControlHeader: false });
    this.serviceName = name;
    this.resilience = resilience;
    this.inFlightQueries = inFlightQueries;
    this.gatewaySecret = gatewaySecret;
  }

  /**
   * Every fetch passes the subgraph's circuit. Only a query is retried after an
   * outage: a mutation that timed out may have been applied, and sending it
   * again could book an instrument twice. Only a query is shared with an
   * identical one in flight, for the same reason. A shared fetch runs within
   * the deadline of the request that started it, which never ends after a
   * later request's: every request gets the same time from its arrival.
   */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const isQuery = 'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
    const send = () => this.guarded(options, isQuery);
    if (!isQuery || !this.inFlightQueries) return send();
    const { request, context } = options;
    return this.inFlightQueries.share(InFlightQueries.keyOf(context?.authorization, request.query, request.variables), send);
  }

  private guarded(options: GraphQLDataSourceProcessOptions<GatewayContext>, isQuery: boolean): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const { resilience } = this;
    const deadline = options.context?.deadline;
    return guardSubgraphCall((signal) => this.attempt(options, signal), {
      serviceName: this.serviceName,
      breaker: resilience.breaker,
      retries: isQuery ? resilience.queryRetries : 0,
      timeoutMs: resilience.timeoutMs,
      ...(deadline === undefined ? {} : { deadline }),
      ...(resilience.onRetry ? { onRetry: resilience.onRetry } : {}),
      ...(resilience.onRejected ? { onRejected: resilience.onRejected } : {}),
    });
  }

  /**
   * One attempt, ended by `signal`. RemoteGraphQLDataSource hands its fetcher
   * no signal, so the attempt runs on a view of this data source whose own
   * fetcher passes it on; everything else the view reads is this one's.
   */
  private attempt(options: GraphQLDataSourceProcessOptions<GatewayContext>, signal: AbortSignal): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const { fetcher } = this;
    const withSignal: Fetcher = (url, init) => fetcher(url, { ...init, signal });
    const view: this = Object.create(this, { fetcher: { value: withSignal } });
    return RemoteGraphQLDataSource.prototype.process.call(view, options);
  }

  /**
   * A subgraph that cannot answer becomes one error naming it and why, while
   * the other subgraphs' data is still returned: never its internal URL, and
   * never a response body the subgraph did not mean for clients.
   */
  override didEncounterError(error: Error, _request: unknown, response?: { status: number }): void {
    const code = error instanceof GraphQLError ? error.extensions['code'] : undefined;
    // A 400 carries the subgraph's own verdict on the request (e.g. a DateTime variable it could not parse): pass it on.
    const refusal = response?.status === 400 && error instanceof GraphQLError ? firstGraphQLError(error.extensions['response']) : undefined;
    if (refusal) {
      throw new GraphQLError(refusal.message, { extensions: { code: refusal.code ?? ErrorCode.BAD_USER_INPUT, serviceName: this.serviceName } });
    }
    if (code === ErrorCode.UNAUTHENTICATED || code === ErrorCode.FORBIDDEN) {
      // The subgraph's refusal of the whole request says why (a suspended client, a revoked consent, a province that
      // granted a client nothing): pass its message and reason on, with the code the status gave.
      const said = firstGraphQLError(error instanceof GraphQLError ? error.extensions['response'] : undefined);
      const fallback = code === ErrorCode.UNAUTHENTICATED ? 'The token was refused; sign in again.' : 'Not allowed.';
      throw new GraphQLError(said?.message ?? fallback, {
        extensions: { code, ...(said?.reason ? { reason: said.reason } : {}), serviceName: this.serviceName },
      });
    }
    const timedOut = /timeout/i.test(`${error.name} ${(error as { code?: string }).code ?? ''}`);
    throw new SubgraphUnavailableError(this.serviceName, response ? `HTTP ${response.status}` : timedOut ? 'timeout' : 'unreachable');
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { request, context } = options;
    const headers = request.http?.headers;
    if (headers && this.gatewaySecret) headers.set(GATEWAY_SECRET_HEADER, this.gatewaySecret);
    if (!headers || !context) return;
    if (context.authorization) headers.set('authorization', context.authorization);
    if (context.requestId) headers.set('x-request-id', context.requestId);
    // The platform throttles sign-ins per client address and believes this header only from the gateway. One
    // entry, the address the gateway resolved: what the caller's own chain is worth was decided by TRUSTED_PROXIES here.
    if (context.clientAddress) headers.set('x-forwarded-for', context.clientAddress);
  }
}

/** The first error of a subgraph's JSON error response, as the gateway recorded it. */
function firstGraphQLError(response: unknown): { message: string; code?: string; reason?: string } | undefined {
  const body = (response as { body?: unknown } | undefined)?.body;
  const first = (body as { errors?: { message?: unknown; extensions?: { code?: unknown; reason?: unknown } }[] } | undefined)?.errors?.[0];
  if (!first || typeof first.message !== 'string') return undefined;
  return {
    message: first.message,
    ...(typeof first.extensions?.code === 'string' ? { code: first.extensions.code } : {}),
    ...(typeof first.extensions?.reason === 'string' ? { reason: first.extensions.reason } : {}),
  };
}
