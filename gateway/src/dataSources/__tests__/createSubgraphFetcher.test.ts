import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSubgraphFetcher } from '../createSubgraphFetcher';

/** A stand-in subgraph on a real socket: echoes what it got and which connection it came on. */
function startServer() {
  const sockets = new Set<unknown>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/denied') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'no' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-seen': 'yes' });
      res.end(JSON.stringify({ data: { method: req.method, body, requestId: req.headers['x-request-id'] ?? null } }));
    });
  });
  return new Promise<{ url: string; sockets: Set<unknown>; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        sockets,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

describe('createSubgraphFetcher', () => {
  it('sends the request as given and answers like fetch: status, headers, text and JSON', async () => {
    const server = await startServer();
    const fetcher = createSubgraphFetcher();
    try {
      const response = await fetcher.fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
        body: '{"query":"{ a }"}',
      });
      expect(response.ok).toBe(true);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('x-seen')).toBe('yes');
      expect(response.headers.has('x-missing')).toBe(false);
      expect(await response.json()).toEqual({ data: { method: 'POST', body: '{"query":"{ a }"}', requestId: 'req-1' } });
    } finally {
      await fetcher.close();
      await server.close();
    }
  });

  it('reuses keep-alive connections for requests in sequence instead of opening one per request', async () => {
    const server = await startServer();
    const fetcher = createSubgraphFetcher();
    try {
      for (let i = 0; i < 20; i += 1) await (await fetcher.fetch(`${server.url}/graphql`, { method: 'POST', body: '{}' })).text();
      // undici's pool marks a connection free a tick after its response ends, so a request sent at once may open a second one.
      expect(server.sockets.size).toBeLessThanOrEqual(2);
    } finally {
      await fetcher.close();
      await server.close();
    }
  });

  it('reports an error status with its reason phrase, for the gateway to turn into an error code', async () => {
    const server = await startServer();
    const fetcher = createSubgraphFetcher();
    try {
      const response = await fetcher.fetch(`${server.url}/denied`, { method: 'POST', body: '{}' });
      expect(response.ok).toBe(false);
      expect(response.status).toBe(401);
      expect(response.statusText).toBe('Unauthorized');
      expect(await response.text()).toContain('no');
    } finally {
      await fetcher.close();
      await server.close();
    }
  });

  it('rejects when the subgraph cannot be reached', async () => {
    const server = await startServer();
    const url = `${server.url}/graphql`;
    await server.close();
    const fetcher = createSubgraphFetcher();
    try {
      await expect(fetcher.fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
    } finally {
      await fetcher.close();
    }
  });
});
