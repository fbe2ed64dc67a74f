import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../../GatewayContext';
import { CircuitBreaker } from '../../resilience/CircuitBreaker';
import { deadlineIn } from '../../resilience/guardSubgraphCall';
import { createSubgraphFetcher, type Fetcher } from '../createSubgraphFetcher';
import { ForwardingDataSource } from '../ForwardingDataSource';
import { InFlightQueries } from '../InFlightQueries';
import { SubgraphUnavailableError } from '../SubgraphUnavailableError';
import { until } from '../../../../test/support/until';

/** What the stand-in subgraph does with one GraphQL request; `stall` sends the headers and part of the body, then nothing. */
type Behaviour = 'answer' | 'reset' | 'hang' | 'stall' | 503 | 500 | 400;

/**
 * A stand-in subgraph on a real socket: each GraphQL request takes the next
 * behaviour from the script (then answers normally), and `/health/ready`
 * answers as `ready` says.
 */
async function startSubgraph(script: Behaviour[] = []) {
  const state = {
    graphqlRequests: 0,
    ready: false,
    lastHeaders: {} as http.IncomingHttpHeaders,
    /** Called once the subgraph holds a request it will never answer (`hang`). */
    onHang: undefined as (() => void) | undefined,
  };
  const server = http.createServer((req, res) => {
    if (req.url === '/health/ready') {
      res.writeHead(state.ready ? 200 : 503).end();
      return;
    }
    state.graphqlRequests += 1;
    state.lastHeaders = req.headers;
    req.resume();
    req.on('end', () => {
      const behaviour = script.shift() ?? 'answer';
      if (behaviour === 'reset') return req.socket.destroy();
      if (behaviour === 'hang') return state.onHang?.();
      if (behaviour === 'stall') return res.writeHead(200, { 'content-type': 'application/json' }).write('{"data":');
      if (behaviour === 400) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Bad date', extensions: { code: 'BAD_USER_INPUT' } }] }));
        return;
      }
      if (typeof behaviour === 'number') return res.writeHead(behaviour).end('down');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { ok: true } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    state,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The options @apollo/gateway passes for one fetch of an incoming operation of the given type, for a request with that deadline and caller. */
function fetchOf(
  operation: 'query' | 'mutation',
  authorization?: string,
  request: { deadline?: number; clientAddress?: string; forwardedFor?: string } = {},
): GraphQLDataSourceProcessOptions<GatewayContext> {
  const incomingHeaders = new Headers(request.forwardedFor ? { 'x-forwarded-for': request.forwardedFor } : {});
  return {
    kind: 'incoming operation',
    request: { query: `${operation} { ok }` },
    incomingRequestContext: { operation: { operation }, request: { http: { headers: incomingHeaders } } },
    context: {
      ...(authorization ? { authorization } : {}),
      ...(request.clientAddress ? { clientAddress: request.clientAddress } : {}),
      ...(request.deadline === undefined ? {} : { deadline: request.deadline }),
    },
  } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
}

async function withSubgraph(
  script: Behaviour[],
  settings: {
    retries?: number;
    failureThreshold?: number;
    timeoutMs?: number;
    inFlightQueries?: InFlightQueries;
    /**
     * The attempts' time limits and the requests' deadlines run on Jest's fake clock (setTimeout and
     * performance.now; sockets and the backoff sleep between attempts stay real), moved on by `timeoutMs` the moment
     * the subgraph holds a request it leaves hanging: such an attempt then ends at its limit or deadline exactly after
     * its request arrived, never before it on a busy machine, and without a real wait.
     */
    hangsTimeOutOnArrival?: boolean;
  },
  test: (context: {
    source: ForwardingDataSource;
    breaker: CircuitBreaker;
    subgraph: Awaited<ReturnType<typeof startSubgraph>>;
    /** How many fetches the data source started: a fetch refused before the socket still counts here. */
    fetches: () => number;
    /** How many calls the open circuit refused. */
    refusedByCircuit: () => number;
  }) => Promise<void>,
) {
  const subgraph = await startSubgraph(script);
  const timeoutMs = settings.timeoutMs ?? 5_000;
  if (settings.hangsTimeOutOnArrival) {
    jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] });
    subgraph.state.onHang = () => jest.advanceTimersByTime(timeoutMs);
  }
  const fetcher = createSubgraphFetcher();
  let fetches = 0;
  let refusedByCircuit = 0;
  const countingFetch: Fetcher = (url, init) => {
    fetches += 1;
    return fetcher.fetch(url, init);
  };
  const breaker = new CircuitBreaker({
    failureThreshold: settings.failureThreshold ?? 5,
    probeIntervalMs: 25,
    probe: async () => (await fetch(new URL('/health/ready', subgraph.url))).ok,
  });
  const source = new ForwardingDataSource({
    name: 'sichuan',
    url: subgraph.url,
    fetcher: countingFetch,
    // Retries pause 1 ms, not the 50 ms a gateway starts from: what is tested is whether and how often they come.
    resilience: { breaker, queryRetries: settings.retries ?? 1, timeoutMs, backoffMs: 1, onRejected: () => (refusedByCircuit += 1) },
    ...(settings.inFlightQueries ? { inFlightQueries: settings.inFlightQueries } : {}),
  });
  try {
    await test({ source, breaker, subgraph, fetches: () => fetches, refusedByCircuit: () => refusedByCircuit });
  } finally {
    jest.useRealTimers();
    breaker.dispose();
    await fetcher.close();
    await subgraph.close();
  }
}

async function unavailable(promise: Promise<unknown>): Promise<SubgraphUnavailableError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(SubgraphUnavailableError);
  return error as SubgraphUnavailableError;
}

