import type { Scale } from '../data/generateData';
import type { HostileResult } from '../hostile/measureHostileRequests';
import type { ShapingResult } from '../shaping/measureResponseShaping';
import type { EventDeliveryResult } from '../events/measureEventDelivery';
import type { RegistryFileTiming } from '../registryFiles/measureRegistryFiles';
import type { EvaluationExportTiming } from '../evaluationExport/measureEvaluationExport';
import type { HiveComparison } from '../hive/compareHiveGateway';
import type { LoadResult } from '../load/runLoad';
import type { BenchOptions } from '../options';
import type { Scenario } from '../scenarios/createScenarios';
import type { MachineDescription } from './describeMachine';

export interface ScenarioResult {
  readonly scenario: Pick<Scenario, 'key' | 'title' | 'target' | 'operation'>;
  readonly runs: readonly LoadResult[];
  /** Set when the scenario's first request already failed and no load was sent. */
  readonly failure?: string;
}

export interface ScalingPoint {
  readonly instruments: number;
  /** The two-province search. */
  readonly runs: readonly LoadResult[];
  /** Instruments by global id, spread over the table at this size (absent in reports from before it was measured). */
  readonly globalIdRuns?: readonly LoadResult[];
}

export interface BenchReport {
  readonly options: BenchOptions;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly machineBefore: MachineDescription;
  readonly loadAverageAfter: readonly number[];
  /** Rows per province in the main suite (bench rows plus the demo registry). */
  readonly rows: Readonly<Record<string, number>>;
  readonly generationSeconds: Readonly<Record<string, number>>;
  readonly suite: readonly ScenarioResult[];
  readonly scaling: readonly ScalingPoint[];
  /** Hostile requests sent to an in-process gateway (hostile/measureHostileRequests.ts). */
  readonly hostile: readonly HostileResult[];
  /** The same answers shaped by @apollo/gateway's computeResponse and by the gateway's shapeResponse, in the bench process. */
  readonly shaping?: readonly ShapingResult[];
  /** The kernel's high-water mark of the gateway's resident memory over the whole run. */
  readonly gatewayPeakRssMiB: number | null;
  /** Webhook delivery (events/measureEventDelivery.ts); null when not measured. */
  readonly events?: EventDeliveryResult | null;
  /** Registry files (issue 12): a generated file imported and the registry exported (registryFiles/measureRegistryFiles.ts). */
  readonly registryFiles: readonly RegistryFileTiming[];
  /** The evaluation's streamed CSV and XLSX exports (evaluationExport/measureEvaluationExport.ts); empty when not measured. */
  readonly evaluationExport?: readonly EvaluationExportTiming[];
  /** The gateway against Hive Gateway on the joint-lab scenario (hive/compareHiveGateway.ts); null when not measured. */
  readonly hive?: HiveComparison | null;
}

export interface Goal {
  readonly goal: string;
  readonly met: boolean | null;
  readonly figure: string;
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ms = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(1));
/** Other work above this share of the machine's CPU marks a run (and the report) as disturbed. */
const BUSY_SHARE = 0.1;
/** A machine slower than this (its speed probe against its best in the run) marks a run as disturbed too. */
const SLOW = 1.25;
const pct = (share: number) => `${Math.round(share * 100)} %`;
const other = (run: LoadResult) => {
  const share = run.otherWork === null ? '–' : pct(run.otherWork);
  const slow = run.slowdown > SLOW ? `, ${run.slowdown.toFixed(1)}× slower` : '';
  return `${share}${slow}${(run.otherWork ?? 0) > BUSY_SHARE || run.slowdown > SLOW ? ' (busy)' : ''}`;
};
/** The processes of the system whose CPU per request the report shows, in the order a request reaches them. */
const CPU_PROCESSES = ['gateway', 'platform', 'sichuan', 'chongqing', 'postgres'] as const;
const cpu = (run: LoadResult, service: string) => (run.cpuMsPerRequest[service] === undefined ? '–' : run.cpuMsPerRequest[service]!.toFixed(2));

/** The scenarios of the scaling series: a title and its runs at a point. */
const SCALING_SCENARIOS: readonly (readonly [string, (point: ScalingPoint) => readonly LoadResult[]])[] = [
  ['search', (point) => point.runs],
  ['global-id lookup', (point) => point.globalIdRuns ?? []],
];

