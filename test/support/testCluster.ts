import { startThrowawaySystem, type ThrowawaySystem } from './testSystem';

type Owner = 'platform' | 'sichuan' | 'chongqing';

/**
 * What globalSetup prepared for the system tests, handed to the jest workers
 * as JSON: one PostgreSQL cluster whose per-owner databases are migrated and
 * seeded templates, and the secrets every service of a test file shares.
 */
export interface TestClusterDescription {
  readonly postgresAdminUrl: string;
  /** Each owner's template database, as a URL with that owner's own role. Nothing connects to it after set-up. */
  readonly templateUrls: Readonly<Record<Owner, string>>;
  readonly signingKeyFile: string;
  readonly gatewaySecret: string;
}

const VARIABLE = 'SHUANGCHENG_TEST_CLUSTER';

/**
 * Prepares the templates with the same launcher as `npm start` (each service
 * migrates and seeds its own database as in production), then stops the
 * services and keeps PostgreSQL: the templates must have no connections left
 * for `CREATE DATABASE … TEMPLATE` to copy them.
 */
export async function prepareTestCluster(): Promise<{ description: TestClusterDescription; stop(): Promise<void> }> {
  const throwaway: ThrowawaySystem = await startThrowawaySystem('test');
  const { system } = throwaway;
  for (const service of ['gateway', 'platform', 'sichuan', 'chongqing']) await system.stopService(service);
  const description: TestClusterDescription = {
    postgresAdminUrl: system.postgresAdminUrl,
    templateUrls: system.databaseUrls,
    signingKeyFile: system.signingKeyFile,
    gatewaySecret: system.gatewaySecret,
  };
  process.env[VARIABLE] = JSON.stringify(description);
  return { description, stop: () => throwaway.stop() };
}

/** The cluster globalSetup prepared (inside a jest worker). */
export function testCluster(): TestClusterDescription {
  const raw = process.env[VARIABLE];
  if (!raw) throw new Error('the test cluster is not prepared: run system tests through jest (npm test), whose globalSetup prepares it');
  return JSON.parse(raw) as TestClusterDescription;
}
