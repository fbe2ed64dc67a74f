import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { createLogger } from '../../logging/createLogger';
import { createMetricsRegistry, type MetricsRegistry } from '../../metrics/createMetricsRegistry';
import { createTokenGuard, type TokenGuardOptions } from '../createTokenGuard';

const from = (address: string, headers: Record<string, string> = {}) => ({ headers, socket: { remoteAddress: address } }) as unknown as IncomingMessage;

function setUp(options: Partial<TokenGuardOptions> = {}) {
  const metrics = createMetricsRegistry('test');
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const guard = createTokenGuard({ metrics, logger: createLogger('test', 'info', sink), badTokensPerMinute: 3, ...options });
  return { guard, metrics, lines };
}

async function values(metrics: MetricsRegistry, name: string) {
  const metric = await metrics.getSingleMetric(name)!.get();
  return Object.fromEntries(metric.values.filter(({ value }) => value > 0).map(({ labels, value }) => [String(labels['reason'] ?? 'all'), value]));
}

describe('createTokenGuard', () => {
  it('counts refused tokens by reason', async () => {
    const { guard, metrics } = setUp({ badTokensPerMinute: 0 });
    for (const reason of ['unknown_kid', 'unknown_kid', 'expired', 'bad_signature', 'unknown_kid'] as const) await guard.refused(from('198.51.100.1'), 'r', reason);
    expect(await values(metrics, 'auth_tokens_refused_total')).toEqual({ unknown_kid: 3, expired: 1, bad_signature: 1 });
  });

  it('refuses an address after N bad tokens, with 429 RATE_LIMITED and a retry time, and not another address', async () => {
    const { guard, metrics } = setUp();
    const attacker = from('198.51.100.7');
    for (let i = 0; i < 3; i++) {
      await guard.admit(attacker, `r${i}`);
      await guard.refused(attacker, `r${i}`, 'unknown_kid');
    }
    const error: unknown = await guard.admit(attacker, 'r4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'RATE_LIMITED', http: { status: 429 }, retryAfterSeconds: expect.any(Number) });
    expect((error as GraphQLError).message).toContain('BAD_TOKENS_PER_MINUTE');
    await expect(guard.admit(from('198.51.100.8'), 'r5')).resolves.toBeUndefined();
    expect(await values(metrics, 'auth_requests_throttled_total')).toEqual({ all: 1 });
  });

  it('never throttles an exempt caller, but still counts its refusals', async () => {
    const { guard, metrics } = setUp({ exempt: (req) => req.headers['x-gateway-secret'] === 'secret' });
    const gateway = from('10.0.0.2', { 'x-gateway-secret': 'secret' });
    for (let i = 0; i < 5; i++) await guard.refused(gateway, `r${i}`, 'expired');
    await expect(guard.admit(gateway, 'r6')).resolves.toBeUndefined();
    expect(await values(metrics, 'auth_tokens_refused_total')).toEqual({ expired: 5 });
  });

  it('counts a caller under the address addressOf gives', async () => {
    const { guard } = setUp({ addressOf: (req) => String(req.headers['x-forwarded-for']) });
    for (let i = 0; i < 3; i++) await guard.refused(from('10.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), 'r', 'malformed');
    await expect(guard.admit(from('10.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), 'r')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await expect(guard.admit(from('10.0.0.1', { 'x-forwarded-for': '203.0.113.10' }), 'r')).resolves.toBeUndefined();
  });

  it('logs refusals sampled: one warn line, then the ones in between are counted in the next', async () => {
    // The guard's clock, moved by the test: a busy machine then cannot stretch the 20 refusals over the interval.
    let now = Date.parse('2026-12-04T08:00:00Z');
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const { guard, lines } = setUp({ badTokensPerMinute: 0, logEveryMs: 1_000 });
      for (let i = 0; i < 20; i++) {
        await guard.refused(from('198.51.100.9'), `req-${i}`, 'unknown_kid');
        now += 49;
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, msg: 'token refused', reason: 'unknown_kid', requestId: 'req-0', address: '198.51.100.9', unlogged: 0 });
      // 20 × 49 ms after the first line: still within its second, so one more refusal is counted, not logged.
      await guard.refused(from('198.51.100.9'), 'req-20', 'unknown_kid');
      expect(lines).toHaveLength(1);
      now += 1_000;
      await guard.refused(from('198.51.100.9'), 'req-21', 'expired');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatchObject({ reason: 'expired', requestId: 'req-21', unlogged: 20 });
    } finally {
      clock.mockRestore();
    }
  });
});
