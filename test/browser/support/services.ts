import { until } from '../../support/until';
/** Process ids of the browser tests' services (set by globalSetup.mjs). */
function pidOf(service: string): number {
  const pids = JSON.parse(process.env['SHUANGCHENG_TEST_PIDS'] ?? '{}') as Record<string, number>;
  const pid = pids[service];
  if (!pid || pid < 0) throw new Error(`no process id for ${service}: run the browser tests through npm run test:browser`);
  return pid;
}

/**
 * Stops one service the way an outage or a deploy would (SIGTERM), and
 * resolves once its health endpoint no longer answers.
 */
export async function stopService(service: string, baseUrl: string, timeoutMs = 20_000): Promise<void> {
  process.kill(pidOf(service), 'SIGTERM');
  const live = new URL('/health/live', baseUrl);
  await until(`${service} to stop answering ${live.href}`, async () => {
    const answering = await fetch(live, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
    return !answering;
  }, timeoutMs);
}
