import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { gateway, testSystem, tokenFor } from '../support/system';
import { until } from '../support/until';

/** The gateway logs one JSON line per GraphQL request, like every subgraph, and never the caller's token. */
function gatewayLogLinesWith(requestId: string): Promise<{ lines: Record<string, unknown>[]; text: string }> {
  const file = join(testSystem().logDir, 'gateway.log');
  // A request's line is written when its answer is sent, so it may land a moment after the response.
  return until(`the gateway's log lines of ${requestId}`, () => {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').filter((line) => line.includes(requestId)).map((line) => JSON.parse(line) as Record<string, unknown>);
    return lines.length > 0 && { lines, text };
  });
}

describe('gateway request log', () => {
  it('writes request id, operation, subject, duration and outcome, and never the token', async () => {
    const token = await tokenFor('li.wei');
    const requestId = `log-test-${randomUUID()}`;
    const { headers, body } = await gateway('query LoggedProbe { me { username } sichuan { name } }', { token, headers: { 'x-request-id': requestId } });
    expect(body.errors).toBeUndefined();
    expect(headers.get('x-request-id')).toBe(requestId);

    const { lines, text } = await gatewayLogLinesWith(requestId);
    const requestLines = lines.filter((line) => line['msg'] === 'graphql request');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      service: 'gateway', requestId, operationName: 'LoggedProbe', subject: expect.any(String), status: 200, outcome: 'ok',
    });
    expect(requestLines[0]!['durationMs']).toEqual(expect.any(Number));
    expect(text).not.toContain(token);
  });

  it('logs a failed request with its outcome and error codes', async () => {
    const requestId = `log-test-${randomUUID()}`;
    await gateway('query LoggedFailure { sichuan { nope } }', { headers: { 'x-request-id': requestId } });
    const { lines } = await gatewayLogLinesWith(requestId);
    expect(lines.find((line) => line['msg'] === 'graphql request')).toMatchObject({
      requestId, subject: null, outcome: 'error', errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    });
  });
});
