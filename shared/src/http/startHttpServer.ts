import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import bodyParser from 'body-parser';
import { ErrorCode } from '../errors/ErrorCode';
import type { OperationLimiter } from '../limits/createOperationLimiter';
import { withOperationBudget, type OperationBudget } from '../limits/OperationBudget';
import type { Logger } from '../logging/createLogger';
import type { CorsPolicy } from './createCorsPolicy';
import { negotiateResponseMediaType } from './negotiateResponseMediaType';
import { readPlainJsonBody } from './readPlainJsonBody';
import { holdsOnlyRequestErrors, requestErrorStatus } from './requestErrorStatus';
import { requestTarget, type RequestTarget } from './requestTarget';

/** A plain handler for a non-GraphQL path (health, metrics, JWKS, the dashboard). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions<TContext extends BaseContext> {
  readonly apollo: ApolloServer<TContext>;
  /** `budget`: what the operation limiter admitted (operations, expensive fields), for a rate limit that charges by them. */
  readonly context: (req: IncomingMessage, budget?: OperationBudget) => Promise<TContext>;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  /** Public GET routes by exact path (the JWKS, the dashboard). */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  /** Operators' GET routes by exact path (readiness, metrics: adminRoutes.ts): on the admin listener when there is one, and only there. */
  readonly adminRoutes?: Readonly<Record<string, RouteHandler>>;
  /** The admin listener's port (`ADMIN_PORT`, 0 picks a free one). None: the admin routes are served beside the public ones (development). */
  readonly adminPort?: number | undefined;
  /** Which browser pages may read `/graphql` answers (createCorsPolicy.ts). None: no CORS headers at all. */
  readonly cors?: CorsPolicy;
  /** Largest accepted request body in bytes. Default: 1 MB. */
  readonly bodyLimit?: number;
  /** Most operations in one batched request (a JSON array body). Default: 10. */
  readonly maxBatchSize?: number;
  /** Measures every operation of a request against one budget before Apollo Server parses it (limits/createOperationLimiter.ts). */
  readonly operationLimiter?: OperationLimiter;
  /** Largest answer in bytes, a batch's answers together; a larger one is replaced by a RESPONSE_TOO_LARGE error. Default: 8 MB. */
  readonly maxResponseBytes?: number;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /** The admin listener's origin (`http://host:port`), when there is one. */
  readonly adminUrl: string | undefined;
  close(): Promise<void>;
}

/**
 * Apollo Server on Node's own HTTP server, with a few extra routes. This is
 * what `startStandaloneServer` does, plus routes, which it cannot serve; it
 * avoids a web framework on the request path, where the gateway spends its
 * time. GraphQL is served at `/graphql`.
 *
 * With an `adminPort`, a second listener serves the admin routes, which the
 * public one then never answers: readiness and metrics are for operators,
 * and a separate port can be kept off the public network by any firewall or
 * orchestrator, whatever proxies stand in front. Both listeners route by the
 * same rule (requestTarget.ts) on exact paths, and answer `/health/live`.
 */
export async function startHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): Promise<RunningHttpServer> {
  const { apollo, logger, adminPort, adminRoutes = {} } = options;
  const bodyLimit = options.bodyLimit ?? 1_000_000;
  const maxBatchSize = options.maxBatchSize ?? 10;
  const maxResponseBytes = options.maxResponseBytes ?? 8_000_000;
  const jsonHandler = bodyParser.json({ limit: bodyLimit });
  const publicRoutes = { ...LIVE_ROUTE, ...options.routes, ...(adminPort === undefined ? adminRoutes : {}) };

  const httpServer = http.createServer((req, res) => {
    const target = requestTarget(req.url);
    if (serveRoute(publicRoutes, target, req, res, logger)) return;
    if (target?.pathname !== '/graphql') {
      notFound(res, target, 'GraphQL is served at /graphql.');
      return;
    }
    if (options.cors?.handle(req, res)) return;
    const onBody = (parseError: { status?: number; type?: string } | null | undefined, body: unknown) => {
      if (parseError) {
        const status = parseError.status ?? 400;
        const message =
          parseError.type === 'entity.too.large'
            ? `The request body is larger than the ${bodyLimit} bytes this server accepts (MAX_BODY_BYTES).`
            : parseError.type === 'encoding.unsupported' || parseError.type === 'charset.unsupported'
              ? 'The request body must be UTF-8 JSON.'
              : 'The request body is not valid JSON.';
        sendJson(res, status, { errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST } }] });
        return;
      }
      if (Array.isArray(body) && body.length > maxBatchSize) {
        sendJson(res, 400, { errors: [{ message: `A batch may hold at most ${maxBatchSize} operations (MAX_BATCH_SIZE); this one holds ${body.length}.`, extensions: { code: ErrorCode.BAD_REQUEST } }] });
        return;
      }
      const admission = options.operationLimiter?.admit(operationsOf(req.method, body, target.search));
      if (admission && 'refusal' in admission) {
        sendRequestErrors(req, res, [admission.refusal]);
        return;
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const request: HTTPGraphQLRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        headers,
        search: target.search,
        body,
      };
      apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: request,
          context: async () => (admission ? withOperationBudget(await options.context(req, admission.budget), admission.budget) : options.context(req)),
        })
        .then(async (response) => {
          if (response.body.kind === 'complete' && exceedsBytes(response.body.string, maxResponseBytes)) {
            sendRequestErrors(req, res, [responseTooLarge(maxResponseBytes)]);
            return;
          }
          for (const [key, value] of response.headers) setOrAppendHeader(res, key, value);
          res.statusCode = response.status ?? 200;
          // Apollo Server answers request errors 400 whatever the media type; see requestErrorStatus.
          if (res.statusCode === 400 && response.body.kind === 'complete' && holdsOnlyRequestErrors(response.body.string)) {
            res.statusCode = requestErrorStatus(req.headers.accept, response.headers.get('content-type') ?? '');
          }
          if (response.body.kind === 'complete') {
            res.end(response.body.string);
            return;
          }
          for await (const chunk of response.body.asyncIterator) res.write(chunk);
          res.end();
        })
        .catch((error: unknown) => fail(res, logger, error));
    };
    if (!readPlainJsonBody(req, bodyLimit, onBody)) jsonHandler(req, res, (error?: { status?: number; type?: string }) => onBody(error, (req as IncomingMessage & { body?: unknown }).body));
  });

  // Idle keep-alive connections stay open well past any client's own idle timeout (undici: 4 s), so a
  // client never sends a request on a socket the server is closing at that moment ("other side closed").
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await apollo.start();
  const host = options.host ?? '127.0.0.1';
  const { port, origin } = await listen(httpServer, options.port, host);
  let adminServer: http.Server | undefined;
  let adminUrl: string | undefined;
  if (adminPort !== undefined) {
    const routes = { ...LIVE_ROUTE, ...adminRoutes };
    adminServer = http.createServer((req, res) => {
      const target = requestTarget(req.url);
      if (!serveRoute(routes, target, req, res, logger)) notFound(res, target, `this port serves only ${Object.keys(routes).join(', ')}.`);
    });
    try {
      adminUrl = (await listen(adminServer, adminPort, host)).origin;
    } catch (error) {
      await apollo.stop();
      throw error;
    }
  }
  return {
    url: `${origin}/graphql`,
    port,
    server: httpServer,
    adminUrl,
    close: async () => {
      // apollo.stop() drains the public server through the plugin above; the admin one answers until then.
      await apollo.stop();
      if (adminServer) await new Promise<void>((resolve) => adminServer.close(() => resolve()));
    },
  };
}

