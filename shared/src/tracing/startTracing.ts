import type { NodeSDK } from '@opentelemetry/sdk-node';
// Has no imports of its own: loading it here instruments nothing too early.
import { requestTarget } from '../http/requestTarget';

type Environment = Readonly<Record<string, string | undefined>>;

/** The one SDK of this process, once started. */
let sdk: NodeSDK | undefined;

/**
 * Whether the standard OpenTelemetry variables ask for traces: an OTLP
 * endpoint, or a traces exporter other than `none`; `OTEL_SDK_DISABLED=true`
 * wins over both.
 */
export function tracingRequested(env: Environment): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (exporters.length > 0) return !exporters.includes('none');
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/**
 * OpenTelemetry tracing for one service, when the environment asks for it
 * (README "Tracing"). Each service's entry point calls this before anything
 * else: instrumentation only patches `http`, `undici` and `pg` loaded after it.
 * The SDK reads the standard `OTEL_*` variables itself (endpoint, protocol,
 * headers, sampler, batch delay), which is why this runs before, and apart
 * from, the service's own config. Returns whether tracing is on.
 */
export function startTracing(defaultServiceName: string, env: Environment = process.env): boolean {
  if (sdk || !tracingRequested(env)) return false;
  // Loaded only here: with tracing off the SDK is never even read from disk.
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  sdk = new NodeSDK({
    serviceName: env['OTEL_SERVICE_NAME'] || defaultServiceName,
    instrumentations: [
      // GraphQL requests only, by the path the server routes on: health probes and /metrics scrapes would bury
      // them. Outgoing calls (e.g. fetching the JWKS) are traced only as part of a request.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => requestTarget(request.url)?.pathname !== '/graphql', requireParentforOutgoingSpans: true }),
      // The gateway's subgraph fetches (undici Pool.request) carry `traceparent`, so each subgraph continues the gateway's trace.
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // Queries made while serving a request; migrations, seeds and readiness checks are not traces of their own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
    // Traces only: metrics are Prometheus' (/metrics) and logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return true;
}

/** Exports the spans still waiting in the batch; runService calls it before the process exits. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
