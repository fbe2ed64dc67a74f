import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Client } from 'pg';
import { PROVINCE_KEYS } from '../shared/src';
import { startBenchSystem, type BenchSystem } from './benchSystem';
import { describeHostileResult, measureHostileRequests } from './hostile/measureHostileRequests';
import { describeShapingResult, measureResponseShaping } from './shaping/measureResponseShaping';
import { HISTORY_DAYS_AFTER, generateProvinceData, type Scale } from './data/generateData';
import { spreadInstrumentIds } from './data/generatedIds';
import { peakRssMiB } from './load/processMemory';
import { runLoad, type LoadResult } from './load/runLoad';
import { parseBenchOptions, type BenchOptions } from './options';
import { describeStatement, resetStatementStatistics, topStatements } from './load/statementStatistics';
import { waitUntilSettled } from './load/processCpu';
import { describeMachine } from './report/describeMachine';
import { judgeGoals, renderResults, type BenchReport, type ScalingPoint, type ScenarioResult } from './report/renderResults';
import { annualPeriod, createGlobalIdScenario, createScenarios, createSearchScenario, createSichuanJointLabScenario, type Scenario } from './scenarios/createScenarios';
import { measureEventDelivery, type EventDeliveryResult } from './events/measureEventDelivery';
import { loadScenarioInputs, login } from './scenarios/loadInputs';
import { prepareVoucherPayments } from './scenarios/voucherInputs';
import { measureRegistryFiles, type RegistryFileTiming } from './registryFiles/measureRegistryFiles';
import { measureEvaluationExport, type EvaluationExportTiming } from './evaluationExport/measureEvaluationExport';
import { compareWithHiveGateway, type HiveComparison } from './hive/compareHiveGateway';

const REPO_ROOT = join(__dirname, '..');
/** Connections of the scaling series: latency alone, and under load. */
const SCALING_CONNECTIONS = [1, 10];
/** Instruments of each province the scaling series' global-id lookups go to in turn. */
const SCALING_LOOKUPS = 500;
/** Each scaling point is measured this many times and the quietest run kept: the machine may be shared. */
const SCALING_REPEATS = 3;
/** A run during which other processes used more than this share of the CPU is measured again, up to DISTURBED_RETRIES times. */
const DISTURBED_SHARE = 0.1;
const DISTURBED_RETRIES = 2;
/** A run slowed by more than this factor (the machine's own speed probe) also counts as disturbed. */
const DISTURBED_SLOWDOWN = 1.25;
/** How far a run was from quiet: 0 when neither other work nor a slowed machine disturbed it. */
const disturbance = (run: LoadResult) =>
  Math.max(0, (run.otherWork ?? 0) - DISTURBED_SHARE) + Math.max(0, run.slowdown - DISTURBED_SLOWDOWN);
/** Load before the first measurement, so JIT compilation and cold caches do not count against the first point. */
const SYSTEM_WARMUP_SECONDS = 10;

/**
 * `npm run bench`: starts the system, fills both provinces, runs every
 * scenario at each number of connections, writes the report. Exits 1 when any
 * request failed (timings never fail it), 2 on bad arguments.
 */
