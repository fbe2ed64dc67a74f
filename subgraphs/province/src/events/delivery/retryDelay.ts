/**
 * The wait before attempt `failedAttempts + 1`: exponential (base × 2^(n−1), at most `maxMs`) with
 * "equal jitter" (half fixed, half random), so receivers that failed together are not retried together.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
