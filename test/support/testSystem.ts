import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../shared/src';
import { launchSystem, type RunningSystem } from '../../scripts/system';

/** What tests need to reach the running system (passed to workers as JSON). */
export interface TestSystemDescription {
  gatewayUrl: string;
  subgraphUrls: { platform: string; sichuan: string; chongqing: string };
  postgresAdminUrl: string;
  databaseUrls: { platform: string; sichuan: string; chongqing: string };
  logDir: string;
  /** Sent as x-gateway-secret by tests that ask a subgraph `_entities` as the gateway does. */
  gatewaySecret: string;
  /** The platform's signing key (PEM), for tests that forge or inspect tokens. */
  signingKeyFile: string;
}

/** Each service's process id, so a test can signal one. */
export type ServicePids = Readonly<Record<string, number>>;

export interface ThrowawaySystem {
  readonly system: RunningSystem;
  readonly description: TestSystemDescription;
  pids(): ServicePids;
  /** Stops everything and removes the folder (kept with KEEP_TEST_DATA=1). */
  stop(): Promise<void>;
}

/**
 * The same launcher as `npm start`, on free ports and a throw-away data
 * folder under the system temp folder (which the `postgres` user can reach
 * even when the checkout cannot be entered, as in CI running as root).
 */
export async function startThrowawaySystem(name: string, options: { clusterPerOwner?: boolean } = {}): Promise<ThrowawaySystem> {
  const dataDir = mkdtempSync(join(tmpdir(), `shuangcheng-${name}-`));
  // mkdtemp makes the folder private; the `postgres` user must be able to enter it when we run as root.
  chmodSync(dataDir, 0o755);
  const system = await launchSystem({
    dataDir,
    logLevel: 'info',
    logger: createLogger(`${name}-system`, 'warn'),
    ports: { gateway: 0, platform: 0, sichuan: 0, chongqing: 0, postgres: 0 },
    ...(options.clusterPerOwner ? { clusterPerOwner: true } : {}),
  });
  const description: TestSystemDescription = {
    gatewayUrl: system.gatewayUrl,
    subgraphUrls: system.subgraphUrls,
    postgresAdminUrl: system.postgresAdminUrl,
    databaseUrls: system.databaseUrls,
    logDir: system.logDir,
    gatewaySecret: system.gatewaySecret,
    signingKeyFile: system.signingKeyFile,
  };
  return {
    system,
    description,
    pids: () => Object.fromEntries(system.services.map((service) => [service.name, service.process.pid ?? -1])),
    async stop() {
      await system.stop();
      if (!process.env['KEEP_TEST_DATA']) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