describe('ForwardingDataSource retries', () => {
  it.each(['reset', 503] as const)('retries a query after one failure (%s) and answers', async (failure) => {
    await withSubgraph([failure], {}, async ({ source, subgraph }) => {
      const response = await source.process(fetchOf('query'));
      expect(response.data).toEqual({ ok: true });
      expect(subgraph.state.graphqlRequests).toBe(2);
    });
  });

  it('retries a query that timed out', async () => {
    await withSubgraph(['hang'], { timeoutMs: 200, hangsTimeOutOnArrival: true }, async ({ source, subgraph }) => {
      expect((await source.process(fetchOf('query'))).data).toEqual({ ok: true });
      expect(subgraph.state.graphqlRequests).toBe(2);
    });
  });

  it.each([['reset', 'unreachable'], [503, 'HTTP 503'], ['hang', 'timeout']] as const)('never sends a mutation twice: after one failure (%s) it answers the error', async (failure, reason) => {
    // The attempt's time runs only once a hanging request has arrived: a reset or a 503 is never cut short by it.
    await withSubgraph([failure], { timeoutMs: 100, hangsTimeOutOnArrival: true }, async ({ source, subgraph }) => {
      const error = await unavailable(source.process(fetchOf('mutation')));
      expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'sichuan', reason });
      expect(subgraph.state.graphqlRequests).toBe(1);
    });
  });

  it('gives up after SUBGRAPH_RETRIES further attempts', async () => {
    await withSubgraph([503, 503, 503, 503], { retries: 2 }, async ({ source, subgraph }) => {
      expect((await unavailable(source.process(fetchOf('query')))).reason).toBe('HTTP 503');
      expect(subgraph.state.graphqlRequests).toBe(3);
    });
  });

  it("does not retry the subgraph's own refusal (400) or a 500, and keeps the circuit closed", async () => {
    await withSubgraph([400, 500, 500, 500, 500, 500, 500], { failureThreshold: 2 }, async ({ source, subgraph, breaker }) => {
      await expect(source.process(fetchOf('query'))).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      for (let i = 0; i < 6; i += 1) expect((await unavailable(source.process(fetchOf('query')))).reason).toBe('HTTP 500');
      expect(subgraph.state.graphqlRequests).toBe(7);
      expect(breaker.state).toBe('closed');
    });
  });
});