async function main() {
  const options = parseBenchOptions(process.argv.slice(2), process.env, REPO_ROOT);
  const startedAt = new Date();
  const machineBefore = describeMachine();
  log(`machine: ${machineBefore.cores} cores, ${machineBefore.memoryGiB} GiB, Node ${machineBefore.node}; load average ${machineBefore.loadAverage.join(' ')}`);

  // First, while nothing else runs in this process: how long a hostile request holds the gateway's event loop.
  log('hostile requests against an in-process gateway with the default limits…');
  const hostile = await measureHostileRequests();
  for (const result of hostile) log(`hostile ${describeHostileResult(result)}`);
  if (options.only.length === 1 && options.only[0] === 'hostile') return;
  log('shaping answers: @apollo/gateway against the gateway, in this process…');
  const shaping = measureResponseShaping();
  for (const result of shaping) log(`shaping ${describeShapingResult(result)}`);

  if (options.hive) {
    // Neither gateway may share one fetch among identical requests in flight: Hive Gateway is configured so, ours by its variable.
    const deduplication = process.env['SUBGRAPH_DEDUPLICATION'];
    if (deduplication !== undefined && deduplication !== 'false') {
      console.error(`--hive compares the gateways without request deduplication: unset SUBGRAPH_DEDUPLICATION (it is "${deduplication}") or set it to false`);
      process.exit(2);
    }
    process.env['SUBGRAPH_DEDUPLICATION'] = 'false';
    log('--hive: the gateway runs with SUBGRAPH_DEDUPLICATION=false for the whole run');
  }
  if (options.runtime === 'compiled') {
    log('compiling the services (npm run build), to run them as the image does…');
    buildServices();
  }
  log(`starting the system (embedded PostgreSQL, platform, sichuan, chongqing, gateway; ${options.runtime === 'compiled' ? 'compiled JavaScript from dist/' : 'TypeScript through tsx'}; ` +
    `${options.serve === 'production' ? 'served in production mode after a development start loads the demo data' : 'development mode, as npm start'})…`);
  const bench = await startBenchSystem({ cpuProfileDir: options.cpuProfileDir, runtime: options.runtime, serve: options.serve, statements: options.statements, nodeFlags: options.nodeFlags });
  // Interrupted (Ctrl-C): stop the services and PostgreSQL instead of leaving them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the system…`);
      bench.stop().finally(() => process.exit(130));
    });
  }
  const generationSeconds: Record<string, number> = {};
  const scaling: ScalingPoint[] = [];
  let suite: ScenarioResult[] = [];
  let rows: Record<string, number> = {};
  let gatewayPeak: number | null = null;
  let events: EventDeliveryResult | null = null;
  let registryFiles: RegistryFileTiming[] = [];
  let evaluationExport: EvaluationExportTiming[] = [];
  let hive: HiveComparison | null = null;
  try {
    const sizes = [...new Set(options.scalingSizes)].sort((a, b) => a - b);
    const search = createSearchScenario(options.persistedQueries);
    const quietest = async (scenario: Scenario): Promise<LoadResult[]> => {
      const runs: LoadResult[] = [];
      for (const connections of SCALING_CONNECTIONS) {
        const tries: LoadResult[] = [];
        for (let i = 0; i < SCALING_REPEATS; i += 1) tries.push(...(await runScenario(bench, scenario, options, [connections])));
        runs.push(tries.reduce((best, run) => (run.latencyMs.mean < best.latencyMs.mean ? run : best)));
      }
      return runs;
    };
    const scalingPoint = async (instruments: number): Promise<ScalingPoint> => {
      // Ids spread over the whole table at this size, not only its first rows.
      const globalId = createGlobalIdScenario(spreadInstrumentIds(options.seed, instruments, SCALING_LOOKUPS), options.persistedQueries);
      return { instruments, runs: await quietest(search), globalIdRuns: await quietest(globalId) };
    };

    // Below the main scale: instruments only, before talent cards and bookings exist.
    let warm = false;
    for (const size of sizes.filter((n) => n < options.scale.instruments)) {
      await generate(bench, options, { ...options.scale, instruments: size, talentCards: 0, bookings: 0 }, `${size.toLocaleString('en')} instruments`, generationSeconds);
      if (!warm) {
        log(`warming the system up for ${SYSTEM_WARMUP_SECONDS} s…`);
        if (options.persistedQueries) await firstRequest(bench, search, true);
        await runLoad({ url: bench.gatewayUrl, headers: {}, body: search.body }, { connections: 10, durationSeconds: SYSTEM_WARMUP_SECONDS, warmupSeconds: 0 });
        warm = true;
      }
      scaling.push(await scalingPoint(size));
    }

    await generate(bench, options, options.scale, 'main scale', generationSeconds);
    rows = await countRows(bench);
    const inputs = await loadScenarioInputs(bench.gatewayUrl, bench.system.databaseUrls);
    // The voucher scenario's vouchers and charges, made only when it runs: each charge lasts 10,000 payments.
    const wanted = (key: string) => options.only.length === 0 || (options.only as readonly string[]).includes(key);
    const voucherPayments = wanted('voucher') ? await prepareVoucherPayments(bench.gatewayUrl, bench.system.databaseUrls, options.quick ? 50 : 200) : null;
    let researcherToken = '';
    const scenarios = createScenarios({
      ...inputs,
      voucherPayments,
      researcherToken: () => researcherToken,
      firstBookingDay: HISTORY_DAYS_AFTER + 30,
      runId: startedAt.getTime().toString(36),
      persistedQueries: options.persistedQueries,
    }).filter((scenario) => wanted(scenario.key));
    suite = [];
    for (const scenario of scenarios) {
      // A fresh sign-in before each scenario: access tokens live 15 minutes by default.
      researcherToken = await login(bench.gatewayUrl, 'li.wei');
      suite.push(await runSuiteScenario(bench, scenario, options));
    }
    if (options.hive) {
      log(`Hive Gateway comparison: Sichuan's joint labs with Chongqing's instruments, ${options.hiveRounds} round(s) of each gateway in turn at ${options.hiveConnections.join(', ')} connections…`);
      // The platform-routed forms, tried once each: the report says whether Hive Gateway answers them the same.
      const routed = createScenarios({
        ...inputs, voucherPayments: null, researcherToken: () => '', firstBookingDay: HISTORY_DAYS_AFTER + 30, runId: 'hive', persistedQueries: false,
      });
      const probes = (['jointLab', 'globalId'] as const).map((key) => {
        const scenario = routed.find((candidate) => candidate.key === key)!;
        return { title: `${scenario.title} (\`${/^(?:query|mutation)\s+(\w+)/.exec(scenario.operation)?.[1]}\`, routed by the platform)`, scenario };
      });
      hive = await compareWithHiveGateway(bench, createSichuanJointLabScenario(inputs.jointLabIds), {
        probes,
        connections: options.hiveConnections, rounds: options.hiveRounds, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds,
      }, log);
    }
    if (options.serve === 'development' && (options.only.length === 0 || options.only.includes('events'))) {
      log('webhook delivery: latency one booking at a time, then a paused backlog drained…');
      // Days after the booking scenario's (which starts 30 days after the generated history), within the 180 days one may book ahead.
      events = await measureEventDelivery(bench.gatewayUrl, inputs.bookable, {
        latencyEvents: options.quick ? 30 : 200,
        backlogEvents: options.quick ? 200 : 2_000,
        firstDay: HISTORY_DAYS_AFTER + 90,
        runId: startedAt.getTime().toString(36),
      });
      log(`events: latency p50 ${events.latencyMs.p50} ms, p99 ${events.latencyMs.p99} ms; ${events.backlogEvents} queued events drained at ${events.eventsPerSecond.toFixed(0)}/s`);
    }
    if (wanted('export')) {
      log('evaluation export: both provinces\' annual report as CSV and XLSX through the gateway…');
      evaluationExport = await measureEvaluationExport(bench.gatewayUrl, bench.gatewayPid, annualPeriod(), log);
    }
    if (sizes.includes(options.scale.instruments)) {
      scaling.push(await scalingPoint(options.scale.instruments));
    }

    for (const size of sizes.filter((n) => n > options.scale.instruments)) {
      await generate(bench, options, { ...options.scale, instruments: size }, `${size.toLocaleString('en')} instruments`, generationSeconds);
      scaling.push(await scalingPoint(size));
    }
    gatewayPeak = peakRssMiB(bench.gatewayPid);
    // Last: the import adds its rows to Sichuan's registry, which no load above should see.
    if (options.only.length === 0 || options.only.includes('import')) {
      log(`registry files: generating ${options.importRows.toLocaleString('en')} rows as CSV and XLSX, importing them into sichuan, exporting the registry…`);
      registryFiles = await measureRegistryFiles(bench.system.databaseUrls.sichuan, options.importRows, log);
    }
  } finally {
    log('stopping the system…');
    await bench.stop();
  }

  const report: BenchReport = {
    options,
    startedAt,
    finishedAt: new Date(),
    machineBefore,
    loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100),
    rows,
    generationSeconds,
    suite,
    scaling,
    hostile,
    shaping,
    gatewayPeakRssMiB: gatewayPeak,
    events,
    registryFiles,
    evaluationExport,
    hive,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, renderResults(report));
  log(`report written to ${relative(process.cwd(), options.out) || options.out}`);
  for (const goal of judgeGoals(report)) log(`goal: ${goal.goal}: ${goal.met === null ? 'not measured' : goal.met ? 'met' : 'NOT met'} — ${goal.figure}`);

  const errors = suite.reduce((sum, result) => sum + (result.failure ? 1 : 0) + result.runs.reduce((n, run) => n + run.errors, 0), 0) +
    scaling.reduce((sum, point) => sum + [...point.runs, ...(point.globalIdRuns ?? [])].reduce((n, run) => n + run.errors, 0), 0) +
    (hive ? (hive.mismatch ? 1 : 0) + hive.byConnections.reduce((sum, entry) => sum + entry.ours.errors + entry.hive.errors, 0) : 0);
  if (errors > 0) {
    console.error(`bench: ${errors} failed request(s); see ${options.out}`);
    process.exitCode = 1;
  }
}

