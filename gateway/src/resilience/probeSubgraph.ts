/** What one look at a subgraph's `/health/ready` found. */
export type SubgraphHealth = 'ready' | 'unreachable' | `not ready (HTTP ${number})`;

/** Where a subgraph without an admin port (development) answers readiness: beside its GraphQL URL. */
export const readinessUrlBeside = (graphqlUrl: string): string => new URL('/health/ready', graphqlUrl).toString();

/** Asks a subgraph's readiness URL whether it is ready: the gateway's readiness report and an open circuit's probe. */
export async function probeSubgraph(readyUrl: string, timeoutMs = 2_000): Promise<SubgraphHealth> {
  try {
    const response = await fetch(readyUrl, { signal: AbortSignal.timeout(timeoutMs) });
    // Read the body so the connection goes back to the pool.
    await response.arrayBuffer();
    return response.ok ? 'ready' : `not ready (HTTP ${response.status})`;
  } catch {
    return 'unreachable';
  }
}
