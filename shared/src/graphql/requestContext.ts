import { randomUUID } from 'node:crypto';
import type { TokenGuard } from '../auth/createTokenGuard';
import { TokenRefusedError, type TokenVerifier } from '../auth/createTokenVerifier';
import type { Viewer } from '../auth/claims';
import { DomainError } from '../errors/DomainError';
import { toGraphQLError } from '../errors/toGraphQLError';
import type { RequestHead } from '../http/RequestHead';

export interface RequestIdentity {
  readonly viewer: Viewer | null;
  /** Carried from the gateway (`x-request-id`) so one request can be followed through every service's logs. */
  readonly requestId: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Who is asking and under which request id. Every subgraph verifies the
 * forwarded token itself: calling a subgraph directly gives no more rights
 * than calling through the gateway. A bad token is an HTTP 401, counted and
 * logged by the guard; an address that sent too many gets HTTP 429 before its
 * next token is looked at.
 */
export async function identifyRequest(req: RequestHead, verifier: TokenVerifier, guard: TokenGuard): Promise<RequestIdentity> {
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  const { authorization } = req.headers;
  // Only a request with a token costs verification work, so only such a request is throttled.
  if (authorization) await guard.admit(req, requestId);
  try {
    const viewer = await verifier.verifyAuthorizationHeader(authorization);
    return { viewer, requestId };
  } catch (error) {
    if (error instanceof TokenRefusedError) await guard.refused(req, requestId, error.reason);
    if (error instanceof DomainError) throw toGraphQLError(error);
    throw error;
  }
}
