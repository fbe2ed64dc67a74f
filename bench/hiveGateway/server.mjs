// Hive Gateway on the gateway's own supergraph, for the bench's comparison (bench/hiveGateway/compareHiveGateway.ts).
// Run from this folder with its own node_modules (npm ci --prefix bench/hiveGateway); configured by the environment:
//   SUPERGRAPH_FILE   the supergraph the gateway serves (gateway/supergraph.graphql)
//   SUBGRAPH_URLS     JSON object, subgraph name → URL where it runs (the supergraph's URLs are the defaults of `npm start`)
//   GATEWAY_SECRET    presented to every subgraph in GATEWAY_SECRET_HEADER, as the gateway does
//   PORT              0 picks a free port; the port is printed as `listening <port>` on stdout
// Request deduplication is off both ways: no shared execution of identical incoming requests (the runtime's default)
// and no shared subgraph fetch of identical outgoing ones (the HTTP executor's default is on).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const required = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`hive gateway: ${name} is required`);
    process.exit(2);
  }
  return value;
};

const supergraph = readFileSync(required('SUPERGRAPH_FILE'), 'utf8');
const subgraphUrls = JSON.parse(required('SUBGRAPH_URLS'));
const secretHeader = required('GATEWAY_SECRET_HEADER');
const secret = required('GATEWAY_SECRET');

const gateway = createGatewayRuntime({
  supergraph,
  logging: process.env.LOG_LEVEL ?? 'warn',
  inboundInflightRequestDeduplication: false,
  transportEntries: {
    ...Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, { location: url }])),
    '*.http': { options: { deduplicateInflightRequests: false } },
  },
  plugins: () => [
    {
      // Added to every subgraph fetch: the subgraphs answer _entities only to a caller that shows it.
      onFetch({ options, setOptions }) {
        const headers = new Headers(options.headers ?? {});
        headers.set(secretHeader, secret);
        setOptions({ ...options, headers: Object.fromEntries(headers) });
      },
    },
  ],
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
});

const server = createServer(gateway);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});

const stop = () => {
  server.close(() => {
    Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  });
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
