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
