import { ConfigError } from '../../../../shared/src';
import { DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON, loadProvinceConfig } from '../config';

const BASE = { PROVINCE: 'sichuan', DATABASE_URL: 'postgres://sichuan_svc:secret@db:5432/shuangcheng_sichuan' };
const WEBHOOK_KEYS = '2026-01:kS9v2q0Zr7uXcW4mYp1TqLbN-a-real-key';

describe('loadProvinceConfig: MAX_OPEN_BOOKINGS_PER_PERSON', () => {
  it('caps open bookings per person at 50 unless told otherwise', () => {
    expect(DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON).toBe(50);
    expect(loadProvinceConfig(BASE).maxOpenBookingsPerPerson).toBe(50);
  });

  it.each([
    ['5', 5],
    ['0', 0],
    [' 300 ', 300],
  ])('reads %j as %i (0: no cap)', (value, cap) => {
    expect(loadProvinceConfig({ ...BASE, MAX_OPEN_BOOKINGS_PER_PERSON: value }).maxOpenBookingsPerPerson).toBe(cap);
  });

  it.each(['-1', '2.5', 'many'])('refuses %j, naming the variable and what it expects', (value) => {
    const load = () => loadProvinceConfig({ ...BASE, MAX_OPEN_BOOKINGS_PER_PERSON: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`MAX_OPEN_BOOKINGS_PER_PERSON: expected a whole number (0 turns the cap off), got "${value}"`);
  });
});

describe('loadProvinceConfig: MAX_EXPENSIVE_FIELDS', () => {
  it('allows 5 sign-ins, bookings and card checks a request unless told otherwise, like the gateway', () => {
    expect(loadProvinceConfig(BASE).maxExpensiveFields).toBe(5);
    expect(loadProvinceConfig({ ...BASE, MAX_EXPENSIVE_FIELDS: '8' }).maxExpensiveFields).toBe(8);
  });

  it.each(['0', 'lots'])('refuses %j, naming the variable', (value) => {
    expect(() => loadProvinceConfig({ ...BASE, MAX_EXPENSIVE_FIELDS: value })).toThrow(/MAX_EXPENSIVE_FIELDS: expected a positive whole number/);
  });
});

describe('loadProvinceConfig: listeners', () => {
  const PRODUCTION = { ...BASE, NODE_ENV: 'production', GATEWAY_SECRET: 'a-long-enough-shared-secret', WEBHOOK_SECRET_KEYS: WEBHOOK_KEYS };

  it('serves readiness and metrics on ADMIN_PORT, and caches readiness for a second unless told otherwise', () => {
    const config = loadProvinceConfig({ ...PRODUCTION, ADMIN_PORT: '9464' });
    expect(config.adminPort).toBe(9464);
    expect(config.readinessCacheMs).toBe(1000);
    expect(loadProvinceConfig({ ...BASE, READINESS_CACHE_MS: '250' }).readinessCacheMs).toBe(250);
  });

  it('leaves them on the public port in development', () => {
    expect(loadProvinceConfig(BASE).adminPort).toBeUndefined();
  });

  it('refuses production without ADMIN_PORT', () => {
    const load = () => loadProvinceConfig(PRODUCTION);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^ADMIN_PORT: required in production/);
  });
});

describe('loadProvinceConfig: production does not improvise', () => {
  const PRODUCTION = { ...BASE, NODE_ENV: 'production', GATEWAY_SECRET: 'a-long-enough-shared-secret', ADMIN_PORT: '9464', WEBHOOK_SECRET_KEYS: WEBHOOK_KEYS };

  it('starts on the database it is given', () => {
    expect(loadProvinceConfig(PRODUCTION).database).toEqual({ kind: 'external', url: BASE.DATABASE_URL });
  });

  it('refuses to start an embedded PostgreSQL without DATABASE_URL, saying how to create the database', () => {
    const load = () => loadProvinceConfig({ ...PRODUCTION, DATABASE_URL: undefined });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^DATABASE_URL: required in production \(NODE_ENV=production\), where no embedded PostgreSQL is started; create the sichuan database with `npm run admin -- create-database sichuan`/);
  });

  it('still starts one in development', () => {
    expect(loadProvinceConfig({ PROVINCE: 'sichuan' }).database).toMatchObject({ kind: 'embedded', dataDir: '.data/sichuan' });
  });

  it.each([
    ['GATEWAY_SECRET', { GATEWAY_SECRET: 'change-me-to-a-long-random-shared-secret' }, /^GATEWAY_SECRET: still the placeholder of deploy\/\*\.env\.example/],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://sichuan_svc:change-me@sichuan-db:5432/shuangcheng_sichuan' }, /^DATABASE_URL: its password is still the placeholder/],
  ])('refuses the example files\' placeholder in %s', (_name, vars, message) => {
    const load = () => loadProvinceConfig({ ...PRODUCTION, ...vars });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
    // Development keeps working with the example values.
    expect(() => loadProvinceConfig({ ...BASE, ...vars })).not.toThrow();
  });
});