/**
 * Whether `text` takes more than `limit` bytes in UTF-8. A character takes at most three bytes (a surrogate pair,
 * two characters, four), so most answers are known to fit from their length alone, without counting every byte.
 */
export function exceedsBytes(text: string, limit: number): boolean {
  return text.length * 3 > limit && (text.length > limit || Buffer.byteLength(text) > limit);
}

/** `/health/live`: the process runs and answers; no other check, so it costs nothing to ask. */
const LIVE_ROUTE: Readonly<Record<string, RouteHandler>> = { '/health/live': (_req, res) => sendJson(res, 200, { status: 'live' }) };

/** Answers a GET or HEAD of one of `routes`' exact paths; false when none is for this request. */
function serveRoute(routes: Readonly<Record<string, RouteHandler>>, target: RequestTarget | undefined, req: IncomingMessage, res: ServerResponse, logger: Logger): boolean {
  const route = target && (req.method === 'GET' || req.method === 'HEAD') && Object.hasOwn(routes, target.pathname) ? routes[target.pathname] : undefined;
  if (!route) return false;
  Promise.resolve(route(req, res)).catch((error: unknown) => fail(res, logger, error));
  return true;
}

function notFound(res: ServerResponse, target: RequestTarget | undefined, hint: string): void {
  const what = target ? `Nothing at ${target.pathname}` : 'No path in this request';
  sendJson(res, 404, { errors: [{ message: `${what}; ${hint}`, extensions: { code: ErrorCode.NOT_FOUND } }] });
}

/** Apollo Server's `vary` joins the one a CORS policy set before it, rather than replacing it. */
function setOrAppendHeader(res: ServerResponse, key: string, value: string): void {
  const current = key === 'vary' ? res.getHeader('vary') : undefined;
  res.setHeader(key, current === undefined ? value : `${String(current)}, ${value}`);
}

async function listen(server: http.Server, port: number, host: string): Promise<{ port: number; origin: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound, address } = server.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  return { port: bound, origin: `http://${shown === '0.0.0.0' ? 'localhost' : shown}:${bound}` };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, mediaType = 'application/json'): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** A GraphQL answer of request errors the HTTP layer refuses with itself, in the media type and with the status Apollo Server's would have. */
function sendRequestErrors(req: IncomingMessage, res: ServerResponse, errors: readonly unknown[]): void {
  const mediaType = negotiateResponseMediaType(req.headers.accept) ?? 'application/json';
  sendJson(res, requestErrorStatus(req.headers.accept, mediaType), { errors }, mediaType);
}

/** The GraphQL requests of an HTTP request as sent: a batch's, a POST body's, or a GET's query string. */
function operationsOf(method: string | undefined, body: unknown, search: string): readonly unknown[] {
  if (Array.isArray(body)) return body;
  if (method !== 'GET') return [body];
  const params = new URLSearchParams(search);
  let variables: unknown;
  try {
    variables = JSON.parse(params.get('variables') ?? '{}');
  } catch {
    // Apollo Server refuses the request itself.
  }
  return [{ query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined, variables }];
}

/** Sent instead of an answer larger than the ceiling (body already built: the cost limit keeps that rare). */
const responseTooLarge = (limit: number) => ({
  message: `The answer is larger than the ${limit} bytes this server sends (MAX_RESPONSE_BYTES). Ask for fewer items or fields, or split the request.`,
  extensions: { code: ErrorCode.RESPONSE_TOO_LARGE, limit: 'MAX_RESPONSE_BYTES', allowed: limit },
});

function fail(res: ServerResponse, logger: Logger, error: unknown): void {
  logger.error({ err: error }, 'request failed outside GraphQL execution');
  if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
  else res.end();
}
