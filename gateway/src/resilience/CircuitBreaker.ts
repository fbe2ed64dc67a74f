export type CircuitState = 'closed' | 'open' | 'half-open';

export const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half-open'];

export interface CircuitBreakerOptions {
  /** Consecutive outages that open the circuit; 0 never opens it. */
  readonly failureThreshold: number;
  /** While open, how long between two probes of the subgraph. */
  readonly probeIntervalMs: number;
  /** Asks the subgraph, off the request path, whether it is back (its `/health/ready`). */
  readonly probe: () => Promise<boolean>;
  readonly onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

/**
 * One subgraph's circuit: closed (requests pass), open (requests fail at once,
 * a timer probes the subgraph in the background), half-open (the probe said
 * it is back; the next outcome decides).
 *
 * Hand-written rather than opossum: opossum's half-open state lets a client's
 * own request be the trial, so a subgraph that hangs still costs somebody a
 * whole timeout, and it wraps each call in timeouts and rolling windows that
 * duplicate the fetcher's. Here no client request is ever the probe.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveOutages = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get state(): CircuitState {
    return this.current;
  }

  /** False while open: the caller fails the request without sending it. */
  allowsRequest(): boolean {
    return this.current !== 'open';
  }

  /** The subgraph answered (whatever it answered: a refusal is still an answer). */
  recordAnswer(): void {
    this.consecutiveOutages = 0;
    if (this.current === 'half-open') this.moveTo('closed');
  }

  recordOutage(): void {
    this.consecutiveOutages += 1;
    const threshold = this.options.failureThreshold;
    if (threshold === 0 || this.current === 'open') return;
    // Half-open means "probably back": one outage is enough to say it is not.
    if (this.current === 'half-open' || this.consecutiveOutages >= threshold) this.open();
  }

  /** Stops probing (the gateway is shutting down). */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.probeTimer);
  }

  private open(): void {
    this.moveTo('open');
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.disposed) return;
    this.probeTimer = setTimeout(() => {
      this.options.probe().then(
        (ready) => (ready ? this.moveTo('half-open') : this.scheduleProbe()),
        () => this.scheduleProbe(),
      );
    }, this.options.probeIntervalMs);
    // A probe must never keep a stopping process alive.
    this.probeTimer.unref();
  }

  private moveTo(state: CircuitState): void {
    const previous = this.current;
    if (previous === state || this.disposed) return;
    this.current = state;
    if (state !== 'open') this.consecutiveOutages = 0;
    this.options.onStateChange?.(state, previous);
  }
}
