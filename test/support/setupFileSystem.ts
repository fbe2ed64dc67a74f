import { readFileSync } from 'node:fs';
import { startFileSystem, type FileSystem } from './fileSystem';
import { testCluster } from './testCluster';

/**
 * Runs before every system test file (jest `setupFilesAfterEnv`): the file
 * gets a system of its own (fileSystem.ts), which `test/support/system.ts`
 * helpers reach. Fault tests stop and restart processes, so they start a
 * system of their own instead, and production journeys (test/production/)
 * start services of their own on databases they create. A file whose first comment says
 * `@testSystem in-process` gets its system with no ports (fileSystem.ts).
 */
const OWN_SYSTEM = [/\/test\/faults\//, /\/test\/production\//];
const IN_PROCESS = /^\/\*\*(?:(?!\*\/)[\s\S])*@testSystem in-process/;

let running: FileSystem | undefined;

beforeAll(async () => {
  const { testPath } = expect.getState();
  if (testPath && OWN_SYSTEM.some((pattern) => pattern.test(testPath))) return;
  const inProcess = testPath ? IN_PROCESS.test(readFileSync(testPath, 'utf8').trimStart()) : false;
  running = await startFileSystem(testCluster(), inProcess ? 'in-process' : 'http');
  process.env['SHUANGCHENG_TEST_SYSTEM'] = JSON.stringify(running.description);
}, 60_000);

// Stopping waits for what is still in flight: the gateway drains its requests (Apollo's grace period, 10 s) and its
// subgraph connections; after a file that sent thousands of requests (roleMatrix) that has taken 19 s, and more than
// a minute on a machine busy with other work.
afterAll(async () => {
  await running?.stop();
}, 180_000);
