import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchSystem } from '../benchSystem';
import { runLoad, type LoadResult } from '../load/runLoad';
import type { Scenario } from '../scenarios/createScenarios';
import { ensureHiveGatewayInstalled, startHiveGateway } from './hiveGatewayProcess';
import { summarize, type GatewaySummary } from './summarizeRounds';

export type GatewayName = 'ours' | 'hive';

/** The gateway's default `SUPERGRAPH_FILE`, the committed supergraph. */
const SUPERGRAPH_FILE = join(__dirname, '..', '..', 'gateway', 'supergraph.graphql');

export interface GatewayRound {
  readonly gateway: GatewayName;
  readonly round: number;
  readonly run: LoadResult;
  /** 1-minute load average (as `uptime` shows it) just after the run. */
  readonly loadAverage: number;
}

export interface ConnectionsComparison {
  readonly connections: number;
  readonly rounds: readonly GatewayRound[];
  readonly ours: GatewaySummary;
  readonly hive: GatewaySummary;
}

export interface HiveComparison {
  readonly hiveVersion: string;
  readonly nodeEnv: string;
  readonly scenarioTitle: string;
  /** Distinct requests sent to both gateways before any load, and whether every answer was the same JSON. */
  readonly checkedRequests: number;
  /** The first difference between the answers; the comparison runs no load when there is one. */
  readonly mismatch: string | null;
  /** Other requests sent once to both, answers compared (no load): what else Hive Gateway serves the same on this supergraph. */
  readonly probes: readonly { readonly title: string; readonly outcome: string }[];
  readonly byConnections: readonly ConnectionsComparison[];
}

