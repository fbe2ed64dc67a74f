import { generatedId, spreadInstrumentIds } from '../data/generatedIds';
import { summarize } from '../hive/summarizeRounds';
import type { LoadResult } from '../load/runLoad';
import { parseBenchOptions } from '../options';

const parse = (argv: string[], env: Record<string, string> = {}) => parseBenchOptions(argv, env, '/repo');

describe('bench options for the Hive Gateway comparison and the scale series', () => {
  it('runs the comparison only when asked, also in quick mode, and the scale series at the sizes named', () => {
    expect(parse([]).hive).toBe(false);
    expect(parse(['--quick']).hive).toBe(false);
    const full = parse(['--hive', '--scale-series', '1000,1000000', '--out', 'bench/results-hive-and-scale.md']);
    expect(full).toMatchObject({ hive: true, hiveRounds: 3, hiveConnections: [10, 50], scalingSizes: [1_000, 1_000_000], out: 'bench/results-hive-and-scale.md' });
    expect(parse(['--only', 'hive']).hive).toBe(true);
    expect(parse(['--quick', '--hive', '--hive-rounds', '2', '--hive-connections', '10'])).toMatchObject({ hive: true, hiveRounds: 2, hiveConnections: [10] });
    expect(parse(['--quick', '--hive']).hiveRounds).toBe(1);
  });
});

describe('bench options: Node options for the services', () => {
  it('adds none by default, and keeps a value that holds "=" whole', () => {
    expect(parse([]).nodeFlags).toEqual([]);
    expect(parse(['--node-flags=--log-maps --logfile=/tmp/maps/v8.log', '--out=/tmp/a=b.md'])).toMatchObject({
      nodeFlags: ['--log-maps', '--logfile=/tmp/maps/v8.log'],
      out: '/tmp/a=b.md',
    });
  });
});

describe('bench options: how the services are served', () => {
  it('serves them in production by default, in development when asked, and measures webhooks only in development', () => {
    expect(parse([]).serve).toBe('production');
    expect(parse(['--quick']).serve).toBe('production');
    expect(parse(['--serve', 'development', '--only', 'events'])).toMatchObject({ serve: 'development', only: ['events'] });
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => parse(['--only', 'events'])).toThrow('exit 2');
      expect(error).toHaveBeenLastCalledWith(expect.stringMatching(/^--only events needs --serve development/));
      expect(() => parse(['--serve', 'staging'])).toThrow('exit 2');
      expect(error).toHaveBeenLastCalledWith(expect.stringMatching(/^--serve must be production or development/));
    } finally {
      exit.mockRestore();
      error.mockRestore();
    }
  });
});

describe('spreadInstrumentIds', () => {
  it('spreads the lookups evenly over the whole table, the provinces in turn', () => {
    const ids = spreadInstrumentIds('seed', 1_000_000, 500);
    expect(ids).toHaveLength(1_000);
    expect(new Set(ids).size).toBe(1_000);
    expect(ids[0]).toBe(`sc:instrument:${generatedId('seed', 'sichuan', 'instrument', 1)}`);
    expect(ids[1]).toBe(`cq:instrument:${generatedId('seed', 'chongqing', 'instrument', 1)}`);
    // Row 1 + 2,000 k for the k-th lookup: the last one is row 998,001, near the end of the table.
    expect(ids[2]).toBe(`sc:instrument:${generatedId('seed', 'sichuan', 'instrument', 2_001)}`);
    expect(ids.at(-1)).toBe(`cq:instrument:${generatedId('seed', 'chongqing', 'instrument', 998_001)}`);
  });

  it('looks each instrument up once when there are fewer than asked for', () => {
    const ids = spreadInstrumentIds('seed', 3, 500);
    expect(ids).toEqual([1, 2, 3].flatMap((n) => [`sc:instrument:${generatedId('seed', 'sichuan', 'instrument', n)}`, `cq:instrument:${generatedId('seed', 'chongqing', 'instrument', n)}`]));
  });
});

describe('summarize (one gateway\'s rounds)', () => {
  const run = (requests: number, requestsPerSecond: number, p50: number, p99: number, gatewayMs: number, errors = 0): LoadResult => ({
    connections: 10, requests, requestsPerSecond, latencyMs: { p50, p90: p99, p99, mean: p50, max: p99 }, errors, errorSamples: [],
    peakRssMiB: null, cpuMsPerRequest: { gateway: gatewayMs, postgres: 1 }, otherWork: 0, slowdown: 1,
  });

  it('averages throughput, takes the median latencies, and weighs CPU per request by the requests of each round', () => {
    const summary = summarize([run(1_000, 100, 10, 40, 2), run(3_000, 300, 30, 90, 4, 1), run(2_000, 200, 20, 50, 3)]);
    expect(summary.requestsPerSecond).toBe(200);
    expect(summary.p50).toBe(20);
    expect(summary.p99).toBe(50);
    // (1,000 × 2 + 3,000 × 4 + 2,000 × 3) / 6,000
    expect(summary.cpuMsPerRequest['gateway']).toBeCloseTo(20_000 / 6_000, 10);
    expect(summary.cpuMsPerRequest['postgres']).toBe(1);
    expect(summary.errors).toBe(1);
  });

  it('takes the middle of an even number of rounds', () => {
    expect(summarize([run(10, 1, 10, 40, 1), run(10, 1, 20, 60, 1)])).toMatchObject({ p50: 15, p99: 50 });
  });
});
