import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
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
  /** First pause before a retry (default 50 ms); it doubles each time, with jitter. */
  readonly backoffMs?: number;
  readonly onRetry?: () => void;
  readonly onRejected?: () => void;
}

/**
 * Sends each subgraph fetch with the caller's bearer token, the request id and
 * the caller's address in `x-forwarded-for`.
 * Every subgraph verifies the token again itself (zero trust between
 * services), so forwarding it grants nothing the caller did not have.
 *
 * It does what `RemoteGraphQLDataSource` does for a subgraph on this gateway's
 * terms, without what that class built for every fetch and nobody here read:
 * a node-fetch `Headers` and `Request` (the latter only for error hooks), a
 * copy of the headers into a plain object, and a cache-policy check (the
 * gateway gives no cache hints). Subgraph answers are read as JSON, errors as
 * that class shapes them (`extensions.response`), so the gateway sees the same.
 */
export class ForwardingDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly serviceName: string;
  private readonly url: string;
  private readonly fetcher: Fetcher;
  private readonly resilience: SubgraphResilience;
  private readonly inFlightQueries: InFlightQueries | undefined;
  private readonly gatewaySecret: string | undefined;

  constructor({ name, url, fetcher, resilience, inFlightQueries, gatewaySecret }: ForwardingDataSourceOptions) {
    if (!url) throw new Error(`subgraph ${name}: the supergraph names no URL for it`);
    this.serviceName = name;
    this.url = url;
    this.fetcher = fetcher;
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
  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const isQuery = 'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
    const send = () => this.guarded(options, isQuery);
    if (!isQuery || !this.inFlightQueries) return send();
    const { request, context } = options;
    return this.inFlightQueries.share(InFlightQueries.keyOf(context?.authorization, request.query, request.variables), send);
  }

  private guarded(options: GraphQLDataSourceProcessOptions<GatewayContext>, isQuery: boolean): Promise<GatewayGraphQLResponse> {
    const { resilience } = this;
    const deadline = options.context?.deadline;
    return guardSubgraphCall((signal) => this.attempt(options, signal), {
      serviceName: this.serviceName,
      breaker: resilience.breaker,
      retries: isQuery ? resilience.queryRetries : 0,
      timeoutMs: resilience.timeoutMs,
      ...(resilience.backoffMs === undefined ? {} : { backoffMs: resilience.backoffMs }),
      ...(deadline === undefined ? {} : { deadline }),
      ...(resilience.onRetry ? { onRetry: resilience.onRetry } : {}),
      ...(resilience.onRejected ? { onRejected: resilience.onRejected } : {}),
    });
  }

  /** One attempt, ended by `signal`: the operation as JSON, the answer parsed, any failure made into the error the client sees. */
  private async attempt(options: GraphQLDataSourceProcessOptions<GatewayContext>, signal: AbortSignal): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!request.query) throw new Error('Missing query');
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName, extensions: request.extensions });
    let response: Awaited<ReturnType<Fetcher>> | undefined;
    try {
      response = await this.fetcher(this.url, { method: 'POST', headers: this.headersFor(options), body, signal });
      if (!response.ok) throw await errorFromResponse(response);
      const answer: unknown = await readBody(response);
      if (typeof answer !== 'object' || answer === null) throw new Error(`Expected JSON response body, but received: ${String(answer)}`);
      return answer as GatewayGraphQLResponse;
    } catch (error) {
      return this.didEncounterError(error as Error, response);
    }
  }

  /** The fetch's headers: the gateway's secret and, for a client's request, its token, request id and address. */
  private headersFor({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Record<string, string> {
    const headers: Record<string, string> = {};
    // What the query plan adds itself (federated tracing's header, when on).
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    if (this.gatewaySecret) headers[GATEWAY_SECRET_HEADER] = this.gatewaySecret;
    if (!context) return headers;
    if (context.authorization) headers['authorization'] = context.authorization;
    if (context.requestId) headers['x-request-id'] = context.requestId;
    // The platform throttles sign-ins per client address and believes this header only from the gateway. One
    // entry, the address the gateway resolved: what the caller's own chain is worth was decided by TRUSTED_PROXIES here.
    if (context.clientAddress) headers['x-forwarded-for'] = context.clientAddress;
    return headers;
  }

  /**
   * A subgraph that cannot answer becomes one error naming it and why, while
   * the other subgraphs' data is still returned: never its internal URL, and
   * never a response body the subgraph did not mean for clients.
   */
  private didEncounterError(error: Error, response?: { status: number }): never {
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
}

type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** JSON when the subgraph says so, else the text (which the caller then refuses as not an object). */
function readBody(response: FetcherResponse): Promise<unknown> {
  const type = response.headers.get('content-type');
  return type && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json')) ? response.json() : response.text();
}

/** A non-2xx answer as `RemoteGraphQLDataSource` describes it: the status, and the body under `extensions.response`. */
async function errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
  const extensions: Record<string, unknown> = {
    response: { url: response.url, status: response.status, statusText: response.statusText, body: await readBody(response) },
  };
  if (response.status === 401) extensions['code'] = ErrorCode.UNAUTHENTICATED;
  else if (response.status === 403) extensions['code'] = ErrorCode.FORBIDDEN;
  return new GraphQLError(`${response.status}: ${response.statusText}`, { extensions });
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