/** The goals of issues #6 and #16, judged on this run's figures. */
export function judgeGoals(report: BenchReport): Goal[] {
  const goals: Goal[] = [];
  const at = (key: string, connections: number) =>
    report.suite.find((result) => result.scenario.key === key)?.runs.find((run) => run.connections === connections);

  const maxConnections = Math.max(...report.options.connections);
  const overheadAt = (connections: number) => {
    const gateway = at('searchGateway', connections);
    const direct = at('searchDirect', connections);
    return gateway && direct ? gateway.requestsPerSecond / direct.requestsPerSecond : null;
  };
  const ratio = overheadAt(maxConnections);
  goals.push({
    goal: `gateway overhead ratio ≥ 0.7 (same Sichuan search, ${maxConnections} connections)`,
    met: ratio === null ? null : ratio >= 0.7,
    figure: ratio === null ? 'not measured' : `${fmt(ratio, 2)} (${fmt(at('searchGateway', maxConnections)!.requestsPerSecond, 0)} / ${fmt(at('searchDirect', maxConnections)!.requestsPerSecond, 0)} req/s)`,
  });

  const atMax = report.suite.flatMap((result) => result.runs.filter((run) => run.connections === maxConnections));
  const failed = report.suite.filter((result) => result.failure);
  const errorsAtMax = atMax.reduce((sum, run) => sum + run.errors, 0);
  goals.push({
    goal: `zero errors at ${maxConnections} connections`,
    met: failed.length === 0 && atMax.length > 0 ? errorsAtMax === 0 : failed.length > 0 ? false : null,
    figure: failed.length > 0 ? `${failed.length} scenario(s) failed outright` : `${errorsAtMax} errors in ${atMax.reduce((sum, run) => sum + run.requests, 0)} requests`,
  });

  const smallest = report.scaling.at(0);
  const largest = report.scaling.at(-1);
  if (smallest && largest && smallest !== largest) {
    for (const [title, runsOf] of SCALING_SCENARIOS) {
      const parts: string[] = [];
      let met = true;
      for (const small of runsOf(smallest)) {
        const large = runsOf(largest).find((run) => run.connections === small.connections);
        if (!large) continue;
        const growth = { mean: large.latencyMs.mean / small.latencyMs.mean, p99: large.latencyMs.p99 / small.latencyMs.p99 };
        met &&= growth.mean <= 1.5 && growth.p99 <= 1.5;
        parts.push(`${small.connections} conn: mean ${ms(large.latencyMs.mean)} / ${ms(small.latencyMs.mean)} ms = ${fmt(growth.mean, 2)}×, p99 ${ms(large.latencyMs.p99)} / ${ms(small.latencyMs.p99)} ms = ${fmt(growth.p99, 2)}×`);
      }
      goals.push({
        goal: `${title} latency at ${largest.instruments.toLocaleString('en')} instruments ≤ 1.5× at ${smallest.instruments.toLocaleString('en')} (mean and p99)`,
        met: parts.length ? met : null,
        figure: parts.join('; ') || 'not measured',
      });
    }
  } else {
    goals.push({ goal: 'search and global-id latency at the largest scaling size ≤ 1.5× at the smallest', met: null, figure: 'no scaling series in this run' });
  }

  if (report.hive) {
    const { hive } = report;
    // A gateway that answered nothing within its rounds gives no ratio: that count is left out, not counted as met.
    const ratios = hive.byConnections
      .filter((entry) => entry.ours.requestsPerSecond > 0 && entry.hive.requestsPerSecond > 0)
      .map((entry) => ({ connections: entry.connections, ratio: entry.ours.requestsPerSecond / entry.hive.requestsPerSecond, entry }));
    goals.push({
      goal: 'cross-province query with entity fetches ≥ 2× Hive Gateway\'s throughput (interleaved rounds, no deduplication)',
      met: hive.mismatch ? false : ratios.length ? ratios.every(({ ratio }) => ratio >= 2) : null,
      figure: hive.mismatch
        ? 'the answers differ'
        : ratios.map(({ connections, ratio, entry }) => `${connections} conn: ${fmt(entry.ours.requestsPerSecond, 0)} / ${fmt(entry.hive.requestsPerSecond, 0)} req/s = ${fmt(ratio, 2)}×`).join('; ') || 'not measured',
    });
  }

  const dashboard = at('dashboard', 10);
  goals.push({
    goal: 'dashboard query p99 < 100 ms at 10 connections',
    met: dashboard ? dashboard.latencyMs.p99 < 100 && dashboard.errors === 0 : null,
    figure: dashboard ? `p99 ${ms(dashboard.latencyMs.p99)} ms (${dashboard.errors} errors)` : 'not measured',
  });
  return goals;
}

