/** What a service's readiness check found: whether it should get traffic, and why. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, unknown>>;
}

export interface ReadinessCacheOptions {
  /** How long a finished check keeps answering; 0: callers share only a check in progress. */
  readonly ttlMs: number;
  /** Called each time a check really runs (counted in the metrics). */
  readonly onCheck?: () => void;
  /** The clock; tests pass their own. */
  readonly now?: () => number;
}

/**
 * A readiness check that costs the same however often it is asked: callers
 * arriving while a check runs share it (single flight), and its report
 * answers every caller for `ttlMs` after it finished. A check reads the
 * service's database (the gateway's, every subgraph's), so without this a
 * flood of readiness requests would load the databases that real requests
 * need. A check that throws reports not ready, and is cached the same way.
 */
export function cacheReadiness(check: () => Promise<ReadinessReport>, options: ReadinessCacheOptions): () => Promise<ReadinessReport> {
  const now = options.now ?? Date.now;
  let inFlight: Promise<ReadinessReport> | undefined;
  let last: { readonly report: ReadinessReport; readonly at: number } | undefined;
  return () => {
    if (last && now() - last.at < options.ttlMs) return Promise.resolve(last.report);
    if (!inFlight) {
      options.onCheck?.();
      inFlight = check()
        .catch((error: unknown): ReadinessReport => ({ ready: false, checks: { error: error instanceof Error ? error.message : String(error) } }))
        .then((report) => {
          last = { report, at: now() };
          inFlight = undefined;
          return report;
        });
    }
    return inFlight;
  };
}
