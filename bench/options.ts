import { join } from 'node:path';
import type { Scale } from './data/generateData';
import type { ServiceRuntime } from '../scripts/system/childService';
import type { ScenarioKey } from './scenarios/createScenarios';

export interface BenchOptions {
  /** CI-sized: small registries, short runs, no scaling series; fails only on request errors. */
  readonly quick: boolean;
  readonly seed: string;
  readonly scale: Scale;
  /** Instruments per province for the scaling series of the search. */
  readonly scalingSizes: readonly number[];
  readonly connections: readonly number[];
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly persistedQueries: boolean;
  /** Only these scenarios (all when empty); `hostile` alone measures the hostile requests only, without starting the system; `events`, `import` and `export` name the webhook-delivery, registry-file and evaluation-export timings; `hive` the Hive Gateway comparison. */
  readonly only: readonly (ScenarioKey | 'hostile' | 'events' | 'import' | 'export' | 'hive')[];
  /** Rows of the generated registry file the import and export are timed with. */
  readonly importRows: number;
  /** Where the Markdown report goes. */
  readonly out: string;
  /** How the services run: `compiled` (default) builds `dist/` first and runs it as the image does; `source` runs TypeScript through tsx as `npm start` does. */
  readonly runtime: ServiceRuntime;
  /**
   * How the services are configured (launchSystem's `serve`): `production` (default), as a deployment runs them, after
   * a development start has loaded the demo data; `development`, as `npm start` runs them. Webhook delivery (`events`)
   * is measured in development only: production sends webhooks to public https addresses, never to this machine.
   */
  readonly serve: 'production' | 'development';
  /** Log the SQL statements PostgreSQL spent most time on in each run (`--statements`: pg_stat_statements loaded). */
  readonly statements: boolean;
  /** Folder for CPU profiles of every service (`--cpu-prof`), written when the system stops. */
  readonly cpuProfileDir: string | null;
  /**
   * Node and V8 options added to every service's command line (`--node-flags="--trace-gc-nvp"`), to look into one:
   * garbage-collection traces, V8's map log (profile/summarizeMapLog.ts). Never in a run whose figures are kept.
   */
  readonly nodeFlags: readonly string[];
  /** Compare the gateway with Hive Gateway on the joint-lab scenario (`--hive`; never by default, it needs its own install). */
  readonly hive: boolean;
  /** Rounds of each gateway in the comparison, in turn. */
  readonly hiveRounds: number;
  readonly hiveConnections: readonly number[];
  /** The command line, quoted in the report. */
  readonly command: string;
}

export const FULL_SCALE: Scale = { labs: 2_000, instruments: 50_000, talentCards: 20_000, bookings: 200_000 };
const QUICK_SCALE: Scale = { labs: 100, instruments: 2_000, talentCards: 500, bookings: 5_000 };

const USAGE = `npm run bench -- [--quick] [--seed S] [--duration SECONDS] [--warmup SECONDS] [--connections 1,10,50]
                   [--instruments N] [--labs N] [--cards N] [--bookings N]
                   [--scaling 1000,10000,100000 | --scale-series 1000,1000000 | --no-scaling]
                   [--hive] [--hive-rounds N] [--hive-connections 10,50]
                   [--only hive,hostile,import,export,dashboard,evaluation,evaluationPage,search,jointLab,globalId,booking,serviceRequest,voucher,searchGateway,searchDirect,events]
                   [--no-apq] [--import-rows N] [--runtime compiled|source] [--serve production|development]
                   [--out FILE] [--cpu-prof DIR] [--statements] [--node-flags="--trace-gc-nvp ..."]
BENCH_QUICK=1 is the same as --quick.`;

