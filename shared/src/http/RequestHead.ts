import type { IncomingHttpHeaders } from 'node:http';

/**
 * What a request context is built from: the request's headers and the peer
 * that sent it. A Node `IncomingMessage` is one; so is a request answered in
 * this process without a socket (localGraphQLFetch), which is why contexts ask
 * for this much and no more.
 */
export interface RequestHead {
  readonly headers: IncomingHttpHeaders;
  readonly socket: { readonly remoteAddress?: string | undefined };
}
