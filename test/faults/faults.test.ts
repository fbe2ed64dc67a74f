import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SUPERGRAPH_FILE } from '../../gateway/src';
import { startPrivateSystem, type PrivateSystem } from '../support/privateSystem/startPrivateSystem';
import { parseSamples, valueOf } from '../support/prometheus';
import { graphql, type GraphQLResponse } from '../support/system';
import { until } from '../support/until';

/**
 * Faults done for real on a system of this file's own (one PostgreSQL per
 * owner): a province subgraph stopped under load, a province's PostgreSQL
 * restarted, the supergraph file swapped, SIGTERM in the middle of a request.
 * The tests run in order and each leaves the system whole for the next.
 */
let system: PrivateSystem;
let supergraphDir: string;
let supergraphFile: string;
let url: string;

beforeAll(async () => {
  supergraphDir = mkdtempSync(join(tmpdir(), 'faults-supergraph-'));
  supergraphFile = join(supergraphDir, 'supergraph.graphql');
  copyFileSync(SUPERGRAPH_FILE, supergraphFile);
  system = await startPrivateSystem({
    SUPERGRAPH_FILE: supergraphFile,
    // Probe an open circuit often, so recovery is seen within the test.
    CIRCUIT_BREAKER_RESET_MS: '250',
    CIRCUIT_BREAKER_FAILURES: '3',
    // Queries run as fast as the system answers while faults are injected; the rate limit is tested in gatewayLimits.test.ts.
    RATE_LIMIT_PER_MINUTE: '0',
    // Readiness is read right after each fault, so every request checks afresh; the cache is tested in listeners.test.ts.
    READINESS_CACHE_MS: '0',
  });
  url = system.description.gatewayUrl;
}, 180_000);

afterAll(async () => {
  await system?.stop();
  rmSync(supergraphDir, { recursive: true, force: true });
}, 60_000);

const CHONGQING_ONLY = '{ chongqing { name instruments(first: 2) { totalCount } } }';
const BOTH = '{ sichuan { name instruments(first: 2) { totalCount } } chongqing { name instruments(first: 2) { totalCount } } }';

interface Outcome {
  readonly kind: 'chongqing only' | 'both';
  readonly at: number;
  readonly response?: GraphQLResponse;
  readonly failure?: string;
}

/** `clients` callers each sending requests back to back until `done` says stop; every outcome is kept, in `outcomes` as they come. */
async function load(clients: number, done: () => boolean, outcomes: Outcome[] = []): Promise<Outcome[]> {
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let i = 0; !done(); i += 1) {
      const kind = (client + i) % 2 === 0 ? 'chongqing only' : 'both';
      const at = Date.now();
      try {
        outcomes.push({ kind, at, response: await graphql(url, kind === 'both' ? BOTH : CHONGQING_ONLY) });
      } catch (error) {
        outcomes.push({ kind, at, failure: String(error) });
      }
    }
  }));
  return outcomes;
}


async function metrics() {
  return parseSamples(await (await fetch(new URL('/metrics', url))).text());
}

async function circuitOf(subgraph: string): Promise<string> {
  const samples = await metrics();
  return samples.find((s) => s.name === 'gateway_subgraph_circuit_state' && s.labels['subgraph'] === subgraph && s.value === 1)?.labels['state'] ?? 'unknown';
}