/** Reads the command line (and BENCH_QUICK); a bad argument stops with the usage. */
export function parseBenchOptions(argv: readonly string[], env: Record<string, string | undefined>, repoRoot: string): BenchOptions {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) fail(`unexpected argument "${arg}"`);
    // Split at the first "=" only: a value may hold more (--node-flags=--logfile=/tmp/v8.log).
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    if (inline !== undefined) args.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args.set(name, argv[(i += 1)]!);
    else args.set(name, true);
  }
  const known = [
    'quick', 'seed', 'duration', 'warmup', 'connections', 'instruments', 'labs', 'cards', 'bookings', 'scaling', 'no-scaling', 'scale-series',
    'hive', 'hive-rounds', 'hive-connections', 'only', 'no-apq', 'out', 'cpu-prof', 'import-rows', 'runtime', 'serve', 'statements', 'node-flags', 'help',
  ];
  for (const name of args.keys()) if (!known.includes(name)) fail(`unknown option --${name}`);
  if (args.has('help')) {
    console.log(USAGE);
    process.exit(0);
  }

  const quick = args.has('quick') || env['BENCH_QUICK'] === '1' || env['BENCH_QUICK'] === 'true';
  const base = quick ? QUICK_SCALE : FULL_SCALE;
  const int = (name: string, fallback: number) => {
    const value = args.get(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0) fail(`--${name} must be a whole number`);
    return number;
  };
  const seconds = (name: string, fallback: number) => {
    const value = args.get(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0) fail(`--${name} must be a number of seconds`);
    return number;
  };
  const list = (name: string, fallback: readonly number[]) => {
    const value = args.get(name);
    if (value === undefined) return fallback;
    if (value === true) fail(`--${name} needs a comma-separated list`);
    const numbers = String(value).split(',').map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n <= 0)) fail(`--${name} must list positive whole numbers`);
    return numbers;
  };
  const text = (name: string, fallback: string) => {
    const value = args.get(name);
    if (value === true) fail(`--${name} needs a value`);
    return value ?? fallback;
  };

  const only = args.has('only') ? text('only', '').split(',').filter(Boolean) as (ScenarioKey | 'hostile' | 'events' | 'import' | 'export' | 'hive')[] : [];
  const cpuProfileDir = args.has('cpu-prof') ? text('cpu-prof', '') : null;
  const runtime = text('runtime', 'compiled');
  if (runtime !== 'compiled' && runtime !== 'source') fail('--runtime must be compiled or source');
  const serve = text('serve', 'production');
  if (serve !== 'production' && serve !== 'development') fail('--serve must be production or development');
  if (serve === 'production' && (only as readonly string[]).includes('events')) fail('--only events needs --serve development: production sends webhooks to public https addresses only');
  return {
    quick,
    seed: text('seed', 'shuangcheng'),
    scale: { labs: int('labs', base.labs), instruments: int('instruments', base.instruments), talentCards: int('cards', base.talentCards), bookings: int('bookings', base.bookings) },
    scalingSizes: args.has('no-scaling') ? [] : list(args.has('scale-series') ? 'scale-series' : 'scaling', quick ? [] : [1_000, 10_000, 100_000]),
    hive: args.has('hive') || (only as readonly string[]).includes('hive'),
    hiveRounds: Math.max(1, int('hive-rounds', quick ? 1 : 3)),
    hiveConnections: list('hive-connections', [10, 50]),
    connections: list('connections', [1, 10, 50]),
    durationSeconds: seconds('duration', quick ? 1.5 : 10),
    warmupSeconds: seconds('warmup', quick ? 0.5 : 3),
    persistedQueries: !args.has('no-apq'),
    // The figure is 10,000 rows; the quick run keeps the same steps at a CI size.
    importRows: int('import-rows', quick ? 2_000 : 10_000),
    only,
    out: text('out', quick ? join(repoRoot, 'bench', 'out', 'results-quick.md') : join(repoRoot, 'bench', 'results.md')),
    runtime,
    serve,
    cpuProfileDir: cpuProfileDir || null,
    nodeFlags: args.has('node-flags') ? text('node-flags', '').split(/\s+/).filter(Boolean) : [],
    statements: args.has('statements'),
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' ') + (quick && !args.has('quick') ? ' (BENCH_QUICK=1)' : ''),
  };

  function fail(message: string): never {
    console.error(`${message}\n\n${USAGE}`);
    process.exit(2);
  }
}
