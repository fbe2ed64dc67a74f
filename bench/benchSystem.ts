import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger, type ProvinceKey } from '../shared/src';
import type { ServiceRuntime } from '../scripts/system/childService';
import { launchSystem, type RunningSystem } from '../scripts/system/launchSystem';
import { postgresServers } from './load/processCpu';
import { STATEMENT_STATISTICS_SETTINGS } from './load/statementStatistics';

export interface BenchSystem {
  readonly system: RunningSystem;
  /** The gateway's GraphQL URL on 127.0.0.1: load goes to the loopback address only. */
  readonly gatewayUrl: string;
  readonly subgraphUrls: Readonly<Record<'platform' | ProvinceKey, string>>;
  readonly gatewayPid: number;
  /** Every service process, by name (gateway, platform, sichuan, chongqing), and the PostgreSQL server as `postgres`. */
  readonly servicePids: Readonly<Record<string, number>>;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * The whole system, started by the same launcher as `npm start` and served as `options.serve` says, on free ports
 * and a throw-away data folder under the system temp folder, which the `postgres` user can enter even when the
 * checkout cannot (CI runs as root).
 */
export async function startBenchSystem(options: {
  cpuProfileDir: string | null;
  runtime: ServiceRuntime;
  serve: 'production' | 'development';
  /** PostgreSQL keeps statement statistics (bench/load/statementStatistics.ts). */
  statements?: boolean;
  /** More Node options for every service (`--node-flags`). */
  nodeFlags?: readonly string[];
}): Promise<BenchSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shuangcheng-bench-'));
  chmodSync(dataDir, 0o755);
  // All load comes from one address, which the gateway's per-caller rate limit would throttle as one abusive client.
  process.env['RATE_LIMIT_PER_MINUTE'] ??= '0';
  // Likewise each kind of expensive field's budget: the booking scenario's one researcher books hundreds of slots a second.
  for (const variable of ['SIGN_INS_PER_MINUTE', 'BOOKINGS_PER_MINUTE', 'CARD_CHECKS_PER_MINUTE']) process.env[variable] ??= '0';
  // The booking scenario's one researcher requests thousands of slots: no cap on open bookings per person here.
  process.env['MAX_OPEN_BOOKINGS_PER_PERSON'] ??= '0';
  const previousNodeOptions = process.env['NODE_OPTIONS'];
  if (options.cpuProfileDir) {
    // Every service process inherits these; each writes its profile when it stops (see profile/cpuProfilePreload.cjs).
    const dir = resolve(options.cpuProfileDir);
    mkdirSync(dir, { recursive: true });
    process.env['BENCH_CPU_PROFILE_DIR'] = dir;
    process.env['NODE_OPTIONS'] = `${previousNodeOptions ?? ''} --require ${join(__dirname, 'profile', 'cpuProfilePreload.cjs')}`.trim();
  }
  let system: RunningSystem;
  try {
    system = await launchSystem({
      dataDir,
      // The production default: every service writes its one log line per request, as it would in service.
      logLevel: 'info',
      runtime: options.runtime,
      serve: options.serve,
      logger: createLogger('bench', 'warn'),
      ports: { gateway: 0, platform: 0, sichuan: 0, chongqing: 0, postgres: 0 },
      ...(options.statements ? { postgresSettings: STATEMENT_STATISTICS_SETTINGS } : {}),
      ...(options.nodeFlags?.length ? { nodeFlags: options.nodeFlags } : {}),
    });
  } finally {
    if (previousNodeOptions === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = previousNodeOptions;
  }
  const gateway = system.services.find((service) => service.name === 'gateway');
  if (!gateway?.process.pid) throw new Error('the launcher started no gateway process');
  const [postgres] = postgresServers(process.pid);
  const loopback = (url: string) => url.replace('//localhost:', '//127.0.0.1:');
  return {
    system,
    gatewayUrl: loopback(system.gatewayUrl),
    subgraphUrls: system.subgraphUrls,
    gatewayPid: gateway.process.pid,
    servicePids: {
      ...Object.fromEntries(system.services.filter((service) => service.process.pid).map((service) => [service.name, service.process.pid!])),
      // One cluster holds every owner's database; its CPU (backends included) is what the services' SQL costs.
      ...(postgres === undefined ? {} : { postgres }),
    },
    dataDir,
    async stop() {
      await system.stop();
      if (!process.env['BENCH_KEEP_DATA']) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
