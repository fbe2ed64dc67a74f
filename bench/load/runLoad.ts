import autocannon from 'autocannon';
import { cpuSnapshot, otherWorkShare, slowdown } from './machineLoad';
import { treeCpuTimeMs } from './processCpu';
import { sampleRss } from './processMemory';

/** One request body (JSON text) per call: scenarios that need distinct requests make a new one each time. */
export type BodySource = () => string;

export interface LoadTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: BodySource;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  /** Seconds of load before the measured run, so JIT, plan caches and pools are warm; not recorded. */
  readonly warmupSeconds: number;
  /** Process whose resident memory is sampled during the measured run (the gateway). */
  readonly watchPid?: number;
  /** Processes whose CPU time per answered request is reported, by name; each counts with the processes below it. */
  readonly cpuPids?: Readonly<Record<string, number>>;
}

export interface LoadResult {
  readonly connections: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly mean: number; readonly max: number };
  /** Socket errors and timeouts, non-2xx answers, and 2xx answers whose body carries GraphQL `errors`. */
  readonly errors: number;
  /** The first few error answers, to say what went wrong. */
  readonly errorSamples: readonly string[];
  /** Highest resident memory of the watched process during the run, in MiB. */
  readonly peakRssMiB: number | null;
  /**
   * CPU milliseconds each watched process spent per answered request during
   * the measured run. Unlike throughput, this hardly moves when other work
   * competes for the cores.
   */
  readonly cpuMsPerRequest: Readonly<Record<string, number>>;
  /** Share of the machine's CPU that work other than this benchmark used during the measured run (0–1), where known. */
  readonly otherWork: number | null;
  /** How much slower than its best the machine ran a fixed probe both just before and just after the run (1 = full speed). */
  readonly slowdown: number;
}

/** Longest wait for one answer, in seconds: a request still waiting then counts as an error. */
const REQUEST_TIMEOUT_SECONDS = 10;

/**
 * Drives `target` with autocannon from this process (the system under test
 * runs in its own processes) and counts every kind of failure, GraphQL errors
 * in 200 answers included.
 */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await fire(target, options.connections, options.warmupSeconds);
  const sampler = options.watchPid === undefined ? null : sampleRss(options.watchPid);
  const cpuPids = Object.entries(options.cpuPids ?? {});
  const cpuBefore = cpuPids.map(([, pid]) => treeCpuTimeMs(pid));
  const slowBefore = await slowdown();
  const machineBefore = cpuSnapshot();
  const { result, graphqlErrors, samples } = await fire(target, options.connections, options.durationSeconds);
  const machineAfter = cpuSnapshot();
  const slowAfter = await slowdown();
  const cpuAfter = cpuPids.map(([, pid]) => treeCpuTimeMs(pid));
  const peakRssMiB = sampler ? sampler.stop() : null;
  const cpuMsPerRequest: Record<string, number> = {};
  cpuPids.forEach(([name], index) => {
    const before = cpuBefore[index];
    const after = cpuAfter[index];
    if (before != null && after != null && result.requests.total > 0) cpuMsPerRequest[name] = (after - before) / result.requests.total;
  });
  const seconds = Math.max(result.duration, 0.001);
  return {
    connections: options.connections,
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / seconds,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: result.latency.mean,
      max: result.latency.max,
    },
    errors: result.errors + result.non2xx + graphqlErrors,
    errorSamples: samples,
    peakRssMiB,
    cpuMsPerRequest,
    otherWork: otherWorkShare(machineBefore, machineAfter),
    // The lower of the two: a host that slows the machine shows in both, while the tail of the system's own work
    // (garbage collection, a vacuum) shows only in one.
    slowdown: Math.min(slowBefore, slowAfter),
  };
}

async function fire(target: LoadTarget, connections: number, durationSeconds: number) {
  let graphqlErrors = 0;
  const samples: string[] = [];
  const note = (text: string) => {
    if (samples.length < 5) samples.push(text.slice(0, 400));
  };
  // Without a callback autocannon returns an event emitter that is also a promise of the result.
  const instance = autocannon({
    url: target.url,
    connections,
    duration: durationSeconds,
    timeout: REQUEST_TIMEOUT_SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, body: target.body() }),
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && !body.includes('"errors"')) return;
          if (status >= 200 && status < 300) graphqlErrors += 1;
          note(`HTTP ${status}: ${body}`);
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('reqError', (error: Error) => note(`request error: ${error.message}`));
  const result = await instance;
  return { result, graphqlErrors, samples };
}
