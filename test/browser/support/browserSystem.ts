import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../shared/src';
import { launchSystem } from '../../../scripts/system/launchSystem';
import type { TestSystemDescription } from '../../support/testSystem';

/** What the browser tests get besides the usual description: each service's process id, so a test can stop one. */
export type ServicePids = Readonly<Record<string, number>>;

/**
 * The browser tests' own system, from the same launcher as `npm start` and
 * `npm test`, on free ports and a throw-away folder the `postgres` user can
 * enter (see test/support/testSystem.ts). Its own, because the last test
 * stops the Sichuan subgraph, which no other test file may see.
 */
export async function startBrowserTestSystem() {
  const dataDir = mkdtempSync(join(tmpdir(), 'shuangcheng-browser-'));
  chmodSync(dataDir, 0o755);
  const system = await launchSystem({
    dataDir,
    logLevel: 'info',
    logger: createLogger('browser-test-system', 'warn'),
    ports: { gateway: 0, platform: 0, sichuan: 0, chongqing: 0, postgres: 0 },
  });
  const description: TestSystemDescription = {
    gatewayUrl: system.gatewayUrl,
    subgraphUrls: system.subgraphUrls,
    postgresAdminUrl: system.postgresAdminUrl,
    databaseUrls: system.databaseUrls,
    logDir: system.logDir,
  };
  const pids: ServicePids = Object.fromEntries(system.services.map((service) => [service.name, service.process.pid ?? -1]));
  return {
    description,
    pids,
    async stop() {
      await system.stop();
      if (!process.env['KEEP_TEST_DATA']) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
