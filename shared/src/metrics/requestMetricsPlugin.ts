import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from './createMetricsRegistry';

export interface RequestMetricsOptions {
  /**
   * Distinct operation names one process labels series with; later new names
   * are counted as `other`. Default 200. Clients choose operation names, so
   * without a cap a caller could create series without end.
   */
  readonly maxOperationNames?: number;
}

/** A GraphQL name Prometheus can carry as it is; longer names count as `other`. */
const LABELLED_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Counts GraphQL requests and measures their duration by operation name
 * (`anonymous` when the operation has none, or the document never resolved to
 * one) and outcome (`ok`, or `error` when the response carries any error).
 * One observation per operation, so each operation of a batch counts.
 */
export function requestMetricsPlugin<TContext extends BaseContext>(
  registry: MetricsRegistry,
  options: RequestMetricsOptions = {},
): ApolloServerPlugin<TContext> {
  const startRequest = requestMetrics(registry, options);
  return {
    async requestDidStart() {
      const observe = startRequest();
      return {
        async willSendResponse({ operationName, errors }) {
          observe(operationName, errors);
        },
      };
    },
  };
}

/**
 * The request metrics' series, registered once; each call of the returned function starts one request's
 * observation, made when its response is ready (requestPlugin.ts runs it in the one plugin of a service).
 */
export function requestMetrics(
  registry: MetricsRegistry,
  options: RequestMetricsOptions = {},
): () => (operationName: string | null | undefined, errors: readonly unknown[] | undefined) => void {
  const maxOperationNames = options.maxOperationNames ?? 200;
  const labelNames = ['operation', 'outcome'] as const;
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations answered, by operation name and outcome (ok|error).',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL operation to sending its response, by operation name and outcome.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const knownNames = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (knownNames.has(name)) return name;
    if (!LABELLED_NAME.test(name) || knownNames.size >= maxOperationNames) return 'other';
    knownNames.add(name);
    return name;
  };
  return () => {
    const started = process.hrtime.bigint();
    return (operationName, errors) => {
      const labels = { operation: operationLabel(operationName), outcome: errors && errors.length > 0 ? 'error' : 'ok' };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
  };
}
