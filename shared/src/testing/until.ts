/**
 * The one way tests wait for what a running system does in its own time:
 * polls `attempt` until it gives a value (`undefined`, `false` or a thrown
 * error count as "not yet"), and fails naming `what` once `timeoutMs` passes.
 * Waiting proves presence only: a test never proves absence by waiting.
 */
export async function until<T>(what: string, attempt: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  // Soon at first, for what is nearly there already; then every 50 ms, so polling a busy system does not load it.
  for (let pauseMs = 2; ; pauseMs = Math.min(pauseMs * 2, 50)) {
    try {
      const result = await attempt();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `; last attempt failed: ${lastError.message}` : '';
      throw new Error(`waited ${timeoutMs / 1000} s for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
