import { ConfigError } from '../../../../shared/src';
import { loadPlatformConfig } from '../config';

const BASE = { DATABASE_URL: 'postgres://platform_svc:secret@db:5432/shuangcheng_platform' };

describe('loadPlatformConfig', () => {
  it('defaults to 15-minute access tokens, 14-day refresh tokens, no trusted proxy and 5/20 failures per 15 minutes', () => {
    const config = loadPlatformConfig(BASE);
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.refreshTokenTtlSeconds).toBe(14 * 86_400);
    expect(config.trustedProxies).toEqual([]);
    expect(config.loginThrottle).toEqual({ maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowSeconds: 900 });
  });

  it('reads the token lifetimes, TRUSTED_PROXIES and the throttle limits', () => {
    const config = loadPlatformConfig({
      ...BASE,
      ACCESS_TOKEN_TTL_SECONDS: '300',
      REFRESH_TOKEN_TTL_SECONDS: '86400',
      TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
      LOGIN_FAILURE_WINDOW_SECONDS: '600',
    });
    expect(config).toMatchObject({
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 86_400,
      trustedProxies: ['127.0.0.1/32', '::1/128'],
      loginThrottle: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 50, windowSeconds: 600 },
    });
  });

  it('refuses a refresh-token lifetime that is not longer than the access-token one', () => {
    expect(() => loadPlatformConfig({ ...BASE, ACCESS_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_TTL_SECONDS: '3600' })).toThrow(ConfigError);
    expect(() => loadPlatformConfig({ ...BASE, ACCESS_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_TTL_SECONDS: '1800' })).toThrow(/REFRESH_TOKEN_TTL_SECONDS/);
  });

  it('stops at start when TRUST_PROXY, which trusted x-forwarded-for from anyone, is still set', () => {
    expect(() => loadPlatformConfig({ ...BASE, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: no longer read; list the gateways' addresses in TRUSTED_PROXIES/);
  });

  it.each([
    ['TRUSTED_PROXIES', 'the-gateway'],
    ['LOGIN_MAX_FAILURES_PER_ACCOUNT', '0'],
    ['LOGIN_FAILURE_WINDOW_SECONDS', 'soon'],
    ['REFRESH_TOKEN_TTL_SECONDS', '60'],
  ])('names %s when its value is bad', (name, value) => {
    expect(() => loadPlatformConfig({ ...BASE, [name]: value })).toThrow(new RegExp(name));
  });
});