/** The gateway's log lines (JSON), newest last. */
function gatewayLog(): { msg: string; [key: string]: unknown }[] {
  return readFileSync(join(system.description.logDir, 'gateway.log'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** True when a fresh TCP connection to the service is refused (no pooled keep-alive socket can hide it). */
function refusesConnections(graphqlUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(new URL('/health/live', graphqlUrl), { agent: false, timeout: 1_000 }, (response) => {
      response.resume();
      resolve(false);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * Runs `meanwhile` while a Chongqing query is in flight, held there by an
 * ACCESS EXCLUSIVE lock on Chongqing's `instruments` table (taken as the
 * province's own role, which owns it): a slow request on demand. Then lets it
 * go on and checks it was answered in full.
 */
async function whileQueryInFlight(meanwhile: () => Promise<void>): Promise<void> {
  const databaseUrl = system.description.databaseUrls.chongqing;
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE instruments IN ACCESS EXCLUSIVE MODE');
  const inFlight = graphql(url, CHONGQING_ONLY);
  try {
    await until('the query waiting for the lock', async () => {
      const probe = new Client({ connectionString: databaseUrl });
      await probe.connect();
      try {
        const { rows } = await probe.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        return rows[0]!.n > 0 ? true : undefined;
      } finally {
        await probe.end();
      }
    });
    await meanwhile();
  } finally {
    await lock.query('COMMIT');
    await lock.end();
  }
  const { status, body } = await inFlight;
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data.chongqing.instruments.totalCount).toBeGreaterThan(0);
}

async function login(username: string): Promise<string> {
  const { body } = await graphql(url, 'mutation($u: String!) { login(username: $u, password: "shuangcheng-demo") { token } }', { variables: { u: username } });
  if (!body.data?.login) throw new Error(`login of ${username} failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.token;
}

describe('a province subgraph stopped while queries run', () => {
  it('costs only its part of each answer, opens its circuit, and closes it once the subgraph is back', async () => {
    const gatewayPid = system.pids()['gateway'];
    let stopAt = 0;
    let stopped = false;
    const sofar: Outcome[] = [];
    const running = load(10, () => stopped && Date.now() > stopAt + 3_000, sofar);
    try {
      // Stop it once both kinds of query have been answered in full under load (a fresh system on a busy machine
      // may take a while to warm up: the wait says what it saw meanwhile).
      await until('full answers under load', () => {
        const full = sofar.filter((o) => o.response && !o.response.body.errors).length;
        if (full >= 20) return true;
        const last = sofar.at(-1);
        throw new Error(`${full} full answers in ${sofar.length}; the last: ${last?.failure ?? JSON.stringify(last?.response?.body.errors ?? null)}`);
      }, 60_000);
      const exit = await system.stopService('sichuan');
      expect(exit).toEqual({ code: 0, signal: null });
    } finally {
      // However the wait ends, the load ends 3 s later: it must not run on into the next tests.
      stopAt = Date.now();
      stopped = true;
    }
    const outcomes = await running;

    // Zero failed requests for Chongqing-only queries, before, during and after the stop.
    const chongqingOnly = outcomes.filter((o) => o.kind === 'chongqing only');
    expect(chongqingOnly.length).toBeGreaterThan(20);
    for (const { response, failure } of chongqingOnly) {
      expect(failure).toBeUndefined();
      expect(response!.status).toBe(200);
      expect(response!.body.errors).toBeUndefined();
      expect(response!.body.data.chongqing.name).toBe('Chongqing');
    }
    // Both-province queries: Chongqing's data always, and Sichuan's part either answered or one error naming it.
    const both = outcomes.filter((o) => o.kind === 'both');
    const reasons = new Set<string>();
    for (const { response, failure } of both) {
      expect(failure).toBeUndefined();
      expect(response!.status).toBe(200);
      expect(response!.body.data.chongqing.instruments.totalCount).toBeGreaterThan(0);
      if (response!.body.data.sichuan) {
        expect(response!.body.errors).toBeUndefined();
      } else {
        expect(response!.body.errors).toHaveLength(1);
        const { extensions, message } = response!.body.errors![0]!;
        expect(extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'sichuan' });
        expect(message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
        reasons.add(String(extensions!['reason']));
      }
    }
    expect(both.some((o) => o.at > stopAt && o.response?.body.data.sichuan === null)).toBe(true);
    expect(reasons).toContain('circuit open');

    // Open: the readiness report says so, and the Sichuan part fails without a fetch being sent.
    expect(await circuitOf('sichuan')).toBe('open');
    const ready = await fetch(new URL('/health/ready', url));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, unknown> }).checks['sichuan']).toEqual({ state: 'unreachable', circuit: 'open' });
    const fetchesBefore = valueOf(await metrics(), 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'sichuan' });
    const rejectionsBefore = valueOf(await metrics(), 'gateway_subgraph_circuit_rejections_total', { subgraph: 'sichuan' });
    for (let i = 0; i < 10; i += 1) {
      const { status, body } = await graphql(url, '{ sichuan { name } }');
      expect(status).toBe(200);
      expect(body.errors![0]!.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', serviceName: 'sichuan', reason: 'circuit open' });
    }
    const after = await metrics();
    expect(valueOf(after, 'gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'sichuan' })).toBe(fetchesBefore);
    // Refused at the gateway, not sent: no fetch counted, ten rejections counted (speed is measured by npm run bench).
    expect(valueOf(after, 'gateway_subgraph_circuit_rejections_total', { subgraph: 'sichuan' })).toBe(rejectionsBefore + 10);

    // Back: the background probe finds it ready, the next answer closes the circuit, and the gateway was never restarted.
    await system.startService('sichuan');
    const full = await until('a full answer again', async () => {
      const response = await graphql(url, BOTH);
      return response.body.errors ? undefined : response;
    });
    expect(full.body.data.sichuan.name).toBe('Sichuan');
    expect(await circuitOf('sichuan')).toBe('closed');
    expect(system.pids()['gateway']).toBe(gatewayPid);
    const transitions = ['circuit of sichuan open', 'circuit of sichuan half-open: the subgraph is ready again', 'circuit of sichuan closed'];
    await until('the circuit transitions in the log', async () => (transitions.every((msg) => gatewayLog().some((line) => line.msg === msg)) ? true : undefined));
  }, 120_000);
});

describe("a province's PostgreSQL restarted", () => {
  it('answers SERVICE_UNAVAILABLE for that province meanwhile, recovers by itself, and keeps acknowledged writes', async () => {
    const sichuanPid = system.pids()['sichuan'];
    const token = await login('sc.admin');
    const created = await graphql(url, 'mutation($input: InstrumentInput!) { createSichuanInstrument(input: $input) { id name } }', {
      token,
      variables: {
        input: {
          assetCode: `FAULT-${Date.now()}`, name: 'Written before the restart', nameZh: '重启前写入', category: 'NMR', institution: 'Fault Test Institute',
          hourlyFee: 100, services: ['TESTING'], openFromHour: 8, openToHour: 18, minBookingMinutes: 30, maxBookingMinutes: 240,
        },
      },
    });
    expect(created.body.errors).toBeUndefined();
    const instrumentId = created.body.data.createSichuanInstrument.id as string;

    await system.stopPostgres('sichuan');
    try {
      const { status, body } = await graphql(url, BOTH);
      expect(status).toBe(200);
      expect(body.data.chongqing.instruments.totalCount).toBeGreaterThan(0);
      expect(body.data.sichuan).toBeNull();
      expect(body.errors).toHaveLength(1);
      const error = body.errors![0]!;
      expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'sichuan' });
      expect(error.message).toBe('The database behind this service is unavailable or busy; retry shortly.');
      expect(JSON.stringify(body)).not.toMatch(/SELECT|stacktrace|\.ts:\d+|ECONNREFUSED|127\.0\.0\.1|shuangcheng_sichuan/);
      // Its readiness says why, so a load balancer stops sending it traffic.
      const readiness = await fetch(new URL('/health/ready', system.description.subgraphUrls.sichuan));
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toEqual({ status: 'not ready', checks: { database: 'down' } });
    } finally {
      await system.startPostgres('sichuan');
    }

    const recovered = await until('Sichuan answering again', async () => {
      const response = await graphql(url, 'query($id: ID!) { sichuan { instrument(id: $id) { id name } } }', { variables: { id: instrumentId } });
      return response.body.errors ? undefined : response;
    });
    expect(recovered.body.data.sichuan.instrument).toEqual({ id: instrumentId, name: 'Written before the restart' });
    expect((await fetch(new URL('/health/ready', system.description.subgraphUrls.sichuan))).status).toBe(200);
    expect(system.pids()['sichuan']).toBe(sichuanPid);
  }, 60_000);
});

describe('the supergraph file swapped under a running gateway', () => {
  const original = () => readFileSync(SUPERGRAPH_FILE, 'utf8');
  const withMarker = (marker: string) => original().replace(/^type SichuanRegistry$/m, `"""${marker}"""\ntype SichuanRegistry`);
  /** Writes beside the file and renames over it, as deploy tools do. */
  const replaceFile = (text: string) => {
    writeFileSync(`${supergraphFile}.next`, text);
    renameSync(`${supergraphFile}.next`, supergraphFile);
  };
  const served = async () => (await graphql(url, '{ __type(name: "SichuanRegistry") { description } }')).body.data.__type.description as string | null;
  const rejections = () => gatewayLog().filter((line) => line.msg === 'supergraph rejected; the last good one keeps serving');

  it('serves a new valid version without a restart, and requests in flight during the swap complete', async () => {
    const gatewayPid = system.pids()['gateway'];
    let swapped = false;
    const alongside = load(4, () => swapped);
    await whileQueryInFlight(async () => {
      replaceFile(withMarker('Version two'));
      await until('the new supergraph served', async () => ((await served()) === 'Version two' ? true : undefined), 10_000);
    }).finally(() => (swapped = true));
    for (const outcome of await alongside) {
      expect(outcome.failure).toBeUndefined();
      expect(outcome.response!.body.errors).toBeUndefined();
    }
    // The log reaches its file through a pipe, a moment after the change is served.
    const reloaded = await until('the reload in the log', async () => gatewayLog().filter((line) => line.msg === 'supergraph reloaded').at(-1));
    expect(reloaded).toMatchObject({ trigger: 'file change', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(system.pids()['gateway']).toBe(gatewayPid);
  }, 30_000);

  it('rejects an invalid version with a log line and keeps serving the last good one, on a file change and on SIGHUP', async () => {
    replaceFile(`${withMarker('Broken version')}\ntype Broken {`);
    await until('the rejection in the log', async () => (rejections().length === 1 ? true : undefined));
    expect(rejections()[0]).toMatchObject({ level: 50, trigger: 'file change', reason: expect.stringMatching(/Syntax Error/) });
    expect(await served()).toBe('Version two');
    expect((await graphql(url, BOTH)).body.errors).toBeUndefined();

    process.kill(system.pids()['gateway']!, 'SIGHUP');
    await until('the rejection after SIGHUP', async () => (rejections().length === 2 ? true : undefined));
    expect(rejections()[1]).toMatchObject({ trigger: 'signal' });
    expect(await served()).toBe('Version two');
  }, 30_000);

  it('reloads on SIGHUP', async () => {
    replaceFile(withMarker('Version three'));
    await until('version three served', async () => ((await served()) === 'Version three' ? true : undefined));
    const unchangedBefore = gatewayLog().filter((line) => line.msg === 'supergraph unchanged').length;
    process.kill(system.pids()['gateway']!, 'SIGHUP');
    const unchanged = await until('the reload on SIGHUP', async () => gatewayLog().filter((line) => line.msg === 'supergraph unchanged')[unchangedBefore]);
    expect(unchanged).toMatchObject({ trigger: 'signal' });
    // The gateway is still there: Node's default for SIGHUP would have ended it.
    expect((await graphql(url, BOTH)).status).toBe(200);
    replaceFile(original());
    await until('the original supergraph served', async () => ((await served()) === null ? true : undefined));
  }, 30_000);
});

describe('SIGTERM in the middle of a request', () => {
  /** A request held in flight by a lock, SIGTERM to `service`, then the lock let go: the request must finish and the process exit 0. */
  async function terminateMidRequest(service: 'chongqing' | 'gateway', serviceUrl: string) {
    let stopping: Promise<unknown> | undefined;
    await whileQueryInFlight(async () => {
      stopping = system.stopService(service);
      await until(`${service} refusing new connections`, async () => ((await refusesConnections(serviceUrl)) ? true : undefined), 10_000);
    });
    expect(await stopping).toEqual({ code: 0, signal: null });
  }

  it('a subgraph finishes the request, refuses new connections meanwhile, closes its pool and exits 0', async () => {
    await terminateMidRequest('chongqing', system.description.subgraphUrls.chongqing);
    await system.startService('chongqing');
    // Back in full once the gateway's probe has seen it ready again (its circuit may have opened meanwhile).
    await until('a full Chongqing answer again', async () => ((await graphql(url, CHONGQING_ONLY)).body.errors ? undefined : true));
  }, 60_000);

  it('the gateway finishes the request, refuses new connections meanwhile and exits 0', async () => {
    await terminateMidRequest('gateway', url);
  }, 40_000);
});
