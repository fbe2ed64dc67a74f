import { startTracing, tracingRequested } from '../startTracing';

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

describe('startTracing', () => {
  it('does not even load the SDK when the environment does not ask for tracing', () => {
    jest.doMock('@opentelemetry/sdk-node', () => {
      throw new Error('the SDK was loaded');
    });
    expect(startTracing('gateway', {})).toBe(false);
  });
});
