import { Counter } from 'prom-client';
import type { MetricsRegistry } from '../metrics/createMetricsRegistry';
import { metricsRoutes } from '../metrics/metricsRoutes';
import { cacheReadiness, type ReadinessReport } from './cacheReadiness';
import { sendJson, type RouteHandler } from './startHttpServer';

export interface AdminRoutesOptions {
  /** The service's own check: its database, or for the gateway its subgraphs. */
  readonly checkReady: () => Promise<ReadinessReport>;
  /** How long one check answers `/health/ready` (`READINESS_CACHE_MS`). */
  readonly readinessCacheMs: number;
  readonly metrics: MetricsRegistry;
}

/**
 * What operators and orchestrators ask a service, never its callers:
 * `/health/ready` (503 when the service should get no traffic) and
 * `/metrics`. startHttpServer serves them on the admin listener (`ADMIN_PORT`).
 * Readiness checks are shared and cached (cacheReadiness.ts) and counted in
 * `health_readiness_checks_total`.
 */
export function adminRoutes({ checkReady, readinessCacheMs, metrics }: AdminRoutesOptions): Record<string, RouteHandler> {
  const checks = new Counter({
    name: 'health_readiness_checks_total',
    help: 'Readiness checks run (the database, or at the gateway every subgraph); /health/ready answers from the last one for READINESS_CACHE_MS.',
    registers: [metrics],
  });
  const readiness = cacheReadiness(checkReady, { ttlMs: readinessCacheMs, onCheck: () => checks.inc() });
  return {
    '/health/ready': async (_req, res) => {
      const report = await readiness();
      sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks });
    },
    ...metricsRoutes(metrics),
  };
}
