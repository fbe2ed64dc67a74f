import type { Role } from '../auth/claims';
import type { Viewer } from '../auth/claims';

/**
 * What a person holds over their own records, named so that a consent can hand a partner client acting for them
 * just the part it needs (`@delegable` in the SDL says which part each field needs): reading their talent card,
 * vouchers, charges, bookings and service requests; getting a verification code for their card; spending their
 * vouchers. The person's own session reaches those records without them (`@authenticated` and the data's owner).
 */
export const PERSONAL_SCOPES = ['person:read', 'card:present', 'voucher:spend'] as const;

/**
 * Scopes a person holds by role. Partner clients hold exactly the scopes they
 * were granted (the `scope` claim); people get theirs from their roles, so one
 * `@requiresScopes` rule covers both kinds of caller.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly string[]>> = {
  // Not card:verify: a person checks no one's card; service providers do, as clients a province granted it.
  // The person's own records (person:read), showing their card to a provider (card:present) and paying with their
  // vouchers (voucher:spend) are theirs anyway: as scopes they can be handed to a partner client one by one.
  researcher: ['catalog:read', 'booking:write', 'service:request', ...PERSONAL_SCOPES],
  province_admin: ['catalog:read', 'card:verify', 'registry:write', 'booking:decide'],
  platform_admin: ['catalog:read', 'card:verify', 'identity:admin'],
  partner: [],
};

/**
 * Scopes a client uses only while acting for a person who consented (booking, requesting a service, and the
 * personal scopes): registered and granted like the others, never in a token of the client's own, and in a
 * delegated token only when the person holds them too.
 */
export const DELEGABLE_SCOPES = ['booking:write', 'service:request', ...PERSONAL_SCOPES] as const;

/**
 * Scopes a partner client may be granted: reading the catalogue, checking talent cards, (an instrument kiosk)
 * recording check-in and check-out in one province, and those it uses acting for a person. The other scopes go
 * with a role the `@policy` rules check, which no client holds.
 */
export const PARTNER_SCOPES = ['catalog:read', 'card:verify', 'usage:record:sichuan', 'usage:record:chongqing', ...DELEGABLE_SCOPES] as const;

export const isDelegableScope = (scope: string): boolean => (DELEGABLE_SCOPES as readonly string[]).includes(scope);

/** The scope of a kiosk client that records actual use of one province's instruments. */
export const usageRecordScope = (province: string) => `usage:record:${province}`;

export function effectiveScopes(viewer: Viewer): ReadonlySet<string> {
  // A client acting for a person holds what the token names (the person's scopes, the consent and the client's
  // registration intersected), never the whole of the person's roles.
  if (viewer.delegation) return new Set(viewer.scopes);
  return new Set([...viewer.scopes, ...viewer.roles.flatMap((role) => ROLE_SCOPES[role])]);
}