/** The comparison with Hive Gateway: each gateway's rounds together, then every round as measured. */
function renderHiveComparison(hive: HiveComparison): string[] {
  const lines = [
    '', '### The gateway and Hive Gateway', '',
    `${hive.scenarioTitle}, sent to the gateway and to Hive Gateway ${hive.hiveVersion} (\`@graphql-hive/gateway\`, installed for the bench only in ` +
      '`bench/hiveGateway/`), each its own Node process on the same supergraph file and the same subgraphs and database, ' +
      `NODE_ENV=${hive.nodeEnv} for both. Hive Gateway presents the gateway secret to every subgraph, as the gateway does. Neither deduplicates ` +
      'requests: the gateway runs with `SUBGRAPH_DEDUPLICATION=false`, Hive Gateway without inbound deduplication and with its HTTP executor\'s ' +
      '`deduplicateInflightRequests: false`. Clients send the full query text to both. Rounds alternate (ours, Hive, ours, Hive…), each with its ' +
      'own warm-up; throughput is the rounds\' mean, p50 and p99 their median, CPU per request over all rounds ("gateway" is the gateway under test).',
    '',
    hive.mismatch
      ? `**The answers differ, so no load was sent:** ${hive.mismatch.replace(/\s+/g, ' ').replace(/`/g, "'").slice(0, 600)}`
      : `Before any load, the same ${hive.checkedRequests} requests (every lab the scenario rotates through) were sent to both: every answer was the same JSON text.`,
  ];
  if (hive.probes.length) {
    lines.push('', 'Also sent once to both, to see what else Hive Gateway answers the same on this supergraph (not judged):', '');
    for (const probe of hive.probes) lines.push(`* ${probe.title}: ${probe.outcome.replace(/\s+/g, ' ').replace(/`/g, "'").slice(0, 400)}`);
  }
  if (hive.byConnections.length === 0) return lines;
  const processes = ['gateway', 'platform', 'sichuan', 'chongqing', 'postgres'];
  lines.push(
    '',
    `| conns | gateway | req/s | p50 ms | p99 ms | errors | ${processes.map((name) => `${name} CPU ms/req`).join(' | ')} | whole system |`,
    `| ---: | --- | ---: | ---: | ---: | ---: | ${processes.map(() => '---:').join(' | ')} | ---: |`,
  );
  for (const entry of hive.byConnections) {
    for (const [name, summary] of [['ours', entry.ours], ['Hive Gateway', entry.hive]] as const) {
      const whole = processes.reduce((sum, process) => sum + (summary.cpuMsPerRequest[process] ?? 0), 0);
      lines.push(
        `| ${entry.connections} | ${name} | ${fmt(summary.requestsPerSecond, 0)} | ${ms(summary.p50)} | ${ms(summary.p99)} | ${summary.errors} | ` +
          `${processes.map((process) => (summary.cpuMsPerRequest[process] === undefined ? '–' : summary.cpuMsPerRequest[process]!.toFixed(2))).join(' | ')} | ${whole.toFixed(2)} |`,
      );
    }
  }
  lines.push('', '| conns | throughput, ours / Hive | gateway CPU per request, Hive / ours |', '| ---: | ---: | ---: |');
  for (const entry of hive.byConnections) {
    const ours = entry.ours.cpuMsPerRequest['gateway'];
    const theirs = entry.hive.cpuMsPerRequest['gateway'];
    lines.push(`| ${entry.connections} | ${fmt(entry.ours.requestsPerSecond / entry.hive.requestsPerSecond, 2)}× | ${ours && theirs ? `${fmt(theirs / ours, 2)}×` : '–'} |`);
  }
  lines.push(
    '', 'Every round, in the order run (load average: the 1-minute figure `uptime` showed just after the round):', '',
    '| conns | round | gateway | req/s | p50 ms | p99 ms | errors | gateway CPU ms/req | load average | other CPU |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const entry of hive.byConnections) {
    for (const round of entry.rounds) {
      const { run } = round;
      lines.push(
        `| ${entry.connections} | ${round.round} | ${round.gateway === 'ours' ? 'ours' : 'Hive Gateway'} | ${fmt(run.requestsPerSecond, 0)} | ${ms(run.latencyMs.p50)} | ` +
          `${ms(run.latencyMs.p99)} | ${run.requests === 0 ? 'no answer within the run' : run.errors} | ${cpu(run, 'gateway')} | ${round.loadAverage} | ${other(run)} |`,
      );
    }
  }
  return lines;
}

