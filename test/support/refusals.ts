import type { GraphQLResponse } from './system';

/**
 * The answer is a refusal: no data, the first error coded `code` (and naming `argument`, or giving `reason`, when
 * asked), with a message that shows no stack frame or SQL.
 */
export function expectRefused(body: GraphQLResponse['body'], code: string, detail: { argument?: string; reason?: string } = {}): void {
  expect(body.data ?? null).toBeNull();
  const [error] = body.errors ?? [];
  expect(error?.extensions?.['code']).toBe(code);
  if (detail.argument) expect(error?.extensions?.['argument']).toBe(detail.argument);
  if (detail.reason) expect(error?.extensions?.['reason']).toBe(detail.reason);
  expect(error?.message).not.toMatch(/at .+\.ts:\d+|SELECT|INSERT|UPDATE/);
}
