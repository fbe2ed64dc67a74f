import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import type { RunningGateway } from '../../gateway/src';
import { MAX_INTROSPECTION_DEPTH, type RunningService } from '../../shared/src';
import { startOwnProductionGateway, startOwnProvince } from '../support/ownServices';
import { graphql, onlyError, testSystem } from '../support/system';

/**
 * Schema tools (GraphQL Code Generator, graphql-inspector, IDEs) introspect with
 * graphql-js's query, 15 levels deep: a development gateway and subgraph answer
 * it whatever MAX_QUERY_DEPTH says, a deeper `ofType` chain is still refused, and
 * production answers no introspection at all.
 */
const FULL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true,
});
const API_SCHEMA = readFileSync(join(__dirname, '..', '..', 'gateway', 'api', 'schema.graphql'), 'utf8');
const deepOfType = (levels: number) => `{ __type(name: "SichuanLab") { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } }`;

const sorted = (sdl: string) => printSchema(lexicographicSortSchema(buildSchema(sdl)));

describe('introspection in development', () => {
  it('answers the standard introspection query at the gateway with the published API schema', async () => {
    const { status, body } = await graphql<IntrospectionQuery>(testSystem().gatewayUrl, FULL_INTROSPECTION);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(sorted(printSchema(buildClientSchema(body.data!)))).toBe(sorted(API_SCHEMA));
  });

  it('answers it at a subgraph', async () => {
    const { body } = await graphql<IntrospectionQuery>(testSystem().subgraphUrls.sichuan, FULL_INTROSPECTION);
    expect(body.errors).toBeUndefined();
    expect(buildClientSchema(body.data!).getType('SichuanInstrument')).toBeDefined();
  });

  it.each([
    ['gateway', () => testSystem().gatewayUrl],
    ['sichuan subgraph', () => testSystem().subgraphUrls.sichuan],
  ])('refuses an `ofType` chain deeper than the standard query at the %s, naming MAX_INTROSPECTION_DEPTH', async (_name, url) => {
    const { status, body } = await graphql(url(), deepOfType(MAX_INTROSPECTION_DEPTH));
    expect(status).toBe(400);
    expect(onlyError(body).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_INTROSPECTION_DEPTH', allowed: MAX_INTROSPECTION_DEPTH });
  });
});

describe('introspection in production', () => {
  let gateway: RunningGateway;
  let sichuan: RunningService;

  beforeAll(async () => {
    sichuan = await startOwnProvince('sichuan-production', 'sichuan', { NODE_ENV: 'production', ADMIN_PORT: '0' });
    gateway = await startOwnProductionGateway('gateway-production', sichuan);
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await sichuan?.close();
  });

  it.each([
    ['gateway', () => gateway.url],
    ['sichuan subgraph', () => sichuan.url],
  ])('refuses the standard introspection query at the %s, and still answers data', async (_name, url) => {
    const { status, body } = await graphql(url(), FULL_INTROSPECTION);
    expect(status).toBe(400);
    expect(onlyError(body).extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(onlyError(body).message).toMatch(/introspection is not allowed/i);
    const data = await graphql(url(), '{ sichuan { name } }');
    expect(data.body).toEqual({ data: { sichuan: { name: 'Sichuan' } } });
  });
});
