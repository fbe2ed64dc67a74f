import { z } from 'zod';
import { ConfigError, env, parseEnv } from '../parseEnv';

const schema = z.object({
  PORT: env.port(4001),
  METRICS_PORT: env.optionalPort(),
  SEED: env.boolean(false),
  POOL_SIZE: env.positiveInt(10),
  LOG_LEVEL: env.logLevel(),
  NODE_ENV: env.nodeEnv(),
  GATEWAY_URL: env.url().default('http://localhost:4000/graphql'),
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but parseEnv returned');
}

describe('parseEnv', () => {
  it('applies the defaults when nothing is set', () => {
    expect(parseEnv(schema, {})).toEqual({
      PORT: 4001,
      METRICS_PORT: undefined,
      SEED: false,
      POOL_SIZE: 10,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      GATEWAY_URL: 'http://localhost:4000/graphql',
    });
  });

  it('coerces ports and whole numbers from strings', () => {
    const config = parseEnv(schema, { PORT: '8080', METRICS_PORT: '0', POOL_SIZE: '3' });
    expect(config.PORT).toBe(8080);
    expect(config.METRICS_PORT).toBe(0);
    expect(config.POOL_SIZE).toBe(3);
  });

  it.each([
    ['true', true], ['1', true], ['yes', true],
    ['false', false], ['0', false], ['no', false],
  ])('reads the boolean %j as %s', (value, expected) => {
    expect(parseEnv(schema, { SEED: value }).SEED).toBe(expected);
    expect(parseEnv(z.object({ SEED: env.boolean(true) }), { SEED: value }).SEED).toBe(expected);
  });

  it.each([[''], ['   '], ['\t']])('treats %j as unset, so the default applies', (value) => {
    const config = parseEnv(schema, { PORT: value, SEED: value, LOG_LEVEL: value, GATEWAY_URL: value, METRICS_PORT: value });
    expect(config.PORT).toBe(4001);
    expect(config.SEED).toBe(false);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.GATEWAY_URL).toBe('http://localhost:4000/graphql');
    expect(config.METRICS_PORT).toBeUndefined();
  });

  it('reports an empty required variable as not set rather than as a value', () => {
    const error = configError(() => parseEnv(z.object({ DATABASE_URL: env.postgresUrl() }), { DATABASE_URL: '' }));
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain('(not set)');
    expect(error.message).not.toContain('got ""');
  });

  it('names the variable and quotes the bad value (PORT=http)', () => {
    const error = configError(() => parseEnv(schema, { PORT: 'http' }));
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('PORT: expected a TCP port');
    expect(error.message).toContain('got "http"');
  });

  it.each([['65536'], ['-1'], ['80.5']])('rejects the out-of-range or fractional port %s', (value) => {
    const error = configError(() => parseEnv(schema, { PORT: value }));
    expect(error.message).toContain('PORT: expected a TCP port');
    expect(error.message).toContain(`got "${value}"`);
  });

  it('rejects a boolean that is not one of the accepted words', () => {
    const error = configError(() => parseEnv(schema, { SEED: 'maybe' }));
    expect(error.message).toContain('SEED: expected true or false, got "maybe"');
  });

  it('rejects a malformed URL and a malformed postgres URL', () => {
    const urlError = configError(() => parseEnv(schema, { GATEWAY_URL: 'not a url' }));
    expect(urlError.message).toContain('GATEWAY_URL: expected an absolute http(s) URL');
    expect(urlError.message).toContain('got "not a url"');

    const pgError = configError(() => parseEnv(z.object({ DATABASE_URL: env.postgresUrl() }), { DATABASE_URL: 'mysql://x' }));
    expect(pgError.message).toContain('DATABASE_URL: expected a postgres://');
    expect(pgError.message).toContain('got "mysql://x"');
  });

  // "localhost:4000" parses as a URL with scheme "localhost:"; it must fail at start-up, not at first fetch.
  it.each([['localhost:4000'], ['ftp://localhost:4000/graphql']])('rejects the non-HTTP URL %j at start-up', (value) => {
    const error = configError(() => parseEnv(schema, { GATEWAY_URL: value }));
    expect(error.message).toContain('GATEWAY_URL: expected an absolute http(s) URL');
  });

  it('lists every invalid variable, one per line', () => {
    const error = configError(() => parseEnv(schema, { PORT: 'http', LOG_LEVEL: 'loud', POOL_SIZE: '0' }));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    expect(lines.some((l) => l.trim().startsWith('PORT:'))).toBe(true);
    expect(lines.some((l) => l.trim().startsWith('LOG_LEVEL:') && l.includes('got "loud"'))).toBe(true);
    expect(lines.some((l) => l.trim().startsWith('POOL_SIZE:') && l.includes('got "0"'))).toBe(true);
  });

  it("reads only the schema's keys from the environment", () => {
    const read: string[] = [];
    const environment = new Proxy<Record<string, string | undefined>>(
      { PORT: '5000', SECRET_TOKEN: 'hunter2', OTHER: 'x' },
      {
        get(target, key, receiver) {
          if (typeof key === 'string') read.push(key);
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const config = parseEnv(z.object({ PORT: env.port(4001), SEED: env.boolean(false) }), environment);
    expect(config).toEqual({ PORT: 5000, SEED: false });
    expect(config).not.toHaveProperty('SECRET_TOKEN');
    expect(new Set(read)).toEqual(new Set(['PORT', 'SEED']));
  });

  it('reads process.env by default', () => {
    const name = 'SHUANGCHENG_PARSE_ENV_TEST_PORT';
    process.env[name] = '4321';
    try {
      expect(parseEnv(z.object({ [name]: env.port(1) }))[name]).toBe(4321);
    } finally {
      delete process.env[name];
    }
  });
});

describe('env.cidrList and env.retired', () => {
  const proxies = z.object({ TRUSTED_PROXIES: env.cidrList(), TRUST_PROXY: env.retired('list the proxies in TRUSTED_PROXIES') });

  it('reads comma-separated addresses and blocks as CIDR blocks, none when unset', () => {
    expect(parseEnv(proxies, {}).TRUSTED_PROXIES).toEqual([]);
    expect(parseEnv(proxies, { TRUSTED_PROXIES: '127.0.0.1/32, ::1,10.0.0.0/8,' }).TRUSTED_PROXIES).toEqual(['127.0.0.1/32', '::1/128', '10.0.0.0/8']);
  });

  it('names each entry that is not an address or a block', () => {
    const error = configError(() => parseEnv(proxies, { TRUSTED_PROXIES: '10.0.0.0/8,gateway,10.0.0.0/33' }));
    expect(error.message).toContain('TRUSTED_PROXIES: expected IP addresses or CIDR blocks separated by commas');
    expect(error.message).toContain('"gateway", "10.0.0.0/33"');
  });

  it('stops start-up when a retired variable is set, saying what replaced it', () => {
    const error = configError(() => parseEnv(proxies, { TRUST_PROXY: 'true' }));
    expect(error.message).toContain('TRUST_PROXY: no longer read; list the proxies in TRUSTED_PROXIES, got "true"');
  });
});
