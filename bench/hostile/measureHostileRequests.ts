import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadGatewayConfig, startGateway } from '../../gateway/src';
import { freePort } from '../../scripts/system';
import { createLogger } from '../../shared/src';
import { HOSTILE_REQUESTS } from './hostileRequests';

export interface HostileResult {
  readonly key: string;
  readonly title: string;
  readonly bodyBytes: number;
  readonly status: number;
  /** The first error's code, or 'none'. */
  readonly code: string;
  /** Longest time the gateway's event loop was held while answering one such request, over every attempt. */
  readonly maxHoldMs: number;
  /** The median over attempts of each attempt's longest hold: less moved by other work on a shared machine. */
  readonly medianHoldMs: number;
  readonly meanResponseMs: number;
}

const ATTEMPTS = 20;
const WARMUP = 3;

/**
 * Sends each hostile request to a gateway running in this process, with the
 * default limits, and measures the longest event-loop hold while it answers
 * (perf_hooks' event-loop delay at 1 ms resolution). Nothing listens at the
 * subgraph addresses: a request the gateway refuses never reaches one, and one
 * it lets through fails fast there, so the figure is the gateway's own work.
 */
export async function measureHostileRequests(): Promise<HostileResult[]> {
  const unreachable = async () => `http://127.0.0.1:${await freePort()}/graphql`;
  const gateway = await startGateway(
    loadGatewayConfig({
      PORT: '0',
      SUPERGRAPH_WATCH: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      SUBGRAPH_RETRIES: '0',
      PLATFORM_URL: await unreachable(),
      SICHUAN_URL: await unreachable(),
      CHONGQING_URL: await unreachable(),
    }),
    createLogger('bench-hostile-gateway', 'fatal'),
  );
  try {
    const results: HostileResult[] = [];
    for (const request of HOSTILE_REQUESTS) {
      const send = async () => {
        const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request.body });
        const text = await response.text();
        return { status: response.status, code: /"code":"(\w+)"/.exec(text)?.[1] ?? 'none' };
      };
      for (let i = 0; i < WARMUP; i++) await send();
      const holds: number[] = [];
      let totalMs = 0;
      let last = { status: 0, code: 'none' };
      for (let i = 0; i < ATTEMPTS; i++) {
        const delay = monitorEventLoopDelay({ resolution: 1 });
        const started = performance.now();
        delay.enable();
        last = await send();
        delay.disable();
        totalMs += performance.now() - started;
        holds.push(delay.max / 1e6);
      }
      holds.sort((a, b) => a - b);
      results.push({
        key: request.key, title: request.title, bodyBytes: Buffer.byteLength(request.body), ...last,
        maxHoldMs: holds[holds.length - 1]!, medianHoldMs: holds[Math.floor(holds.length / 2)]!, meanResponseMs: totalMs / ATTEMPTS,
      });
    }
    return results;
  } finally {
    await gateway.close();
  }
}

/** One line per request, as the bench logs it. */
export function describeHostileResult(result: HostileResult): string {
  return `${result.key}: ${(result.bodyBytes / 1024).toFixed(1)} KB, HTTP ${result.status} ${result.code}, ` +
    `event-loop hold max ${result.maxHoldMs.toFixed(1)} ms (median ${result.medianHoldMs.toFixed(1)} ms), mean response ${result.meanResponseMs.toFixed(1)} ms`;
}
