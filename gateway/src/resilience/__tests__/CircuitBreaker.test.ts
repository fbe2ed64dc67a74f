import { CircuitBreaker, type CircuitState } from '../CircuitBreaker';
import { until } from '../../../../test/support/until';

/** A breaker whose probe answers what `ready` says, recording every transition. */
function breakerWith(failureThreshold: number) {
  const transitions: string[] = [];
  const probe = { ready: false, calls: 0 };
  const breaker = new CircuitBreaker({
    failureThreshold,
    probeIntervalMs: 20,
    probe: async () => {
      probe.calls += 1;
      return probe.ready;
    },
    onStateChange: (state: CircuitState, previous: CircuitState) => transitions.push(`${previous}→${state}`),
  });
  return { breaker, transitions, probe };
}

describe('CircuitBreaker', () => {
  it('opens after the configured number of consecutive outages, not before', () => {
    const { breaker } = breakerWith(3);
    breaker.recordOutage();
    breaker.recordOutage();
    breaker.recordAnswer(); // an answer in between starts the count again
    breaker.recordOutage();
    breaker.recordOutage();
    expect(breaker.state).toBe('closed');
    breaker.recordOutage();
    expect(breaker.state).toBe('open');
    expect(breaker.allowsRequest()).toBe(false);
    breaker.dispose();
  });

  it('probes in the background while open, half-opens once the subgraph is ready, and closes on the next answer', async () => {
    const { breaker, transitions, probe } = breakerWith(1);
    breaker.recordOutage();
    await until('a second probe', () => probe.calls >= 2);
    expect(breaker.state).toBe('open');
    probe.ready = true;
    await until('the circuit half-open', () => breaker.state === 'half-open');
    expect(breaker.allowsRequest()).toBe(true);
    breaker.recordAnswer();
    expect(transitions).toEqual(['closed→open', 'open→half-open', 'half-open→closed']);
    breaker.dispose();
  });

  it('opens again on the first outage while half-open', async () => {
    const { breaker, probe } = breakerWith(5);
    for (let i = 0; i < 5; i += 1) breaker.recordOutage();
    probe.ready = true;
    await until('the circuit half-open', () => breaker.state === 'half-open');
    breaker.recordOutage();
    expect(breaker.state).toBe('open');
    breaker.dispose();
  });

  it('never opens with a threshold of 0', () => {
    const { breaker } = breakerWith(0);
    for (let i = 0; i < 100; i += 1) breaker.recordOutage();
    expect(breaker.state).toBe('closed');
  });

  it('stops probing once disposed', () => {
    // Fake timers: a probe that was still due would run when the clock passes it, so no waiting proves the absence.
    jest.useFakeTimers();
    try {
      const { breaker, probe } = breakerWith(1);
      breaker.recordOutage();
      breaker.dispose();
      jest.advanceTimersByTime(1_000);
      expect(probe.calls).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