export interface HiveComparisonOptions {
  /** Sent once to both gateways before the load and reported, not judged. */
  readonly probes: readonly { readonly title: string; readonly scenario: Scenario }[];
  readonly connections: readonly number[];
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

/**
 * The same scenario against the gateway and Hive Gateway on the same
 * supergraph and the same subgraphs: first the same requests to both, whose
 * answers must be the same JSON, then rounds in turn (ours, Hive, ours, Hive…),
 * each warmed up, with the CPU per request of every process. The scenario's
 * requests go with their full text to both (no persisted queries).
 */
export async function compareWithHiveGateway(
  bench: BenchSystem,
  scenario: Scenario,
  options: HiveComparisonOptions,
  log: (message: string) => void,
): Promise<HiveComparison> {
  const deduplication = process.env['SUBGRAPH_DEDUPLICATION'];
  if (deduplication !== 'false') throw new Error(`the comparison needs the gateway started with SUBGRAPH_DEDUPLICATION=false (it is ${deduplication ?? 'unset, so on'})`);
  ensureHiveGatewayInstalled(log);
  const nodeEnv = environmentOf(bench.gatewayPid)['NODE_ENV'] ?? 'development';
  const hive = await startHiveGateway({
    supergraphFile: environmentOf(bench.gatewayPid)['SUPERGRAPH_FILE'] ?? SUPERGRAPH_FILE,
    subgraphUrls: bench.subgraphUrls,
    gatewaySecret: bench.system.gatewaySecret,
    nodeEnv,
  });
  log(`Hive Gateway ${hive.version} listening on ${hive.url} (pid ${hive.pid}, NODE_ENV=${nodeEnv}); comparing answers…`);
  try {
    const urls: Record<GatewayName, string> = { ours: bench.gatewayUrl, hive: hive.url };
    const probes = [];
    for (const probe of options.probes) {
      const { mismatch, requests } = await compareAnswers(probe.scenario, urls, 1);
      probes.push({ title: probe.title, outcome: mismatch ?? `the same JSON (${requests} request)` });
      log(`probe ${probe.title}: ${probes.at(-1)!.outcome.slice(0, 300)}`);
    }
    const checked = await compareAnswers(scenario, urls, 200);
    const base = { hiveVersion: hive.version, nodeEnv, scenarioTitle: scenario.title, checkedRequests: checked.requests, probes };
    if (checked.mismatch) {
      log(`Hive Gateway comparison: the answers differ, no load sent: ${checked.mismatch}`);
      return { ...base, mismatch: checked.mismatch, byConnections: [] };
    }
    log(`the same JSON from both gateways for ${checked.requests} requests; rounds in turn…`);
    const pids: Record<GatewayName, Record<string, number>> = {
      ours: bench.servicePids,
      hive: { ...bench.servicePids, gateway: hive.pid },
    };
    const byConnections: ConnectionsComparison[] = [];
    for (const connections of options.connections) {
      const rounds: GatewayRound[] = [];
      for (let round = 1; round <= options.rounds; round += 1) {
        for (const gateway of ['ours', 'hive'] as const) {
          const run = await runLoad(
            { url: urls[gateway], headers: scenario.headers(), body: plainBody(scenario) },
            { connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, cpuPids: pids[gateway] },
          );
          const loadAverage = Math.round(loadavg()[0]! * 100) / 100;
          rounds.push({ gateway, round, run, loadAverage });
          log(
            `${gateway.padEnd(4)} round ${round} ${String(connections).padStart(3)} conns: ${run.requestsPerSecond.toFixed(0).padStart(5)} req/s, ` +
              `p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ${run.errors} errors; gateway CPU ${(run.cpuMsPerRequest['gateway'] ?? NaN).toFixed(2)} ms/req; load ${loadAverage}` +
              (run.errorSamples[0] ? ` (${run.errorSamples[0].slice(0, 200)})` : ''),
          );
        }
      }
      const of = (gateway: GatewayName) => summarize(rounds.filter((entry) => entry.gateway === gateway).map((entry) => entry.run));
      byConnections.push({ connections, rounds, ours: of('ours'), hive: of('hive') });
    }
    return { ...base, mismatch: null, byConnections };
  } finally {
    await hive.stop();
  }
}

/**
 * Sends each distinct request of the scenario (one turn of its rotation, at most `limit`) to both gateways and compares
 * the parsed answers; an answer with `errors` counts as a difference too, as the load would count it as an error.
 */
async function compareAnswers(scenario: Scenario, urls: Record<GatewayName, string>, limit: number): Promise<{ requests: number; mismatch: string | null }> {
  const body = plainBody(scenario);
  const seen = new Set<string>();
  for (let i = 0; i < limit; i += 1) {
    const text = body();
    if (seen.has(text)) break;
    seen.add(text);
    const answers = await Promise.all(
      (['ours', 'hive'] as const).map(async (gateway) => {
        const response = await fetch(urls[gateway], { method: 'POST', headers: { 'content-type': 'application/json', ...scenario.headers() }, body: text });
        return { gateway, status: response.status, json: (await response.json()) as { data?: unknown; errors?: unknown } };
      }),
    );
    const [ours, hive] = answers as [typeof answers[0], typeof answers[0]];
    for (const answer of answers) {
      if (answer.status !== 200 || answer.json.errors) {
        return { requests: seen.size, mismatch: `${answer.gateway} answered HTTP ${answer.status} ${JSON.stringify(answer.json).slice(0, 400)} to ${text.slice(0, 300)}` };
      }
    }
    // The same JSON text: the same values in the same order.
    if (JSON.stringify(ours.json) !== JSON.stringify(hive.json)) {
      return { requests: seen.size, mismatch: `for ${text}: ours ${JSON.stringify(ours.json).slice(0, 300)} … Hive ${JSON.stringify(hive.json).slice(0, 300)}` };
    }
  }
  return { requests: seen.size, mismatch: null };
}

/** The scenario's bodies with the query text and without the persisted-query hash: Hive Gateway has no persisted queries configured here. */
function plainBody(scenario: Scenario): () => string {
  return () => {
    const { extensions: _extensions, ...rest } = JSON.parse(scenario.body()) as Record<string, unknown>;
    return JSON.stringify({ ...rest, query: scenario.operation });
  };
}

/** A process's environment, from /proc (empty where there is none). */
function environmentOf(pid: number): Record<string, string> {
  try {
    return Object.fromEntries(
      readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  } catch {
    return {};
  }
}
