import { cacheReadiness, type ReadinessReport } from '../cacheReadiness';

const READY: ReadinessReport = { ready: true, checks: { database: 'up' } };

/** A check whose runs are counted and finished by the test. */
function controlledCheck() {
  const pending: ((report: ReadinessReport) => void)[] = [];
  let runs = 0;
  const check = () => {
    runs += 1;
    return new Promise<ReadinessReport>((resolve) => pending.push(resolve));
  };
  return { check, runs: () => runs, finish: (report: ReadinessReport = READY) => pending.splice(0).forEach((resolve) => resolve(report)) };
}

describe('cacheReadiness', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('lets every caller arriving during a check share it', async () => {
    const { check, runs, finish } = controlledCheck();
    let counted = 0;
    const readiness = cacheReadiness(check, { ttlMs: 1000, now, onCheck: () => (counted += 1) });
    const answers = Array.from({ length: 100 }, () => readiness());
    finish();
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 100 }, () => READY));
    expect(runs()).toBe(1);
    expect(counted).toBe(1);
  });

  it('answers from the last report until ttlMs has passed since it finished, then checks again', async () => {
    const { check, runs, finish } = controlledCheck();
    const readiness = cacheReadiness(check, { ttlMs: 1000, now });
    const first = readiness();
    clock += 5_000;
    finish();
    await first;
    clock += 999;
    expect(await readiness()).toBe(READY);
    expect(runs()).toBe(1);
    clock += 1;
    const second = readiness();
    expect(runs()).toBe(2);
    finish({ ready: false, checks: { database: 'down' } });
    expect(await second).toEqual({ ready: false, checks: { database: 'down' } });
  });

  it('with ttlMs 0 shares only a check in progress', async () => {
    const { check, runs, finish } = controlledCheck();
    const readiness = cacheReadiness(check, { ttlMs: 0, now });
    const together = [readiness(), readiness()];
    finish();
    await Promise.all(together);
    const next = readiness();
    finish();
    await next;
    expect(runs()).toBe(2);
  });

  it('reports a check that throws as not ready, and caches that too', async () => {
    let runs = 0;
    const readiness = cacheReadiness(async () => {
      runs += 1;
      throw new Error('pool closed');
    }, { ttlMs: 1000, now });
    expect(await readiness()).toEqual({ ready: false, checks: { error: 'pool closed' } });
    expect(await readiness()).toEqual({ ready: false, checks: { error: 'pool closed' } });
    expect(runs).toBe(1);
  });
});