async function generate(bench: BenchSystem, options: BenchOptions, scale: Scale, phase: string, seconds: Record<string, number>) {
  log(`generating ${phase}: ${JSON.stringify(scale)} per province…`);
  const started = Date.now();
  const now = new Date();
  const anchorDay = now.toISOString().slice(0, 10);
  // One province per core.
  await Promise.all(
    PROVINCE_KEYS.map((province) =>
      generateProvinceData(bench.system.databaseUrls[province], province, scale, { seed: options.seed, anchorDay, historyEnds: now, partnerReferenceSpan: Math.min(1_000, scale.instruments) }),
    ),
  );
  seconds[phase] = (Date.now() - started) / 1000;
}

async function runSuiteScenario(bench: BenchSystem, scenario: Scenario, options: BenchOptions): Promise<ScenarioResult> {
  const summary = { key: scenario.key, title: scenario.title, target: scenario.target, operation: scenario.operation };
  const failure = await firstRequest(bench, scenario, options.persistedQueries);
  if (failure) {
    log(`${scenario.key}: first request failed, no load sent: ${failure}`);
    return { scenario: summary, runs: [], failure };
  }
  const connections = options.connections.filter((count) => scenario.maxConnections === undefined || count <= scenario.maxConnections);
  return { scenario: summary, runs: await runScenario(bench, scenario, options, connections) };
}

