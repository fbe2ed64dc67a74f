import { startThrowawaySystem } from '../../support/testSystem';

/**
 * The browser tests' own system (test/support/testSystem.ts). Its own, because
 * the last test stops the Sichuan subgraph, which no other test file may see.
 */
export async function startBrowserTestSystem() {
  const running = await startThrowawaySystem('browser');
  return { description: running.description, pids: running.pids(), stop: running.stop };
}
