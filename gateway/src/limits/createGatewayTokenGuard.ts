import type { Redis } from 'ioredis';
import { createTokenGuard, type Logger, type MetricsRegistry, type RequestHead, type TokenGuard } from '../../../shared/src';
import type { GatewayConfig } from '../config';
import { createLimiter } from './createRateLimiter';

/**
 * The gateway's token guard (shared/src/auth/createTokenGuard.ts): bad tokens
 * are counted per client address in Redis when the gateway has it, so the
 * throttle holds across replicas (in memory otherwise, and while Redis is
 * unreachable). Behind a trusted load balancer (TRUST_FORWARDED_FOR) the
 * client is the last `x-forwarded-for` entry, the one the balancer wrote:
 * counting the balancer's own address would let one caller lock out everyone.
 */
export function createGatewayTokenGuard(
  config: Pick<GatewayConfig, 'auth' | 'trustForwardedFor'>,
  metrics: MetricsRegistry,
  logger: Logger,
  redis: Redis | undefined,
): TokenGuard {
  return createTokenGuard({
    metrics,
    logger,
    badTokensPerMinute: config.auth.badTokensPerMinute,
    createStore: (points) => createLimiter(points, redis, 'bad-tokens'),
    addressOf: (req) => clientAddress(req, config.trustForwardedFor),
  });
}

function clientAddress(req: RequestHead, trustForwardedFor: boolean): string {
  const header = trustForwardedFor ? req.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((entry) => entry.trim()).filter(Boolean).at(-1);
  return last ?? req.socket.remoteAddress ?? 'unknown';
}
