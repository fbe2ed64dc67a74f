import type { Role } from '../auth/claims';
import type { Viewer } from '../auth/claims';

/**
 * Scopes a person holds by role. Partner clients hold exactly the scopes they
 * were granted (the `scope` claim); people get theirs from their roles, so one
 * `@requiresScopes` rule covers both kinds of caller.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly string[]>> = {
  // Not card:verify: a person checks no one's card; service providers do, as clients a province granted it.
  researcher: ['catalog:read', 'booking:write', 'service:request'],
  province_admin: ['catalog:read', 'card:verify', 'registry:write', 'booking:decide'],
  platform_admin: ['catalog:read', 'card:verify', 'identity:admin'],
  partner: [],
};

/**
 * Scopes a partner client may be granted: reading the catalogue, checking talent cards, and (an instrument kiosk)
 * recording check-in and check-out in one province. Booking acts for a researcher, and the other scopes go with a
 * role the `@policy` rules check, which no client holds.
 */
export const PARTNER_SCOPES = ['catalog:read', 'card:verify', 'usage:record:sichuan', 'usage:record:chongqing', 'booking:write', 'service:request'] as const;

/**
 * Scopes a client uses only while acting for a person who consented (booking, requesting a service): registered
 * and granted like the others, never in a token of the client's own, and in a delegated token only when the
 * person holds them too.
 */
export const DELEGABLE_SCOPES = ['booking:write', 'service:request'] as const;

export const isDelegableScope = (scope: string): boolean => (DELEGABLE_SCOPES as readonly string[]).includes(scope);

/** The scope of a kiosk client that records actual use of one province's instruments. */
export const usageRecordScope = (province: string) => `usage:record:${province}`;

export function effectiveScopes(viewer: Viewer): ReadonlySet<string> {
  // A client acting for a person holds what the token names (the person's scopes, the consent and the client's
  // registration intersected), never the whole of the person's roles.
  if (viewer.delegation) return new Set(viewer.scopes);
  return new Set([...viewer.scopes, ...viewer.roles.flatMap((role) => ROLE_SCOPES[role])]);
}
