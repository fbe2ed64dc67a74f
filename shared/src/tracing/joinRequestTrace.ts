import { trace } from '@opentelemetry/api';

/** The span attribute holding the request id, the same in every service's logs and spans. */
export const REQUEST_ID_ATTRIBUTE = 'shuangcheng.request_id';

/**
 * Joins a request's logs and its trace: the span serving the request gets the
 * request id, and the returned trace id goes into the request's log line.
 * Undefined when tracing is off (the API's no-op costs a lookup, no more).
 */
export function joinRequestTrace(requestId: string | undefined): string | undefined {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  if (requestId) span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  return span.spanContext().traceId;
}
