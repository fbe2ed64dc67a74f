import type { RouteHandler } from '../http/startHttpServer';
import type { MetricsRegistry } from './createMetricsRegistry';

/**
 * `GET /metrics` in Prometheus' text format, for Prometheus to scrape each
 * process directly. One of the admin routes (http/adminRoutes.ts): served on
 * the admin port, never on the public one in production.
 */
export function metricsRoutes(registry: MetricsRegistry): Record<string, RouteHandler> {
  return {
    '/metrics': async (_req, res) => {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(body);
    },
  };
}
