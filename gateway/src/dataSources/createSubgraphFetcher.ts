import type { IncomingHttpHeaders } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { originPools } from '../../../shared/src';

/** The fetch-shaped function the data sources call for every subgraph fetch (the shape `RemoteGraphQLDataSource` uses). */
export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

export interface SubgraphFetcherOptions {
  /** Most keep-alive connections to one subgraph (more requests queue in the pool). Default 64. */
  readonly connectionsPerSubgraph?: number;
  /** How long an idle connection is kept; undici shortens it to what the subgraph's `Keep-Alive` header allows. Default 4 s. */
  readonly keepAliveMs?: number;
}

export interface SubgraphFetcher {
  readonly fetch: Fetcher;
  /** Closes every pooled connection (waits for requests in flight). */
  close(): Promise<void>;
}

/**
 * A keep-alive connection pool per subgraph origin behind the small fetch
 * interface the gateway's data sources use. The stock fetcher
 * (make-fetch-happen) pays for a cache layer, an `Error().stack` and a TLS
 * check on every request; on this machine it cost the gateway more than half
 * of its throughput (../../../../shared/DESIGN.md §9). `undici.request` reads
 * the raw response with none of that. No retries here: the fetcher cannot
 * tell a query from a mutation, which must never be sent twice, so the data
 * source retries queries only (ForwardingDataSource). No time limit here
 * either: each fetch carries a signal from the data source that ends it at
 * its attempt's timeout or its request's deadline (resilience/guardSubgraphCall.ts).
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions = {}): SubgraphFetcher {
  const pools = originPools({
    connections: options.connectionsPerSubgraph ?? 64,
    keepAliveTimeout: options.keepAliveMs ?? 4_000,
    pipelining: 1,
  });

  const fetch: Fetcher = async (url, init = {}) => {
    const { pool, path } = pools.targetOf(url);
    const response = await pool.request({
      path,
      method: (init.method ?? 'GET') as 'POST',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
    });
    // The whole body is read here: a response left unread would hold its connection.
    const text = await response.body.text();
    return new BufferedResponse(url, response.statusCode, response.statusText, response.headers, text);
  };

  return {
    fetch,
    close: () => pools.close(),
  };
}

/** A response already read into memory: all the gateway does with it is check the status and parse JSON. */
class BufferedResponse implements FetcherResponse {
  readonly redirected = false;
  readonly headers: FetcherHeaders;
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    rawHeaders: IncomingHttpHeaders,
    private readonly body: string,
  ) {
    this.headers = new ResponseHeaders(rawHeaders);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body;
  }

  async json(): Promise<any> {
    this.bodyUsed = true;
    return JSON.parse(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = Buffer.from(this.body, 'utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.statusText, (this.headers as ResponseHeaders).raw, this.body);
  }
}

/** Read-only view of Node's lower-cased response headers with the `Headers` methods the gateway calls. */
class ResponseHeaders implements FetcherHeaders {
  constructor(readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  set(name: string, value: string): void {
    this.raw[name.toLowerCase()] = value;
  }

  append(name: string, value: string): void {
    const current = this.get(name);
    this.set(name, current === null ? value : `${current}, ${value}`);
  }

  delete(name: string): void {
    delete this.raw[name.toLowerCase()];
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
