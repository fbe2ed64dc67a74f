import type { Redis } from 'ioredis';
import { createTokenGuard, type Logger, type MetricsRegistry, type RequestHead, type TokenGuard } from '../../../shared/src';
import type { GatewayConfig } from '../config';
import { createLimiter } from './createRateLimiter';

/**
 * The gateway's token guard (shared/src/auth/createTokenGuard.ts): bad tokens
 * are counted per client address in Redis when the gateway has it, so the
 * throttle holds across replicas (in memory otherwise, and while Redis is
 * unreachable). `clientAddress` sees through the trusted load balancers
 * (TRUSTED_PROXIES): counting a balancer's own address would let one caller
 * lock out everyone.
 */
export function createGatewayTokenGuard(
  config: Pick<GatewayConfig, 'auth'>,
  metrics: MetricsRegistry,
  logger: Logger,
  redis: Redis | undefined,
  clientAddress: (req: RequestHead) => string,
): TokenGuard {
  return createTokenGuard({
    metrics,
    logger,
    badTokensPerMinute: config.auth.badTokensPerMinute,
    createStore: (points) => createLimiter(points, redis, 'bad-tokens'),
    addressOf: clientAddress,
  });
}
