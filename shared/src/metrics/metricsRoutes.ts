import type { RouteHandler } from '../http/startHttpServer';
import type { MetricsRegistry } from './createMetricsRegistry';

/**
 * `GET /metrics` in Prometheus' text format. Served on the service's own port
 * for Prometheus to scrape each process directly; a public proxy in front
 * should not pass it on (deploy/nginx.conf refuses it).
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