describe('loadProvinceConfig: voucher housekeeping', () => {
  it('sweeps every 30 s, holds for 900 s and takes up a stopped payment after 60 s unless told otherwise', () => {
    expect(loadProvinceConfig(BASE).vouchers).toEqual({ sweepIntervalMs: 30_000, holdSeconds: 900, resumeAfterMs: 60_000 });
    expect(loadProvinceConfig({ ...BASE, VOUCHER_SWEEP_INTERVAL_MS: '0', VOUCHER_HOLD_SECONDS: '60', VOUCHER_RESUME_AFTER_MS: '15000' }).vouchers)
      .toEqual({ sweepIntervalMs: 0, holdSeconds: 60, resumeAfterMs: 15_000 });
  });

  it.each([
    ['VOUCHER_HOLD_SECONDS', '0', /VOUCHER_HOLD_SECONDS: expected 1 to 3600 seconds/],
    ['VOUCHER_HOLD_SECONDS', '3601', /VOUCHER_HOLD_SECONDS: expected 1 to 3600 seconds/],
    ['VOUCHER_RESUME_AFTER_MS', '500', /VOUCHER_RESUME_AFTER_MS: expected at least 15000 ms/],
    ['VOUCHER_SWEEP_INTERVAL_MS', 'often', /VOUCHER_SWEEP_INTERVAL_MS: expected a whole number/],
  ])('refuses %s=%j, naming the variable', (name, value, message) => {
    expect(() => loadProvinceConfig({ ...BASE, [name]: value })).toThrow(message);
  });
});

describe('loadProvinceConfig: WEBHOOK_SECRET_KEYS', () => {
  const PRODUCTION = { ...BASE, NODE_ENV: 'production', GATEWAY_SECRET: 'a-long-enough-shared-secret', ADMIN_PORT: '9464' };

  it('uses a development key outside production, one per province', () => {
    const sichuan = loadProvinceConfig(BASE).webhookSecretKeys;
    const chongqing = loadProvinceConfig({ ...BASE, PROVINCE: 'chongqing' }).webhookSecretKeys;
    expect(sichuan.map((key) => key.id)).toEqual(['dev']);
    expect(sichuan[0].key.equals(chongqing[0].key)).toBe(false);
  });

  it('reads the keys newest first', () => {
    const keys = loadProvinceConfig({ ...PRODUCTION, WEBHOOK_SECRET_KEYS: '2026-02:kS9v2q0Zr7uXcW4mYp1TqLbN-new, 2026-01:kS9v2q0Zr7uXcW4mYp1TqLbN-old' }).webhookSecretKeys;
    expect(keys.map((key) => key.id)).toEqual(['2026-02', '2026-01']);
  });

  it.each([
    ['unset', {}, /^WEBHOOK_SECRET_KEYS: required in production/],
    ['the development key', { WEBHOOK_SECRET_KEYS: 'dev:shuangcheng-development-webhook-key-sichuan' }, /^WEBHOOK_SECRET_KEYS: holds the development key, refused in production/],
    ['a placeholder', { WEBHOOK_SECRET_KEYS: 'k1:change-me-to-a-long-random-key' }, /^WEBHOOK_SECRET_KEYS: still the placeholder of deploy\/\*\.env\.example/],
    ['a short key', { WEBHOOK_SECRET_KEYS: 'k1:short' }, /^WEBHOOK_SECRET_KEYS: the key k1 has 5 characters/],
  ])('refuses %s in production', (_, env, message) => {
    expect(() => loadProvinceConfig({ ...PRODUCTION, ...env })).toThrow(message);
  });
});
