import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseUrl } from 'node:url';
import type { ApolloServer, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import bodyParser from 'body-parser';
import cors from 'cors';
import { ErrorCode } from '../errors/ErrorCode';
import type { OperationLimiter } from '../limits/createOperationLimiter';
import { withOperationBudget, type OperationBudget } from '../limits/OperationBudget';
import type { Logger } from '../logging/createLogger';

/** A plain handler for a non-GraphQL path (health, JWKS). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions<TContext extends BaseContext> {
  readonly apollo: ApolloServer<TContext>;
  /** `budget`: what the operation limiter admitted (operations, expensive fields), for a rate limit that charges by them. */
  readonly context: (req: IncomingMessage, budget?: OperationBudget) => Promise<TContext>;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  /** Extra GET routes by exact path. */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
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
  close(): Promise<void>;
}

/**
 * Apollo Server on Node's own HTTP server, with a few extra routes. This is
 * what `startStandaloneServer` does, plus routes, which it cannot serve; it
 * avoids a web framework on the request path, where the gateway spends its
 * time. GraphQL is served at `/graphql`.
 */
export async function startHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): Promise<RunningHttpServer> {
  const { apollo, logger, routes = {} } = options;
  const corsHandler = cors();
  const bodyLimit = options.bodyLimit ?? 1_000_000;
  const maxBatchSize = options.maxBatchSize ?? 10;
  const maxResponseBytes = options.maxResponseBytes ?? 8_000_000;
  const jsonHandler = bodyParser.json({ limit: bodyLimit });

  const httpServer = http.createServer((req, res) => {
    const { pathname, search } = parseUrl(req.url ?? '/');
    const route = req.method === 'GET' || req.method === 'HEAD' ? routes[pathname ?? ''] : undefined;
    if (route) {
      Promise.resolve(route(req, res)).catch((error: unknown) => fail(res, logger, error));
      return;
    }
    if (pathname !== '/graphql') {
      sendJson(res, 404, { errors: [{ message: `Nothing at ${pathname}; GraphQL is served at /graphql.`, extensions: { code: ErrorCode.NOT_FOUND } }] });
      return;
    }
    corsHandler(req, res, () => {
      jsonHandler(req, res, (parseError?: { status?: number; type?: string; message?: string }) => {
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
        const body = (req as IncomingMessage & { body?: unknown }).body;
        if (Array.isArray(body) && body.length > maxBatchSize) {
          sendJson(res, 400, { errors: [{ message: `A batch may hold at most ${maxBatchSize} operations (MAX_BATCH_SIZE); this one holds ${body.length}.`, extensions: { code: ErrorCode.BAD_REQUEST } }] });
          return;
        }
        const admission = options.operationLimiter?.admit(operationsOf(req.method, body, search));
        if (admission && 'refusal' in admission) {
          sendJson(res, 400, { errors: [admission.refusal] });
          return;
        }
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
        }
        const request: HTTPGraphQLRequest = {
          method: (req.method ?? 'GET').toUpperCase(),
          headers,
          search: search ?? '',
          body,
        };
        apollo
          .executeHTTPGraphQLRequest({
            httpGraphQLRequest: request,
            context: async () => (admission ? withOperationBudget(await options.context(req, admission.budget), admission.budget) : options.context(req)),
          })
          .then(async (response) => {
            if (response.body.kind === 'complete' && Buffer.byteLength(response.body.string) > maxResponseBytes) {
              sendJson(res, 400, { errors: [responseTooLarge(maxResponseBytes)] });
              return;
            }
            for (const [key, value] of response.headers) res.setHeader(key, value);
            res.statusCode = response.status ?? 200;
            if (response.body.kind === 'complete') {
              res.end(response.body.string);
              return;
            }
            for await (const chunk of response.body.asyncIterator) res.write(chunk);
            res.end();
          })
          .catch((error: unknown) => fail(res, logger, error));
      });
    });
  });

  // Idle keep-alive connections stay open well past any client's own idle timeout (undici: 4 s), so a
  // client never sends a request on a socket the server is closing at that moment ("other side closed").
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer }));
  await apollo.start();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = httpServer.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/graphql`,
    port,
    server: httpServer,
    // apollo.stop() drains the HTTP server through the plugin above.
    close: () => apollo.stop(),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** The GraphQL requests of an HTTP request as sent: a batch's, a POST body's, or a GET's query string. */
function operationsOf(method: string | undefined, body: unknown, search: string | null): readonly unknown[] {
  if (Array.isArray(body)) return body;
  if (method !== 'GET') return [body];
  const params = new URLSearchParams(search ?? '');
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