/** The report as Markdown: machine, commands, every figure, and the goals. */
export function renderResults(report: BenchReport): string {
  const { options, machineBefore: machine } = report;
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  const scale = options.scale;
  const runs = [
    ...report.suite.flatMap((result) => result.runs),
    ...report.scaling.flatMap((point) => [...point.runs, ...(point.globalIdRuns ?? [])]),
    ...(report.hive?.byConnections.flatMap((entry) => entry.rounds.map((round) => round.run)) ?? []),
  ];
  const others = runs.map((run) => run.otherWork).filter((share): share is number => share !== null);
  const maxOther = others.length ? Math.max(...others) : null;
  const meanOther = others.length ? others.reduce((sum, share) => sum + share, 0) / others.length : null;
  const busy = runs.some((run) => (run.otherWork ?? 0) > BUSY_SHARE || run.slowdown > SLOW) || (maxOther === null && machine.loadAverage[0]! > 0.5);

  push(
    `# Benchmark results${options.quick ? ' (quick mode)' : ''}`,
    '',
    `Written by \`${options.command}\` on ${report.finishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC ` +
      `(${Math.round((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000)} s in all).`,
    '',
    '## Machine',
    '',
    `* ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, Node ${machine.node}, ${machine.os}.`,
    `* Everything on this one machine: embedded PostgreSQL, the platform, Sichuan and Chongqing subgraphs and the gateway ` +
      `(each its own process, started by the same launcher as \`npm start\`), and the load generator (autocannon, in the bench process), ` +
      'all on 127.0.0.1. The load generator competes with the system for the same cores. ' +
      (options.runtime === 'compiled'
        ? 'Services run the JavaScript `npm run build` compiled into `dist/`, as the image does (`--runtime source`: TypeScript through tsx, as `npm start`), '
        : 'Services run their TypeScript through tsx, as `npm start` does (the default `--runtime compiled` runs `dist/`, as the image does), ') +
      (options.serve === 'production'
        ? 'in production mode (`NODE_ENV=production`, readiness and metrics on admin ports; `--serve production`, the default), ' +
          'restarted so after a development start has migrated and loaded the demo data, with their defaults, '
        : 'in the development configuration `npm start` uses (`--serve development`: demo data loaded at start), with their defaults, ') +
      'logging at `info` (one JSON line per request); only the per-caller rate limit is off, as all load comes from one address. ' +
      (process.env['SUBGRAPH_DEDUPLICATION'] === 'false'
        ? 'Query deduplication is **off** (`SUBGRAPH_DEDUPLICATION=false`): every gateway request sends its own subgraph fetches.'
        : 'Query deduplication is on (the default): identical queries to a subgraph in flight at the same moment share one fetch, ' +
          'so identical requests under load (the dashboard scenario) cost the subgraphs less than one fetch each; ' +
          '`SUBGRAPH_DEDUPLICATION=false npm run bench` measures without it.'),
    `* Load average (1, 5, 15 min) before: ${machine.loadAverage.join(', ')}; after: ${report.loadAverageAfter.join(', ')}.` +
      (maxOther === null
        ? ''
        : ` Other work on the machine (processes that are not this benchmark or the system it started) used ${pct(meanOther!)} of the CPU ` +
          `during the measured runs on average, ${pct(maxOther)} at most (column "other CPU" below; "× slower" is a fixed CPU probe ` +
          'run before and after each run against its fastest time, which also catches a virtual machine slowed by its host).') +
      (busy ? ' **The machine was busy with other work during part of this run; the runs marked so are slower than on a quiet machine.**' : ''),
    '',
    '## Data',
    '',
    `Per province: ${scale.instruments.toLocaleString('en')} instruments, ${scale.labs.toLocaleString('en')} labs, ` +
      `${scale.talentCards.toLocaleString('en')} talent cards, ${scale.bookings.toLocaleString('en')} bookings (plus the demo registry), ` +
      `generated with set-based SQL from seed \`${options.seed}\` as each province's own role ` +
      `(${Object.entries(report.generationSeconds).map(([phase, seconds]) => `${phase}: ${fmt(seconds)} s`).join(', ')}).`,
    `Rows in Sichuan's database during the main suite: ${Object.entries(report.rows).map(([table, count]) => `${table} ${count.toLocaleString('en')}`).join(', ')}.`,
    '',
    '## How it was measured',
    '',
    `For each scenario and each number of concurrent connections (${options.connections.join(', ')}): ${options.warmupSeconds} s of warm-up, ` +
      `then ${options.durationSeconds} s measured` +
      (options.quick ? '. ' : '; a run during which other work used more than 10 % of the CPU, or the machine ran more than 1.25× slower than its best, is measured up to twice more and the least disturbed kept. ') +
      `Requests per second = answers / seconds. An error is a socket error or timeout (10 s), ` +
      'a non-2xx answer, or a 200 answer whose body carries GraphQL `errors`. ' +
      (options.persistedQueries
        ? 'Clients use automatic persisted queries (each query registered once, then only its SHA-256 is sent), through the gateway and directly alike.'
        : 'Clients send the full query text.'),
    '',
    '| scenario | conns | req/s | p50 ms | p90 ms | p99 ms | errors | gateway RSS MiB | gateway CPU ms/req | other CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const result of report.suite) {
    const where = result.scenario.target === 'gateway' ? '' : ' *(direct, no gateway)*';
    if (result.failure) {
      push(`| ${result.scenario.title}${where} | – | – | – | – | – | failed | – | – | – |`);
      continue;
    }
    for (const run of result.runs) {
      push(
        `| ${result.scenario.title}${where} | ${run.connections} | ${fmt(run.requestsPerSecond, 0)} | ${ms(run.latencyMs.p50)} | ` +
          `${ms(run.latencyMs.p90)} | ${ms(run.latencyMs.p99)} | ${run.errors} | ${run.peakRssMiB === null ? '–' : fmt(run.peakRssMiB, 0)} | ` +
          `${cpu(run, 'gateway')} | ${other(run)} |`,
      );
    }
  }
  push(
    '',
    '### CPU per request, by process',
    '',
    'CPU milliseconds each process spent per answered request during the measured run (user + system, from /proc; PostgreSQL with its ' +
      'backends). Unlike throughput, these hardly move when other work competes for the cores; "PostgreSQL share" is its part of the whole.',
    '',
    `| scenario | conns | ${CPU_PROCESSES.join(' | ')} | whole system | PostgreSQL share |`,
    `| --- | ---: | ${CPU_PROCESSES.map(() => '---:').join(' | ')} | ---: | ---: |`,
  );
  for (const result of report.suite) {
    for (const run of result.runs) {
      const whole = CPU_PROCESSES.reduce((sum, name) => sum + (run.cpuMsPerRequest[name] ?? 0), 0);
      const postgres = run.cpuMsPerRequest['postgres'];
      const share = postgres === undefined || whole === 0 ? '–' : pct(postgres / whole);
      push(`| ${result.scenario.title}${result.scenario.target === 'gateway' ? '' : ' *(direct)*'} | ${run.connections} | ${CPU_PROCESSES.map((name) => cpu(run, name)).join(' | ')} | ${whole.toFixed(2)} | ${share} |`);
    }
  }
  const failures = report.suite.filter((result) => result.failure || result.runs.some((run) => run.errorSamples.length));
  if (failures.length) {
    push('', 'First errors seen:', '');
    for (const result of failures) {
      const samples = result.failure ? [result.failure] : result.runs.flatMap((run) => run.errorSamples).slice(0, 3);
      for (const sample of samples) push(`* ${result.scenario.title}: \`${sample.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 300)}\``);
    }
  }

  push('', '### Gateway overhead', '', 'The same Sichuan search (first 20, keyword and category) through the gateway and straight to the Sichuan subgraph:', '');
  push(
    '| conns | through gateway req/s | direct req/s | ratio | gateway p50 ms | direct p50 ms | CPU ms/req via gateway: gateway + Sichuan | CPU ms/req direct: Sichuan |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const gatewayRuns = report.suite.find((result) => result.scenario.key === 'searchGateway')?.runs ?? [];
  const directRuns = report.suite.find((result) => result.scenario.key === 'searchDirect')?.runs ?? [];
  for (const gateway of gatewayRuns) {
    const direct = directRuns.find((run) => run.connections === gateway.connections);
    if (!direct) continue;
    push(
      `| ${gateway.connections} | ${fmt(gateway.requestsPerSecond, 0)} | ${fmt(direct.requestsPerSecond, 0)} | ` +
        `${fmt(gateway.requestsPerSecond / direct.requestsPerSecond, 2)} | ${ms(gateway.latencyMs.p50)} | ${ms(direct.latencyMs.p50)} | ` +
        `${cpu(gateway, 'gateway')} + ${cpu(gateway, 'sichuan')} | ${cpu(direct, 'sichuan')} |`,
    );
  }
  push('', `Peak resident memory of the gateway process over the whole run: ${report.gatewayPeakRssMiB === null ? 'not available' : `${fmt(report.gatewayPeakRssMiB, 0)} MiB`}.`);

  if (report.hive) push(...renderHiveComparison(report.hive));

  push('', '### Scaling of the search and the global-id lookup', '');
  if (report.scaling.length === 0) {
    push('Not run (quick mode or `--no-scaling`).');
  } else {
    push(
      'The two-province search (scenario 2) and the global-id lookup (scenario 4, 500 instruments of each province spread evenly over the ' +
        'whole table at each size, the provinces in turn) with only the number of instruments per province changed (labs as above; the points ' +
        'below the main scale are measured before talent cards and bookings are added, the points above it after). Each point is measured three ' +
        'times and the run with the lowest mean latency is kept, so a moment of other work on the machine does not decide the comparison; the ' +
        'system is warmed up for 10 s before the first point. Latencies have autocannon\'s 1 ms resolution, so the mean is the finer figure.',
      '',
      '| scenario | instruments per province | conns | req/s | mean ms | p50 ms | p90 ms | p99 ms | errors | CPU ms/req: gateway, sichuan, chongqing, postgres | other CPU |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const [title, runsOf] of SCALING_SCENARIOS) {
      for (const point of report.scaling) {
        for (const run of runsOf(point)) {
          push(
            `| ${title} | ${point.instruments.toLocaleString('en')} | ${run.connections} | ${fmt(run.requestsPerSecond, 0)} | ${ms(run.latencyMs.mean)} | ` +
              `${ms(run.latencyMs.p50)} | ${ms(run.latencyMs.p90)} | ${ms(run.latencyMs.p99)} | ${run.errors} | ` +
              `${['gateway', 'sichuan', 'chongqing', 'postgres'].map((name) => cpu(run, name)).join(', ')} | ${other(run)} |`,
          );
        }
      }
    }
    const smallest = report.scaling[0]!;
    const largest = report.scaling.at(-1)!;
    if (largest !== smallest) {
      push(
        '', `Growth from ${smallest.instruments.toLocaleString('en')} to ${largest.instruments.toLocaleString('en')} instruments per province (largest / smallest):`, '',
        '| scenario | conns | mean | p50 | p99 |', '| --- | ---: | ---: | ---: | ---: |',
      );
      for (const [title, runsOf] of SCALING_SCENARIOS) {
        for (const small of runsOf(smallest)) {
          const large = runsOf(largest).find((run) => run.connections === small.connections);
          if (!large) continue;
          const ratio = (key: 'mean' | 'p50' | 'p99') => `${fmt(large.latencyMs[key] / small.latencyMs[key], 2)}×`;
          push(`| ${title} | ${small.connections} | ${ratio('mean')} | ${ratio('p50')} | ${ratio('p99')} |`);
        }
      }
    }
  }

  push(
    '', '### Hostile requests (issue 17)', '',
    'Each sent 20 times to a gateway in the bench process, with the default limits and no subgraph behind it; the hold is the longest event-loop delay while it answered one (1 ms resolution).', '',
    '| request | body | answer | event-loop hold, max | median | mean response ms |', '| --- | --- | --- | --- | --- | --- |',
  );
  for (const result of report.hostile) {
    push(`| ${result.title} | ${(result.bodyBytes / 1024).toFixed(1)} KB | ${result.status} ${result.code} | ${ms(result.maxHoldMs)} ms | ${ms(result.medianHoldMs)} ms | ${ms(result.meanResponseMs)} |`);
  }

  if (report.shaping?.length) {
    push(
      '', '### Shaping answers in the gateway', '',
      "The same merged subgraph data shaped into the client's answer by `@apollo/gateway`'s `computeResponse` and by the gateway's " +
        '`shapeResponse` (gateway/src/execution/shapeResponse.ts), which replaces it: 300 answers a round, the rounds alternating, median ' +
        'of five after one to warm up, in the bench process before the system starts. Both answered the same text first.', '',
      '| answer | values | @apollo/gateway µs | gateway µs | ratio |', '| --- | ---: | ---: | ---: | ---: |',
    );
    for (const result of report.shaping) {
      push(`| ${result.answer} | ${result.values} | ${result.apolloMicros.toFixed(0)} | ${result.oursMicros.toFixed(0)} | ${(result.apolloMicros / result.oursMicros).toFixed(1)}× |`);
    }
  }

  if (report.events) {
    const { events } = report;
    push(
      '', '### Webhook delivery (issue 15)', '',
      'A receiver in the bench process, subscribed to Chongqing\'s `booking.requested`. Latency: booking requests one at a time, from the ' +
        'booking\'s answer to its signed event at the receiver (the worker is woken by the commit). Throughput: the subscription paused, ' +
        'a backlog booked by 10 callers, the subscription resumed (the worker finds it at its next poll, `WEBHOOK_POLL_MS`, 1 s) and drained ' +
        '(`WEBHOOK_CONCURRENCY`, 8 at once).', '',
      '| events | p50 ms | p95 ms | p99 ms | max ms | backlog | drained in | events/s | duplicates |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ${events.latencyEvents} | ${events.latencyMs.p50} | ${events.latencyMs.p95} | ${events.latencyMs.p99} | ${events.latencyMs.max} | ` +
        `${events.backlogEvents} | ${events.drainSeconds.toFixed(1)} s | ${events.eventsPerSecond.toFixed(0)} | ${events.duplicates} |`,
    );
  } else if (options.serve === 'production' && options.only.length === 0) {
    push(
      '', '### Webhook delivery (issue 15)', '',
      'Not measured: production sends webhooks to public https addresses only, never to a receiver on this machine; ' +
        '`npm run bench -- --serve development --only events` measures it.',
    );
  }
  if (report.registryFiles.length > 0) {
    push(
      '', '### Registry files (issue 12)', '',
      "A generated registry file imported into Sichuan's registry by `npm run import`'s code, in one transaction, then the whole registry exported; peak RSS is the bench process's, where the import runs.", '',
      '| step | rows | seconds | rows/s | CPU s (bench process) | file | peak RSS | outcome |', '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const step of report.registryFiles) {
      push(`| ${step.step} | ${step.rows.toLocaleString('en')} | ${fmt(step.seconds, 1)} | ${fmt(step.rows / step.seconds, 0)} | ${fmt(step.cpuSeconds, 1)} | ${fmt(step.fileMiB, 1)} MiB | ${fmt(step.peakRssMiB, 0)} MiB | ${step.outcome} |`);
    }
  }

  if (report.evaluationExport?.length) {
    push(
      '', '### Evaluation export', '',
      "Both provinces' annual evaluation downloaded from the gateway (`/reports/evaluation.csv`, `.xlsx`), read as it streams; the gateway walks every " +
        "instrument's page (100 a page) and writes each before asking for the next. RSS is the gateway process's, sampled while it wrote the file.", '',
      '| format | instruments | headers after | seconds | file | gateway RSS before | gateway peak RSS | outcome |', '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const step of report.evaluationExport) {
      push(`| ${step.format} | ${step.instruments.toLocaleString('en')} | ${fmt(step.firstByteSeconds, 2)} s | ${fmt(step.seconds, 1)} | ${fmt(step.fileMiB, 1)} MiB | ` +
        `${step.gatewayRssBeforeMiB === null ? '–' : `${fmt(step.gatewayRssBeforeMiB, 0)} MiB`} | ${step.gatewayPeakRssMiB === null ? '–' : `${fmt(step.gatewayPeakRssMiB, 0)} MiB`} | ${step.outcome} |`);
    }
  }

  push('', '## Goals (issue #6)', '', '| goal | met | this run |', '| --- | --- | --- |');
  for (const goal of judgeGoals(report)) push(`| ${goal.goal} | ${goal.met === null ? 'not measured' : goal.met ? 'yes' : '**no**'} | ${goal.figure} |`);

  push('', '## Reproduce', '', '```sh', 'npm install', options.command, '```', '');
  return lines.join('\n');
}
