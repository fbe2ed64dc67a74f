import { originPools } from './originPools';

/** What a service sends when it asks another of ours: a POST of JSON. */
export interface JsonPostInit {
  readonly method: 'POST';
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly signal?: AbortSignal;
}

/** What it reads of the answer: the status and the JSON body. */
export interface JsonAnswer {
  readonly status: number;
  json(): Promise<unknown>;
}

/** A POST of JSON to one of our services. The global `fetch` fits it (tests pass an in-process one). */
export type JsonPost = (url: string, init: JsonPostInit) => Promise<JsonAnswer>;

export interface PooledJsonPost {
  readonly post: JsonPost;
  /** Closes every pooled connection (waits for requests in flight). */
  close(): Promise<void>;
}

/**
 * A keep-alive connection pool per origin behind `JsonPost`, for a service that asks the gateway in the middle of
 * its own requests (a voucher payment asks it twice). The global `fetch` builds a WHATWG `Request`, `Headers` and
 * `Response` around the same undici client on every call; `Pool.request` reads the raw answer, as the gateway's
 * subgraph fetcher does. The caller's signal still bounds each call.
 */
export function pooledJsonPost(options: { readonly connectionsPerOrigin?: number } = {}): PooledJsonPost {
  const pools = originPools({ connections: options.connectionsPerOrigin ?? 32, pipelining: 1 });
  return {
    async post(url, init) {
      const { pool, path } = pools.targetOf(url);
      const response = await pool.request({ path, method: 'POST', headers: init.headers, body: init.body, signal: init.signal });
      // Read whole here: an unread body would hold its connection.
      const text = await response.body.text();
      return { status: response.statusCode, json: async () => JSON.parse(text) as unknown };
    },
    close: () => pools.close(),
  };
}
