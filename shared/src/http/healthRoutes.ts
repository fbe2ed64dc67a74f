import type { RouteHandler } from './startHttpServer';
import { sendJson } from './startHttpServer';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, unknown>>;
}

/**
 * `/health/live` answers while the process runs; `/health/ready` runs the
 * service's own check (its database, or for the gateway its subgraphs) and
 * answers 503 when the service should get no traffic.
 */
export function healthRoutes(checkReady: () => Promise<ReadinessReport>): Record<string, RouteHandler> {
  return {
    '/health/live': (_req, res) => sendJson(res, 200, { status: 'live' }),
    '/health/ready': async (_req, res) => {
      const report = await checkReady().catch((error: Error) => ({ ready: false, checks: { error: error.message } }));
      sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', checks: report.checks });
    },
  };
}
