import type { ProvinceKey } from '../provinces';
import { isProvinceKey } from '../provinces';
import { isAffiliationKind, type AffiliationKind } from './affiliation';

export const ROLES = ['researcher', 'province_admin', 'platform_admin', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** Claims the platform puts in every access token (besides iss, aud, exp, iat, jti). */
export interface AccessTokenClaims {
  sub: string;
  /** Home province of a person; absent for partner clients and platform staff. */
  province?: ProvinceKey;
  roles: Role[];
  /** Space-separated OAuth scopes, for partner clients. */
  scope?: string;
  name?: string;
  /** A person's institution and the kind of organisation it is (prices and reports use them). */
  institution?: string;
  affiliation?: AffiliationKind;
  /** A partner client's request quota, set at registration; the gateway counts the client's requests against it. */
  quota?: ClientQuota;
  /**
   * A token the platform issued to a partner client acting for the person in `sub`, with the person's consent
   * (RFC 8693's actor claim): `act.sub` names the client (`client:<id>`), `cid` the consent it rests on.
   */
  act?: { sub: string };
  cid?: string;
}

/** A person's token held by a partner client acting for them: which client, and the consent that allows it. */
export interface Delegation {
  readonly clientId: string;
  readonly consentId: string;
}

/** Requests a partner client may make a minute and a day, across every gateway replica. */
export interface ClientQuota {
  readonly perMinute: number;
  readonly perDay: number;
}

/** Who is calling, as every service sees it after verifying the token. */
export interface Viewer {
  readonly subject: string;
  readonly kind: 'user' | 'client';
  readonly province: ProvinceKey | null;
  readonly roles: readonly Role[];
  readonly scopes: readonly string[];
  readonly displayName: string | null;
  readonly institution: string | null;
  readonly affiliation: AffiliationKind | null;
  /** A partner client's quota (the `quota` claim); null for people. */
  readonly quota: ClientQuota | null;
  /** Set when a partner client acts for this person with their consent (`act` and `cid`); null when the person calls themselves. */
  readonly delegation: Delegation | null;
}

/** The registered id of a partner client (`demo-partner`), from its token's subject `client:demo-partner`; null for a person. */
export function clientIdOf(viewer: Viewer | null): string | null {
  return viewer?.kind === 'client' && viewer.subject.startsWith('client:') ? viewer.subject.slice('client:'.length) : null;
}

/**
 * The partner client a request comes through: a client calling with its own token, or one acting for a person.
 * Its standing, its quota and each province's grant apply either way; null when a person calls themselves.
 */
export function channelClientOf(viewer: Viewer | null): string | null {
  return viewer?.delegation?.clientId ?? clientIdOf(viewer);
}

const CLIENT_SUBJECT = /^client:([a-z0-9][a-z0-9._-]{1,63})$/;

/** `act` and `cid` together, naming a client, on a person's token; undefined for none; null for a malformed pair. */
function delegationOf(act: unknown, cid: unknown, roles: readonly Role[]): Delegation | null | undefined {
  if (act === undefined && cid === undefined) return undefined;
  if (typeof act !== 'object' || act === null || typeof cid !== 'string' || cid.length === 0 || roles.includes('partner')) return null;
  const match = CLIENT_SUBJECT.exec(String((act as Record<string, unknown>).sub));
  return match ? { clientId: match[1]!, consentId: cid } : null;
}

export function viewerFromClaims(claims: Record<string, unknown>): Viewer | null {
  const { sub, province, roles, scope, name, institution, affiliation, quota, act, cid } = claims;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  if (!Array.isArray(roles) || !roles.every((r): r is Role => (ROLES as readonly string[]).includes(r as string))) return null;
  if (province !== undefined && (typeof province !== 'string' || !isProvinceKey(province))) return null;
  if (scope !== undefined && typeof scope !== 'string') return null;
  if (institution !== undefined && typeof institution !== 'string') return null;
  if (affiliation !== undefined && !isAffiliationKind(affiliation)) return null;
  if (quota !== undefined && !isQuota(quota)) return null;
  const delegation = delegationOf(act, cid, roles);
  if (delegation === null) return null;
  return Object.freeze({
    subject: sub,
    kind: roles.includes('partner') ? 'client' : 'user',
    province: (province as ProvinceKey | undefined) ?? null,
    roles: Object.freeze([...roles]),
    scopes: Object.freeze(scope ? scope.split(' ').filter(Boolean) : []),
    displayName: typeof name === 'string' ? name : null,
    institution: (institution as string | undefined) ?? null,
    affiliation: (affiliation as AffiliationKind | undefined) ?? null,
    quota: quota === undefined ? null : Object.freeze({ perMinute: (quota as ClientQuota).perMinute, perDay: (quota as ClientQuota).perDay }),
    delegation: delegation ? Object.freeze(delegation) : null,
  });
}

function isQuota(value: unknown): value is ClientQuota {
  if (typeof value !== 'object' || value === null) return false;
  const { perMinute, perDay } = value as Record<string, unknown>;
  return Number.isSafeInteger(perMinute) && Number.isSafeInteger(perDay) && (perMinute as number) > 0 && (perDay as number) > 0;
}

export function isProvinceAdmin(viewer: Viewer | null, province: ProvinceKey): boolean {
  // A client acting for a person never acts as an admin, whatever roles its token names.
  return !!viewer && !viewer.delegation && viewer.province === province && viewer.roles.includes('province_admin');
}
