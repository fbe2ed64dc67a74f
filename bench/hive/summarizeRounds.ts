import type { LoadResult } from '../load/runLoad';
import { median } from '../report/median';

/** One gateway's rounds at one number of connections, together. */
export interface GatewaySummary {
  /** Mean of the rounds' throughputs. */
  readonly requestsPerSecond: number;
  /** Median of the rounds' p50 and p99. */
  readonly p50: number;
  readonly p99: number;
  /** CPU ms per answered request by process over all rounds (the gateway under test counts as `gateway`). */
  readonly cpuMsPerRequest: Readonly<Record<string, number>>;
  readonly errors: number;
}

/** Rounds of one gateway as one figure each. */
export function summarize(runs: readonly LoadResult[]): GatewaySummary {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.cpuMsPerRequest)))];
  const cpuMsPerRequest = Object.fromEntries(
    names.map((name) => [name, runs.reduce((sum, run) => sum + (run.cpuMsPerRequest[name] ?? 0) * run.requests, 0) / Math.max(requests, 1)]),
  );
  return {
    requestsPerSecond: runs.reduce((sum, run) => sum + run.requestsPerSecond, 0) / Math.max(runs.length, 1),
    p50: median(runs.map((run) => run.latencyMs.p50)),
    p99: median(runs.map((run) => run.latencyMs.p99)),
    cpuMsPerRequest,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}
