import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnService, type ChildService } from '../../scripts/system';
import { PROVINCE_KEYS, REQUEST_ID_ATTRIBUTE } from '../../shared/src';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlpReceiver';
import { graphql, testSystem } from '../support/system';
import { until } from '../support/until';

/**
 * A gateway and both province subgraphs of this file's own, with tracing on,
 * exporting OTLP/HTTP JSON to a receiver in this test. They use the test
 * system's databases (already migrated and seeded) and its platform; the
 * shared system itself stays untraced.
 */
let receiver: OtlpReceiver;
let gatewayUrl: string;
const services: ChildService[] = [];
const logDir = mkdtempSync(join(tmpdir(), 'traced-system-'));

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const { subgraphUrls, databaseUrls } = testSystem();
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  const common = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    JWKS_URL: new URL('/.well-known/jwks.json', subgraphUrls.platform).toString(),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    // Export within a tenth of a second instead of five.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
  const gatewayPort = await freePort();
  const provinceUrls = { sichuan: url(await freePort()), chongqing: url(await freePort()) };
  const provinces = PROVINCE_KEYS.map((province) =>
    spawnService(`traced-${province}`, 'subgraphs/province/src/main.ts', {
      GATEWAY_SECRET: testSystem().gatewaySecret,
      ...common,
      PROVINCE: province,
      PORT: new URL(provinceUrls[province]).port,
      DATABASE_URL: databaseUrls[province],
      MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: 'false',
      GATEWAY_URL: url(gatewayPort),
    }, logDir),
  );
  services.push(...provinces);
  await Promise.all(provinces.map((service, index) => service.waitUntil('ready', provinceUrls[PROVINCE_KEYS[index]!])));
  const gateway = spawnService('traced-gateway', 'gateway/src/main.ts', {
    GATEWAY_SECRET: testSystem().gatewaySecret,
    ...common,
    PORT: String(gatewayPort),
    PLATFORM_URL: subgraphUrls.platform,
    SICHUAN_URL: provinceUrls.sichuan,
    CHONGQING_URL: provinceUrls.chongqing,
  }, logDir);
  services.push(gateway);
  gatewayUrl = url(gatewayPort);
  await gateway.waitUntil('live', gatewayUrl);
}, 90_000);

afterAll(async () => {
  // Gateway first, as in production; stopping also flushes each one's last spans.
  for (const service of [...services].reverse()) await service.stop();
  await receiver?.close();
  if (!process.env['KEEP_TEST_DATA']) rmSync(logDir, { recursive: true, force: true });
});

/** The one `graphql request` log line a service wrote for `requestId`. */
function requestLogLine(service: string, requestId: string): Record<string, unknown> | undefined {
  return readFileSync(join(logDir, `${service}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.includes(requestId))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line['msg'] === 'graphql request');
}

describe('tracing across the gateway and the subgraphs', () => {
  it('follows one request into both provinces and their databases as one trace, named in the logs', async () => {
    const requestId = `trace-test-${randomUUID()}`;
    const { status, body } = await graphql(
      gatewayUrl,
      'query TracedProbe { sichuan { instruments(first: 2) { totalCount } } chongqing { instruments(first: 2) { totalCount } } }',
      { headers: { 'x-request-id': requestId } },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();

    // The gateway's request span carries the request id; its trace is the one to follow.
    const traceId = (await until('gateway span with the request id', () =>
      receiver.spans.find((span) => span.service === 'gateway' && span.attributes[REQUEST_ID_ATTRIBUTE] === requestId))).traceId;
    const serverSpanOf = (trace: readonly ReceivedSpan[], service: string) => trace.find((span) => span.service === service && span.kind === SPAN_KIND.server);
    const trace = await until('complete trace', () => {
      const spans = receiver.spans.filter((span) => span.traceId === traceId);
      const complete = PROVINCE_KEYS.every((province) => serverSpanOf(spans, province) && spans.some((span) => span.service === province && span.name.startsWith('pg.query')));
      return complete ? spans : undefined;
    });

    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['gateway', 'sichuan', 'chongqing']));
    const gatewaySpans = trace.filter((span) => span.service === 'gateway');
    expect(gatewaySpans.map((span) => span.name)).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']));
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    for (const province of PROVINCE_KEYS) {
      // province server span ← gateway's HTTP client span ← gateway.fetch for that province.
      const server = serverSpanOf(trace, province)!;
      const client = byId.get(server.parentSpanId ?? '');
      expect({ province, parent: client && { service: client.service, kind: client.kind } }).toEqual({ province, parent: { service: 'gateway', kind: SPAN_KIND.client } });
      const fetch = byId.get(client!.parentSpanId ?? '');
      expect({ province, fetch: fetch && { name: fetch.name, service: fetch.attributes['service'] } }).toEqual({ province, fetch: { name: 'gateway.fetch', service: province } });
      expect(server.attributes[REQUEST_ID_ATTRIBUTE]).toBe(requestId);
      const queries = trace.filter((span) => span.service === province && span.name.startsWith('pg.query'));
      expect(queries.length).toBeGreaterThan(0);
    }

    // Logs and traces join: each service's request log line names the trace.
    const logged = await until('gateway request log line', () => requestLogLine('traced-gateway', requestId));
    expect(logged).toMatchObject({ service: 'gateway', requestId, traceId });
    for (const province of PROVINCE_KEYS) {
      expect(await until(`${province} request log line`, () => requestLogLine(`traced-${province}`, requestId))).toMatchObject({ requestId, traceId });
    }
  });
});
