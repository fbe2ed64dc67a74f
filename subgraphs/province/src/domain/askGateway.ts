import { unauthenticated, type JsonPost } from '../../../../shared/src';

/** What this province passes on when it asks the gateway on a caller's behalf. */
export interface CallerHeaders {
  /** The caller's `Authorization` header, as received. */
  readonly authorization?: string;
  readonly requestId: string;
}

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** How this province reaches the gateway, and how long a person waiting on a mutation may be kept waiting. */
export interface GatewayAccess {
  readonly url: string;
  readonly fetch: JsonPost;
  readonly timeoutMs: number;
}

/**
 * Asks the gateway the partner's published answer, with the caller's own token: the partner owns its rows, and this
 * province may neither read the partner's database nor keep a copy that drifts. Returns the HTTP status and answer;
 * `unavailable` makes the error for a gateway that could not be asked (refused connection, timeout, no JSON) and for
 * any answer other than 200 and a 401.
 */
export async function askGateway(
  access: GatewayAccess,
  request: { query: string; variables: Record<string, unknown>; caller: CallerHeaders; what: string },
  unavailable: () => Error,
): Promise<GraphQLAnswer> {
  let status: number;
  let body: GraphQLAnswer;
  try {
    const response = await access.fetch(access.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': request.caller.requestId,
        ...(request.caller.authorization ? { authorization: request.caller.authorization } : {}),
      },
      body: JSON.stringify({ query: request.query, variables: request.variables }),
      signal: AbortSignal.timeout(access.timeoutMs),
    });
    status = response.status;
    body = (await response.json()) as GraphQLAnswer;
  } catch {
    throw unavailable();
  }
  if (status === 401) throw unauthenticated(`Your token was refused while checking ${request.what}; sign in again and retry.`);
  if (status >= 400 && status < 500 && status !== 429) {
    // The gateway refused the request itself (a limit, a schema change): retrying will not help, so it is reported as a fault.
    throw new Error(`the gateway refused the check of ${request.what} with HTTP ${status}: ${body.errors?.[0]?.message ?? 'no message'}`);
  }
  // An answer with errors and no data (a non-null field refused) is the partner's answer: the caller reads its errors.
  if (status !== 200 || (!body.data && !body.errors?.length)) throw unavailable();
  return body;
}
