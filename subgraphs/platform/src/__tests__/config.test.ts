import { ConfigError } from '../../../../shared/src';
import { loadPlatformConfig } from '../config';

const BASE = { DATABASE_URL: 'postgres://platform_svc:secret@db:5432/shuangcheng_platform' };

describe('loadPlatformConfig', () => {
  it('defaults to 15-minute access tokens, 14-day refresh tokens, no trusted proxy and 5/50/20 failures per 15 minutes', () => {
    const config = loadPlatformConfig(BASE);
    expect(config.accessTokenTtlSeconds).toBe(900);
    expect(config.refreshTokenTtlSeconds).toBe(14 * 86_400);
    expect(config.trustedProxies).toEqual([]);
    expect(config.loginThrottle).toEqual({
      maxFailuresPerAccountAddress: 5, maxFailuresPerAccount: 50, maxFailuresPerAddress: 20, windowSeconds: 900, knownAddressDays: 30,
    });
  });

  it('reads the token lifetimes, TRUSTED_PROXIES and the throttle limits', () => {
    const config = loadPlatformConfig({
      ...BASE,
      ACCESS_TOKEN_TTL_SECONDS: '300',
      REFRESH_TOKEN_TTL_SECONDS: '86400',
      TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '3',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '30',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '50',
      LOGIN_FAILURE_WINDOW_SECONDS: '600',
      LOGIN_KNOWN_ADDRESS_DAYS: '7',
    });
    expect(config).toMatchObject({
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 86_400,
      trustedProxies: ['127.0.0.1/32', '::1/128'],
      loginThrottle: { maxFailuresPerAccountAddress: 3, maxFailuresPerAccount: 30, maxFailuresPerAddress: 50, windowSeconds: 600, knownAddressDays: 7 },
    });
  });

  it('refuses a refresh-token lifetime that is not longer than the access-token one', () => {
    expect(() => loadPlatformConfig({ ...BASE, ACCESS_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_TTL_SECONDS: '3600' })).toThrow(ConfigError);
    expect(() => loadPlatformConfig({ ...BASE, ACCESS_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_TTL_SECONDS: '1800' })).toThrow(/REFRESH_TOKEN_TTL_SECONDS/);
  });

  it('stops at start when TRUST_PROXY, which trusted x-forwarded-for from anyone, is still set', () => {
    expect(() => loadPlatformConfig({ ...BASE, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: no longer read; list the gateways' addresses in TRUSTED_PROXIES/);
  });

  it('refuses an account-wide limit that one address could fill on its own', () => {
    expect(() => loadPlatformConfig({ ...BASE, LOGIN_MAX_FAILURES_PER_ACCOUNT: '5' })).toThrow(
      /LOGIN_MAX_FAILURES_PER_ACCOUNT: must be larger than LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS \(5\), got 5/,
    );
  });

  it.each([
    ['TRUSTED_PROXIES', 'the-gateway'],
    ['LOGIN_MAX_FAILURES_PER_ACCOUNT', '0'],
    ['LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS', '-1'],
    ['LOGIN_KNOWN_ADDRESS_DAYS', 'forever'],
    ['LOGIN_FAILURE_WINDOW_SECONDS', 'soon'],
    ['REFRESH_TOKEN_TTL_SECONDS', '60'],
  ])('names %s when its value is bad', (name, value) => {
    expect(() => loadPlatformConfig({ ...BASE, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('loadPlatformConfig: unverified registrations', () => {
  it('deletes them after 7 days, swept hourly, unless told otherwise', () => {
    expect(loadPlatformConfig(BASE).accountMail).toMatchObject({ unverifiedTtlSeconds: 7 * 86_400, purgeSweepSeconds: 3_600 });
    expect(loadPlatformConfig({ ...BASE, UNVERIFIED_ACCOUNT_TTL_SECONDS: '172800', UNVERIFIED_ACCOUNT_SWEEP_SECONDS: '0' }).accountMail)
      .toMatchObject({ unverifiedTtlSeconds: 172_800, purgeSweepSeconds: 0 });
  });

  it('refuses to delete them before their verification link has expired', () => {
    const load = () => loadPlatformConfig({ ...BASE, EMAIL_VERIFICATION_TTL_SECONDS: '86400', UNVERIFIED_ACCOUNT_TTL_SECONDS: '3600' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('UNVERIFIED_ACCOUNT_TTL_SECONDS: must be at least EMAIL_VERIFICATION_TTL_SECONDS (86400), got 3600');
  });
});
