import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig, SUPERGRAPH_FILE } from '../config';

describe('loadGatewayConfig: where the subgraphs run', () => {
  it('takes every subgraph of the supergraph, at the URL composition wrote unless <NAME>_URL says otherwise', () => {
    const config = loadGatewayConfig({ SICHUAN_URL: 'http://sichuan.internal:8080/graphql' });
    expect(config.subgraphUrls).toEqual({
      chongqing: 'http://localhost:4003/graphql',
      platform: 'http://localhost:4001/graphql',
      sichuan: 'http://sichuan.internal:8080/graphql',
    });
  });

  it('learns a subgraph it has never heard of from the supergraph alone', () => {
    const folder = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const file = join(folder, 'supergraph.graphql');
    writeFileSync(file, readFileSync(SUPERGRAPH_FILE, 'utf8').replace(
      '  SICHUAN @join__graph(name: "sichuan", url: "http://localhost:4002/graphql")',
      '  SICHUAN @join__graph(name: "sichuan", url: "http://localhost:4002/graphql")\n  GUIZHOU @join__graph(name: "guizhou", url: "http://localhost:4004/graphql")',
    ));
    const config = loadGatewayConfig({ SUPERGRAPH_FILE: file, GUIZHOU_URL: 'http://guizhou:4000/graphql' });
    expect(config.subgraphUrls['guizhou']).toBe('http://guizhou:4000/graphql');
  });

  it('names the variable of a bad subgraph URL', () => {
    expect(() => loadGatewayConfig({ CHONGQING_URL: 'not a url' })).toThrow(/CHONGQING_URL/);
  });

  it('names SUPERGRAPH_FILE when it cannot be read', () => {
    expect(() => loadGatewayConfig({ SUPERGRAPH_FILE: join(tmpdir(), 'no-such-supergraph.graphql') })).toThrow(/SUPERGRAPH_FILE/);
  });
});

describe('loadGatewayConfig: trusted proxies', () => {
  it('trusts no proxy unless TRUSTED_PROXIES lists some', () => {
    expect(loadGatewayConfig({}).trustedProxies).toEqual([]);
    expect(loadGatewayConfig({ TRUSTED_PROXIES: '172.28.0.10, 10.0.0.0/8' }).trustedProxies).toEqual(['172.28.0.10/32', '10.0.0.0/8']);
  });

  it('names TRUSTED_PROXIES when an entry is not an address or a block', () => {
    expect(() => loadGatewayConfig({ TRUSTED_PROXIES: 'nginx' })).toThrow(/TRUSTED_PROXIES: expected IP addresses or CIDR blocks/);
  });

  it('stops at start when TRUST_FORWARDED_FOR, which trusted x-forwarded-for from any caller, is still set', () => {
    expect(() => loadGatewayConfig({ TRUST_FORWARDED_FOR: 'true' })).toThrow(/TRUST_FORWARDED_FOR: no longer read; list the addresses of the load balancers in front of the gateway in TRUSTED_PROXIES/);
  });
});

describe('loadGatewayConfig: time limits on subgraph fetches', () => {
  it('gives each attempt 5 s and each request 10 s by default', () => {
    expect(loadGatewayConfig({}).resilience).toMatchObject({ subgraphTimeoutMs: 5_000, requestDeadlineMs: 10_000, queryRetries: 1 });
  });

  it('refuses an attempt timeout that is not shorter than the request deadline, naming both variables', () => {
    expect(() => loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '10000' })).toThrow(/SUBGRAPH_TIMEOUT_MS: must be less than GATEWAY_REQUEST_DEADLINE_MS \(10000\)/);
    expect(loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '10000', GATEWAY_REQUEST_DEADLINE_MS: '25000' }).resilience).toMatchObject({ subgraphTimeoutMs: 10_000, requestDeadlineMs: 25_000 });
  });

  it('names GATEWAY_REQUEST_DEADLINE_MS when it is not a positive whole number', () => {
    expect(() => loadGatewayConfig({ GATEWAY_REQUEST_DEADLINE_MS: '10s' })).toThrow(/GATEWAY_REQUEST_DEADLINE_MS: expected a positive whole number, got "10s"/);
  });
});