async function runScenario(bench: BenchSystem, scenario: Scenario, options: BenchOptions, connections: readonly number[]): Promise<LoadResult[]> {
  if (options.persistedQueries) await firstRequest(bench, scenario, true);
  const runs: LoadResult[] = [];
  for (const count of connections) {
    const measure = async () => {
      await settle(bench, scenario.key);
      // Statements are counted from here: the last run measured is the one they describe.
      if (options.statements) await resetStatementStatistics(bench.system.postgresAdminUrl);
      return runLoad(
        { url: urlOf(bench, scenario), headers: scenario.headers(), body: scenario.body },
        { connections: count, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, watchPid: bench.gatewayPid, cpuPids: bench.servicePids },
      );
    };
    let run = await measure();
    // Other work on a shared machine takes cores from the system under test: measure again, keep the least disturbed run.
    // Not in quick mode: its timings are not judged, only its errors.
    for (let retry = 0; !options.quick && retry < DISTURBED_RETRIES && disturbance(run) > 0; retry += 1) {
      log(`${scenario.key} at ${count} connections: other work took ${Math.round((run.otherWork ?? 0) * 100)} % of the CPU, machine ${run.slowdown.toFixed(2)}× slower than its best; measuring again`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const again = await measure();
      if (disturbance(again) < disturbance(run)) run = again;
    }
    log(
      `${scenario.key.padEnd(13)} ${String(count).padStart(3)} conns: ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s, ` +
        `p50 ${run.latencyMs.p50} ms, p90 ${run.latencyMs.p90} ms, p99 ${run.latencyMs.p99} ms, ${run.errors} errors; CPU ms/request ` +
        Object.entries(run.cpuMsPerRequest).map(([name, value]) => `${name} ${value.toFixed(2)}`).join(', ') +
        (run.errorSamples[0] ? ` (${run.errorSamples[0].slice(0, 200)})` : ''),
    );
    if (options.statements) {
      for (const statement of await topStatements(bench.system.postgresAdminUrl, Number(process.env.BENCH_TOP_STATEMENTS ?? 12))) log(`${scenario.key} statements: ${describeStatement(statement)}`);
    }
    runs.push(run);
  }
  return runs;
}

/** Lets the system finish the work it has left (waitUntilSettled) before a run is measured; says so when it had to wait. */
async function settle(bench: BenchSystem, key: string): Promise<void> {
  const { waitedMs, settled, lastShare } = await waitUntilSettled(Object.values(bench.servicePids));
  if (!settled) log(`${key}: the system still used ${Math.round(lastShare * 100)} % of a core after ${Math.round(waitedMs / 1000)} s; measuring anyway`);
  else if (waitedMs > 1_000) log(`${key}: waited ${(waitedMs / 1000).toFixed(1)} s for the system's own work to finish`);
}

/**
 * Sends the scenario's first request with its full query text, which also
 * registers the query for persisted-query requests. Returns what went wrong.
 */
async function firstRequest(bench: BenchSystem, scenario: Scenario, register: boolean): Promise<string | null> {
  const body = JSON.parse(scenario.body()) as Record<string, unknown>;
  const sent = register ? { ...body, query: scenario.operation } : { ...body, query: scenario.operation, extensions: undefined };
  try {
    const response = await fetch(urlOf(bench, scenario), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...scenario.headers() },
      body: JSON.stringify(sent),
    });
    const text = await response.text();
    if (!response.ok || text.includes('"errors"')) return `HTTP ${response.status}: ${text.slice(0, 400)}`;
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const urlOf = (bench: BenchSystem, scenario: Scenario) => (scenario.target === 'gateway' ? bench.gatewayUrl : bench.subgraphUrls.sichuan);

async function countRows(bench: BenchSystem): Promise<Record<string, number>> {
  const client = new Client({ connectionString: bench.system.databaseUrls.sichuan, application_name: 'shuangcheng-bench' });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of ['instruments', 'labs', 'talent_cards', 'bookings']) {
      counts[table] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

function log(message: string) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** `npm run build`: tsc to `dist/` and the SDL and data files beside it. */
function buildServices(): void {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.signal ?? `exit ${result.status}`}); the bench needs dist/ (or --runtime source)`);
}
