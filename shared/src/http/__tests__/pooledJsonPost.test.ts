import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pooledJsonPost, type PooledJsonPost } from '../pooledJsonPost';

/** A real HTTP server that answers each POST with what it received; `/slow` answers after 2 s. */
let server: Server;
let url: string;
const sockets = new Set<unknown>();
let client: PooledJsonPost;
const slow: NodeJS.Timeout[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const answer = () => {
        res.writeHead(req.url === '/refused' ? 401 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, path: req.url, headers: { type: req.headers['content-type'], id: req.headers['x-request-id'] }, body: JSON.parse(body) }));
      };
      if (req.url === '/slow') slow.push(setTimeout(answer, 2_000));
      else answer();
    });
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  sockets.clear();
  client = pooledJsonPost();
});

afterEach(() => client.close());

afterAll(async () => {
  slow.forEach(clearTimeout);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (path: string, body: unknown, signal?: AbortSignal) =>
  client.post(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' }, body: JSON.stringify(body), signal });

describe('pooledJsonPost', () => {
  it('sends the method, path, headers and body, and reads the status and the JSON answer', async () => {
    const answer = await post('/graphql?x=1', { query: '{ a }', variables: { n: 2 } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      method: 'POST', path: '/graphql?x=1', headers: { type: 'application/json', id: 'r-1' }, body: { query: '{ a }', variables: { n: 2 } },
    });
  });

  it('answers a refusal with its status, as fetch does', async () => {
    const answer = await post('/refused', {});
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ path: '/refused' });
  });

  it('keeps its connections: twenty calls in turn share one or two sockets', async () => {
    for (let n = 0; n < 20; n += 1) expect((await post('/graphql', { n })).status).toBe(200);
    // The pool may open a second while the first finishes reading an answer; never one a call.
    expect(sockets.size).toBeGreaterThan(0);
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('ends a call when its signal aborts, without waiting for the answer', async () => {
    const started = Date.now();
    await expect(post('/slow', {}, AbortSignal.timeout(100))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('rejects when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(client.post(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: {}, body: '{}' })).rejects.toThrow();
  });
});
