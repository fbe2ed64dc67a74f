import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request headers a browser client of `/graphql` may send: a JSON body, a
 * bearer token, Apollo Server's CSRF-prevention headers and a request id to
 * quote. Never `x-gateway-secret`, which only the gateway sends, and only to
 * its subgraphs.
 */
export const BROWSER_REQUEST_HEADERS: readonly string[] = ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];

/** Response headers a browser script may read besides the simple ones: the request id and when to retry after HTTP 429. */
const EXPOSED_HEADERS = ['x-request-id', 'retry-after'];

/** How long a browser may reuse a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export interface CorsPolicy {
  /** Sets the CORS headers of a `/graphql` response; answers a preflight itself, and then returns true. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Which web pages may read the answers of `/graphql`: pages of `allowedOrigins`
 * (exact origins such as `https://partner.example`) and pages served by this
 * server itself (the dashboard), whose Origin names the host the request was
 * sent to. Other origins get no `Access-Control-Allow-Origin`, so their
 * scripts cannot read an answer or send a token. A server without a policy
 * (the subgraphs, which browsers have no business calling) sends no CORS
 * headers at all.
 */
export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const allowed = new Set(allowedOrigins);
  return {
    handle(req, res) {
      // The answer depends on Origin, so a shared cache must keep one per origin.
      res.setHeader('vary', 'Origin');
      const { origin } = req.headers;
      const preflight = req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined;
      if (origin !== undefined && (allowed.has(origin) || isOwnOrigin(origin, req.headers.host))) {
        res.setHeader('access-control-allow-origin', origin);
        if (preflight) {
          res.setHeader('access-control-allow-methods', 'GET, POST');
          res.setHeader('access-control-allow-headers', BROWSER_REQUEST_HEADERS.join(', '));
          res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
        } else {
          res.setHeader('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
        }
      }
      if (!preflight) return false;
      res.writeHead(204, { 'content-length': 0 });
      res.end();
      return true;
    },
  };
}

/**
 * True when `origin` names the host the request was sent to: a page this
 * server served. A browser sets both headers itself, so a page elsewhere
 * cannot pass for this one; a client that writes its own Host is no browser,
 * and CORS does not concern it.
 */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const page = new URL(origin);
    return (page.protocol === 'http:' || page.protocol === 'https:') && new URL(`${page.protocol}//${host}`).host === page.host;
  } catch {
    return false;
  }
}
