import { GATEWAY_SECRET_HEADER } from '../../../../shared/src';

/** How this province reaches the platform's service-only fields. */
export interface PlatformAccess {
  readonly url: string;
  /** The gateway's secret: the platform answers its service-only fields to nobody else. */
  readonly gatewaySecret: string | undefined;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * Asks the platform one of its service-only root fields (partner clients' standings, where to mail people), as the
 * gateway asks a subgraph: its `/graphql` with the gateway secret. Answers the field's value; throws when the platform
 * cannot answer, and the caller decides how long an old answer may serve (or when to try again).
 */
export async function askPlatform<T>(access: PlatformAccess, field: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await (access.fetch ?? fetch)(access.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(access.gatewaySecret ? { [GATEWAY_SECRET_HEADER]: access.gatewaySecret } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(access.timeoutMs ?? 3_000),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message?: string }[] };
  const value = body.data?.[field];
  if (response.status !== 200 || value === undefined || value === null) {
    throw new Error(`the platform answered ${field} with HTTP ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
  }
  return value as T;
}
