import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import bodyParser from 'body-parser';
import { readPlainJsonBody, type BodyReadError } from '../readPlainJsonBody';

/**
 * The plain path must answer every body it takes as body-parser's `json()` does, and leave every other request to it.
 * Each request goes to two real servers: one that reads as startHttpServer does (this path first), one with
 * body-parser alone; both answer which reader took it and what it made of the body.
 */
const LIMIT = 300_000;
type Outcome = { reader: 'plain' | 'body-parser'; error: string | null; body?: unknown };

function startServer(plainFirst: boolean): Promise<{ url: string; server: http.Server; aborted: Promise<BodyReadError | null> }> {
  const json = bodyParser.json({ limit: LIMIT });
  let settleAborted: (error: BodyReadError | null) => void = () => undefined;
  const aborted = new Promise<BodyReadError | null>((resolve) => (settleAborted = resolve));
  const server = http.createServer((req, res) => {
    const answer = (outcome: Outcome) => {
      if (req.headers['x-abort'] !== undefined) settleAborted(outcome.error === null ? null : { status: 400, type: outcome.error });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(outcome));
    };
    const tookIt = plainFirst && readPlainJsonBody(req, LIMIT, (error, body) => answer({ reader: 'plain', error: error?.type ?? null, body }));
    if (!tookIt) {
      json(req, res, (error?: { type?: string }) => answer({ reader: 'body-parser', error: error?.type ?? null, body: (req as IncomingMessage & { body?: unknown }).body }));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, aborted })));
}

let plain: Awaited<ReturnType<typeof startServer>>;
let reference: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  [plain, reference] = await Promise.all([startServer(true), startServer(false)]);
});
afterAll(async () => {
  for (const { server } of [plain, reference]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Sends `body` with `headers` (content-length set unless chunked) and returns what the server answered. */
function send(url: string, body: Buffer, headers: Record<string, string>, chunked = false): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: chunked ? headers : { ...headers, 'content-length': String(body.length) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(JSON.parse(text) as Outcome));
    });
    request.on('error', reject);
    // Two writes, so a body may arrive in more than one chunk.
    request.write(body.subarray(0, body.length >> 1));
    request.end(body.subarray(body.length >> 1));
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const QUERY = JSON.stringify({ query: 'query Search($keyword: String!) { sichuan { instruments(filter: { keyword: $keyword }, first: 20) { edges { node { name } } } } }', variables: { keyword: '液相色谱 "HPLC" \\ \u2028' } });

describe('readPlainJsonBody', () => {
  it.each([
    ['an operation', utf8(QUERY), JSON_TYPE],
    ['a batch (an array)', utf8(`[${QUERY},${QUERY}]`), JSON_TYPE],
    ['whitespace around the value', utf8(` \r\n\t${QUERY}\n `), JSON_TYPE],
    ['a byte order mark first', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(QUERY)]), JSON_TYPE],
    ['a charset of utf-8', utf8(QUERY), { 'content-type': 'application/json; charset=utf-8' }],
    ['a quoted, upper-case charset', utf8(QUERY), { 'content-type': 'Application/JSON;charset="UTF-8"' }],
    ['a string, not an object', utf8('"query"'), JSON_TYPE],
    ['a number', utf8('42'), JSON_TYPE],
    ['null', utf8('null'), JSON_TYPE],
    ['JSON cut short', utf8(QUERY.slice(0, -3)), JSON_TYPE],
    ['not JSON at all', utf8('query { __typename }'), JSON_TYPE],
    ['bytes that are not UTF-8 inside a string', Buffer.concat([utf8('{"query":"'), Buffer.from([0xff, 0xc3, 0x28]), utf8('"}')]), JSON_TYPE],
    ['a body near the limit, in many chunks', utf8(JSON.stringify({ query: '{ __typename }', variables: { text: '仪'.repeat(90_000) } })), JSON_TYPE],
    ['an identity content-encoding', utf8(QUERY), { ...JSON_TYPE, 'content-encoding': 'identity' }],
  ])('reads %s as body-parser does', async (_, body, headers) => {
    const [answer, expected] = await Promise.all([send(plain.url, body, headers), send(reference.url, body, headers)]);
    expect(answer.reader).toBe('plain');
    expect({ ...answer, reader: 'body-parser' }).toEqual(expected);
  });

  it.each([
    ['a compressed body', gzipSync(utf8(QUERY)), { ...JSON_TYPE, 'content-encoding': 'gzip' }, false],
    ['an unknown content-encoding', utf8(QUERY), { ...JSON_TYPE, 'content-encoding': 'x-evil' }, false],
    ['another charset', utf8(QUERY), { 'content-type': 'application/json; charset=utf-16' }, false],
    ['another parameter', utf8(QUERY), { 'content-type': 'application/json; charset=utf-8; profile=x' }, false],
    ['another media type', utf8(QUERY), { 'content-type': 'application/graphql' }, false],
    ['no media type', utf8(QUERY), {}, false],
    ['a body over the limit', utf8(JSON.stringify({ text: 'x'.repeat(LIMIT) })), JSON_TYPE, false],
    ['an empty body', Buffer.alloc(0), JSON_TYPE, false],
    ['a chunked body', utf8(QUERY), JSON_TYPE, true],
  ])('leaves %s to body-parser', async (_, body, headers, chunked) => {
    const [answer, expected] = await Promise.all([send(plain.url, body, headers, chunked), send(reference.url, body, headers, chunked)]);
    expect(answer).toEqual(expected);
  });

  it('settles a request whose client goes away before its body ends', async () => {
    const request = http.request(plain.url, { method: 'POST', headers: { ...JSON_TYPE, 'content-length': '1000', 'x-abort': '1' } });
    request.on('error', () => undefined);
    request.write('{"query":');
    await new Promise((resolve) => setTimeout(resolve, 50));
    request.destroy();
    await expect(plain.aborted).resolves.toEqual({ status: 400, type: 'request.aborted' });
  });
});
