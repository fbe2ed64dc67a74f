import { request } from 'node:http';
import { connect } from 'node:net';
import { testSystem, type GraphQLResponse } from './system';

/** A request exactly as sent: nothing is added but what is given here. */
export interface RawRequest {
  readonly method?: string;
  /** Replaces the URL's path (default `/graphql`). */
  readonly path?: string;
  /** Query string for GET requests, without `?`. */
  readonly search?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: any;
}

export async function sendRaw(url: string, request: RawRequest): Promise<RawResponse> {
  const target = new URL(url);
  if (request.path) target.pathname = request.path;
  if (request.search !== undefined) target.search = request.search;
  const response = await fetch(target, { method: request.method ?? 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}

/**
 * POSTs one GraphQL operation from a chosen loopback address (127.0.0.x, which
 * Linux routes to this machine): how a test is a caller of its own address,
 * for a service that counts callers by their socket's address.
 */
export function graphqlFrom(
  localAddress: string,
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<{ status: number; retryAfter: string | undefined; body: GraphQLResponse['body'] }> {
  const body = JSON.stringify({ query, variables: options.variables });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      localAddress,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: JSON.parse(text) as GraphQLResponse['body'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * What an answer must never reveal: stack traces, SQL or database errors,
 * source paths, and where the subgraphs and the database run. `echoes` are
 * strings the caller sent, which a message may quote back; they are removed
 * before looking.
 */
export function leaksIn(text: string, echoes: readonly string[] = []): string[] {
  let scanned = text;
  for (const echo of echoes) {
    for (const form of [echo, JSON.stringify(echo).slice(1, -1)]) {
      if (form) scanned = scanned.split(form).join(' ');
    }
  }
  const system = testSystem();
  const internal = [...Object.values(system.subgraphUrls), system.postgresAdminUrl, ...Object.values(system.databaseUrls)].map((url) => new URL(url));
  const patterns: [string, RegExp][] = [
    ['a stack frame', /\bat (?:async )?[\w$.<>]+ \(?[^()\s]*:\d+:\d+\)?/],
    ['a stacktrace extension', /"stacktrace"/i],
    ['a source path', /node_modules|\/work\/|\.ts:\d+|file:\/\//],
    ['SQL', /\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/],
    ['a PostgreSQL error', /relation "|syntax error at or near|invalid input syntax for|violates \w+ constraint|duplicate key value|QueryFailedError|invalid byte sequence|out of range for type|\bERROR: /],
    ['an internal address', /\b(?:127\.0\.0\.1|localhost|0\.0\.0\.0):\d{2,5}\b/],
    ['a database or role name', /shuangcheng_(?:platform|sichuan|chongqing)|\b(?:platform|sichuan|chongqing)_svc\b/],
    ...internal.map((url): [string, RegExp] => [`the internal address ${url.host}`, new RegExp(url.host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))]),
    ...internal
      .filter((url) => url.password)
      .map((url): [string, RegExp] => ['a database password', new RegExp(decodeURIComponent(url.password).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))]),
  ];
  return patterns.filter(([, pattern]) => pattern.test(scanned)).map(([what]) => what);
}

export interface RawHttpResponse {
  readonly status: number;
  /** Header names in lower case; a repeated header's values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends one request on a fresh TCP connection with exactly the request line
 * given, including targets fetch never sends (absolute-form
 * `http://host/path`, a `#fragment`), and reads the whole answer.
 */
export function sendRequestLine(origin: string, method: string, target: string, headers: Readonly<Record<string, string>> = {}): Promise<RawHttpResponse> {
  const { hostname, port, host } = new URL(origin);
  const head = [`${method} ${target} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(`${head.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks).toString('latin1')));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseResponse(text: string): RawHttpResponse {
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = text.slice(split + 4);
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
    let decoded = '';
    for (let at = 0; ;) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = parseInt(body.slice(at, lineEnd), 16);
      if (!size) break;
      decoded += body.slice(lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
    body = decoded;
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8') };
}
