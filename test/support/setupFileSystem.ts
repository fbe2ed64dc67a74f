import { startFileSystem, type FileSystem } from './fileSystem';
import { testCluster } from './testCluster';

/**
 * Runs before every system test file (jest `setupFilesAfterEnv`): the file
 * gets a system of its own (fileSystem.ts), which `test/support/system.ts`
 * helpers reach. Fault tests stop and restart processes, so they start a
 * system of their own instead.
 */
const OWN_SYSTEM = [/\/test\/faults\//];

let running: FileSystem | undefined;

beforeAll(async () => {
  const { testPath } = expect.getState();
  if (testPath && OWN_SYSTEM.some((pattern) => pattern.test(testPath))) return;
  running = await startFileSystem(testCluster());
  process.env['SHUANGCHENG_TEST_SYSTEM'] = JSON.stringify(running.description);
}, 60_000);

afterAll(async () => {
  await running?.stop();
});
