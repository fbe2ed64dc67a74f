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
 * Asks the platform its service-only root fields (partner clients' standings, revoked consents, where to mail
 * people), as the gateway asks a subgraph: its `/graphql` with the gateway secret. Answers `data` once every field
 * in `required` is there; throws when the platform cannot answer, and the caller decides how long an old answer may
 * serve (or when to try again).
 */
export async function askPlatform<T extends object>(access: PlatformAccess, query: string, variables: Record<string, unknown>, required: readonly (keyof T & string)[]): Promise<T> {
  const response = await (access.fetch ?? fetch)(access.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(access.gatewaySecret ? { [GATEWAY_SECRET_HEADER]: access.gatewaySecret } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(access.timeoutMs ?? 3_000),
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message?: string }[] };
  const missing = required.filter((field) => body.data?.[field] === undefined || body.data?.[field] === null);
  if (response.status !== 200 || missing.length > 0) {
    throw new Error(`the platform answered ${required.join(', ')} with HTTP ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
  }
  return body.data as T;
}