describe('ForwardingDataSource headers', () => {
  it("tells the subgraph the client address the gateway resolved, as the only x-forwarded-for entry, never the caller's own chain", async () => {
    await withSubgraph([], {}, async ({ source, subgraph }) => {
      await source.process(fetchOf('mutation', 'Bearer abc', { clientAddress: '203.0.113.9', forwardedFor: '198.51.100.1, 203.0.113.9' }));
      expect(subgraph.state.lastHeaders).toMatchObject({ 'x-forwarded-for': '203.0.113.9', authorization: 'Bearer abc' });
    });
  });
});

describe('ForwardingDataSource time limits', () => {
  it('ends an answer that stalls mid-body at SUBGRAPH_TIMEOUT_MS too, and retries it', async () => {
    await withSubgraph(['stall'], { timeoutMs: 200 }, async ({ source, subgraph }) => {
      expect((await source.process(fetchOf('query', undefined, { deadline: deadlineIn(5_000) }))).data).toEqual({ ok: true });
      expect(subgraph.state.graphqlRequests).toBe(2);
    });
  });

  it("sends a retry only when a whole attempt still fits before the request's deadline", async () => {
    await withSubgraph(['hang', 'hang', 'hang', 'hang'], { timeoutMs: 100, retries: 3, hangsTimeOutOnArrival: true }, async ({ source, subgraph }) => {
      // 100 ms spent, then a backoff and another 100 ms would end past the deadline: the three retries allowed are not sent.
      expect((await unavailable(source.process(fetchOf('query', undefined, { deadline: deadlineIn(150) })))).reason).toBe('timeout');
      expect(subgraph.state.graphqlRequests).toBe(1);
    });
  });

  it('sends nothing for a request whose deadline has passed, and keeps the circuit closed', async () => {
    await withSubgraph([], { failureThreshold: 1 }, async ({ source, subgraph, breaker, fetches }) => {
      const error = await unavailable(source.process(fetchOf('query', undefined, { deadline: deadlineIn(-1) })));
      expect(error.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', serviceName: 'sichuan', reason: 'timeout' });
      expect(fetches()).toBe(0);
      expect(subgraph.state.graphqlRequests).toBe(0);
      expect(breaker.state).toBe('closed');
    });
  });

  it("opens the circuit on timeouts, but not on an attempt the request's deadline cut short", async () => {
    await withSubgraph(['hang', 'hang'], { timeoutMs: 150, retries: 0, failureThreshold: 1, hangsTimeOutOnArrival: true }, async ({ source, subgraph, breaker }) => {
      // The deadline comes before the 150 ms the subgraph is owed: the request gets its answer, the subgraph no strike.
      expect((await unavailable(source.process(fetchOf('query', undefined, { deadline: deadlineIn(50) })))).reason).toBe('timeout');
      expect(breaker.state).toBe('closed');

      // A whole timeout is an outage like a refused connection: one opens this circuit.
      expect((await unavailable(source.process(fetchOf('query', undefined, { deadline: deadlineIn(5_000) })))).reason).toBe('timeout');
      expect(breaker.state).toBe('open');
      expect((await unavailable(source.process(fetchOf('query', undefined, { deadline: deadlineIn(5_000) })))).reason).toBe('circuit open');
      expect(subgraph.state.graphqlRequests).toBe(2);
    });
  });

  it('ends a mutation at its deadline too, sent once', async () => {
    await withSubgraph(['hang'], { timeoutMs: 5_000, hangsTimeOutOnArrival: true }, async ({ source, subgraph }) => {
      expect((await unavailable(source.process(fetchOf('mutation', undefined, { deadline: deadlineIn(100) })))).reason).toBe('timeout');
      expect(subgraph.state.graphqlRequests).toBe(1);
    });
  });
});

describe('ForwardingDataSource circuit', () => {
  it('fails at once once open, without sending anything, and closes when the subgraph is back', async () => {
    await withSubgraph(['reset', 'reset', 'reset'], { retries: 0, failureThreshold: 3 }, async ({ source, subgraph, breaker, fetches, refusedByCircuit }) => {
      for (let i = 0; i < 3; i += 1) expect((await unavailable(source.process(fetchOf('query')))).reason).toBe('unreachable');
      expect(breaker.state).toBe('open');
      expect(fetches()).toBe(3);

      for (let i = 0; i < 5; i += 1) {
        const error = await unavailable(source.process(fetchOf('query')));
        expect(error.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', serviceName: 'sichuan', reason: 'circuit open' });
        expect(error.message).toBe('The sichuan service is unavailable right now (circuit open); the rest of the answer is complete.');
      }
      // "At once" means nothing is attempted: no fetch is started, so no timeout or retry can be waited for.
      // (How fast that is belongs to `npm run bench`.)
      expect(refusedByCircuit()).toBe(5);
      expect(fetches()).toBe(3);
      expect(subgraph.state.graphqlRequests).toBe(3);

      subgraph.state.ready = true;
      await until('the probe half-opens the circuit', () => breaker.state === 'half-open');
      expect((await source.process(fetchOf('query'))).data).toEqual({ ok: true });
      expect(breaker.state).toBe('closed');
    });
  });

  it('counts a retried outage against the circuit, and stops retrying once it opens', async () => {
    await withSubgraph([503, 503, 503], { retries: 2, failureThreshold: 2 }, async ({ source, subgraph, breaker }) => {
      expect((await unavailable(source.process(fetchOf('query')))).reason).toBe('HTTP 503');
      expect(subgraph.state.graphqlRequests).toBe(2);
      expect(breaker.state).toBe('open');
      expect((await unavailable(source.process(fetchOf('query')))).reason).toBe('circuit open');
    });
  });
});

describe('ForwardingDataSource deduplication', () => {
  it('sends identical queries in flight at once as one fetch, and gives each caller its own copy', async () => {
    let shared = 0;
    await withSubgraph([], { inFlightQueries: new InFlightQueries(() => (shared += 1)) }, async ({ source, subgraph }) => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => source.process(fetchOf('query', 'Bearer a'))));
      expect(subgraph.state.graphqlRequests).toBe(1);
      expect(shared).toBe(4);
      for (const answer of answers) expect(answer.data).toEqual({ ok: true });
      // The gateway merges each answer into its own result: a change to one must not show in another.
      answers[0]!.data!['ok'] = 'changed';
      expect(answers.slice(1).map((answer) => answer.data!['ok'])).toEqual([true, true, true, true]);

      // Over: the next identical query is sent afresh.
      await source.process(fetchOf('query', 'Bearer a'));
      expect(subgraph.state.graphqlRequests).toBe(2);
    });
  });

  it('never shares between callers with different tokens, nor a mutation', async () => {
    await withSubgraph([], { inFlightQueries: new InFlightQueries() }, async ({ source, subgraph }) => {
      await Promise.all([source.process(fetchOf('query', 'Bearer a')), source.process(fetchOf('query', 'Bearer b')), source.process(fetchOf('query'))]);
      expect(subgraph.state.graphqlRequests).toBe(3);
      await Promise.all(Array.from({ length: 3 }, () => source.process(fetchOf('mutation', 'Bearer a'))));
      expect(subgraph.state.graphqlRequests).toBe(6);
    });
  });

  it('fails every caller of a shared fetch that fails, each with the reason', async () => {
    await withSubgraph([503, 503, 503, 503], { retries: 0, inFlightQueries: new InFlightQueries() }, async ({ source, subgraph }) => {
      const outcomes = await Promise.all(Array.from({ length: 3 }, () => unavailable(source.process(fetchOf('query', 'Bearer a')))));
      expect(outcomes.map((error) => error.reason)).toEqual(['HTTP 503', 'HTTP 503', 'HTTP 503']);
      expect(subgraph.state.graphqlRequests).toBe(1);
    });
  });
});