describe('loadGatewayConfig: expensive fields', () => {
  it('allows 5 a request, and 30 sign-ins, 30 bookings and 120 card checks a minute per caller, unless told otherwise', () => {
    expect(loadGatewayConfig({}).limits).toMatchObject({ maxExpensiveFields: 5, expensiveFieldsPerMinute: { signIn: 30, booking: 30, cardCheck: 120 } });
    const config = loadGatewayConfig({ MAX_EXPENSIVE_FIELDS: '3', SIGN_INS_PER_MINUTE: '0', BOOKINGS_PER_MINUTE: '10', CARD_CHECKS_PER_MINUTE: '600' });
    expect(config.limits).toMatchObject({ maxExpensiveFields: 3, expensiveFieldsPerMinute: { signIn: 0, booking: 10, cardCheck: 600 } });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadGatewayConfig({ MAX_EXPENSIVE_FIELDS: '0' })).toThrow(/MAX_EXPENSIVE_FIELDS: expected a positive whole number/);
    expect(() => loadGatewayConfig({ BOOKINGS_PER_MINUTE: '-1' })).toThrow(/BOOKINGS_PER_MINUTE: expected a whole number \(0 turns the limit off\)/);
  });
});

describe('loadGatewayConfig: listeners', () => {
  const PRODUCTION = {
    NODE_ENV: 'production',
    GATEWAY_SECRET: 'a-long-enough-shared-secret',
    ADMIN_PORT: '9464',
    PLATFORM_READY_URL: 'http://platform:9464/health/ready',
    SICHUAN_READY_URL: 'http://sichuan:9464/health/ready',
    CHONGQING_READY_URL: 'http://chongqing:9464/health/ready',
  };

  it('serves readiness and metrics beside GraphQL in development, and asks each subgraph beside its GraphQL URL', () => {
    const config = loadGatewayConfig({ SICHUAN_URL: 'http://sichuan.internal:8080/graphql' });
    expect(config.adminPort).toBeUndefined();
    expect(config.readinessCacheMs).toBe(1000);
    expect(config.subgraphReadyUrls).toEqual({
      chongqing: 'http://localhost:4003/health/ready',
      platform: 'http://localhost:4001/health/ready',
      sichuan: 'http://sichuan.internal:8080/health/ready',
    });
  });

  it('takes the admin port, the readiness cache and each subgraph\'s readiness URL from the environment', () => {
    const config = loadGatewayConfig({ ...PRODUCTION, READINESS_CACHE_MS: '0' });
    expect(config.adminPort).toBe(9464);
    expect(config.readinessCacheMs).toBe(0);
    expect(config.subgraphReadyUrls['sichuan']).toBe('http://sichuan:9464/health/ready');
  });

  it('refuses production without ADMIN_PORT', () => {
    expect(() => loadGatewayConfig({ ...PRODUCTION, ADMIN_PORT: undefined })).toThrow(/^ADMIN_PORT: required in production/);
  });

  it('refuses the example files\' placeholder secrets in production, naming each variable', () => {
    const placeholders = { GATEWAY_SECRET: 'change-me-to-a-long-random-shared-secret', REDIS_URL: 'redis://default:change-me@redis:6379' };
    expect(() => loadGatewayConfig({ ...PRODUCTION, ...placeholders })).toThrow(
      /^GATEWAY_SECRET: still the placeholder of deploy\/\*\.env\.example, refused in production[^\n]*\nREDIS_URL: its password is still the placeholder/,
    );
    expect(loadGatewayConfig(placeholders).gatewaySecret).toBe(placeholders.GATEWAY_SECRET);
  });

  it("refuses production without every subgraph's readiness URL, naming the missing ones", () => {
    expect(() => loadGatewayConfig({ ...PRODUCTION, SICHUAN_READY_URL: undefined, CHONGQING_READY_URL: '' })).toThrow(
      /^CHONGQING_READY_URL, SICHUAN_READY_URL: required in production/,
    );
  });

  it('names READINESS_CACHE_MS when it is not a whole number', () => {
    expect(() => loadGatewayConfig({ READINESS_CACHE_MS: '-1' })).toThrow(/READINESS_CACHE_MS: expected a whole number/);
  });
});

describe('loadGatewayConfig: CORS_ALLOWED_ORIGINS', () => {
  it('allows no other origin unless told', () => {
    expect(loadGatewayConfig({}).corsAllowedOrigins).toEqual([]);
  });

  it('reads comma-separated origins as a browser writes them', () => {
    expect(loadGatewayConfig({ CORS_ALLOWED_ORIGINS: ' https://Partner.example/ , http://localhost:5173,https://b.example:443' }).corsAllowedOrigins).toEqual([
      'https://partner.example',
      'http://localhost:5173',
      'https://b.example',
    ]);
  });

  it.each(['*', 'https://*.example', 'partner.example', 'https://partner.example/app', 'https://partner.example?x', 'ftp://partner.example'])(
    'refuses %j, naming the variable',
    (value) => {
      expect(() => loadGatewayConfig({ CORS_ALLOWED_ORIGINS: `https://fine.example,${value}` })).toThrow(
        new RegExp(`CORS_ALLOWED_ORIGINS: expected comma-separated origins .*${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not one`),
      );
    },
  );
});
