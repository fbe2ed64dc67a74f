import { tracingRequested } from '../startTracing';

describe('tracingRequested', () => {
  it('is off when no OpenTelemetry variable is set', () => {
    expect(tracingRequested({})).toBe(false);
  });

  it('is on with an OTLP endpoint, for all signals or for traces only', () => {
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
  });

  it('follows OTEL_TRACES_EXPORTER when it is set', () => {
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });

  it('is off whatever else is set when OTEL_SDK_DISABLED is true', () => {
    expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  });
});

/** The packages tracing needs, which a process with tracing off should never read from disk. */
const SDK_PACKAGES = [
  '@opentelemetry/sdk-node',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/instrumentation-undici',
  '@opentelemetry/instrumentation-pg',
] as const;

/**
 * Loads startTracing afresh (its own module registry, so an import at the top
 * of the module counts too) with each SDK package replaced by a stand-in that
 * records being loaded, and calls it with `env`.
 */
function loadedWhileStarting(env: Record<string, string>): { started: boolean; loaded: string[] } {
  const loaded: string[] = [];
  let started = false;
  jest.isolateModules(() => {
    for (const name of SDK_PACKAGES) {
      jest.doMock(name, () => {
        loaded.push(name);
        class StandIn { start() {} }
        return { NodeSDK: StandIn, HttpInstrumentation: StandIn, UndiciInstrumentation: StandIn, PgInstrumentation: StandIn };
      });
    }
    const { startTracing } = require('../startTracing') as typeof import('../startTracing');
    started = startTracing('gateway', env);
  });
  return { started, loaded };
}

describe('startTracing', () => {
  afterEach(() => {
    for (const name of SDK_PACKAGES) jest.dontMock(name);
  });

  it('does not even load the SDK when the environment does not ask for tracing', () => {
    expect(loadedWhileStarting({})).toEqual({ started: false, loaded: [] });
  });

  // The check above can fail: asking for tracing loads every package, and the stand-ins see it.
  it('loads the SDK and its instrumentations when the environment asks for tracing', () => {
    const { started, loaded } = loadedWhileStarting({ OTEL_TRACES_EXPORTER: 'console' });
    expect(started).toBe(true);
    expect([...loaded].sort()).toEqual([...SDK_PACKAGES].sort());
  });
});
