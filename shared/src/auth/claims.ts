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
}

/** The registered id of a partner client (`demo-partner`), from its token's subject `client:demo-partner`; null for a person. */
export function clientIdOf(viewer: Viewer | null): string | null {
  return viewer?.kind === 'client' && viewer.subject.startsWith('client:') ? viewer.subject.slice('client:'.length) : null;
}

export function viewerFromClaims(claims: Record<string, unknown>): Viewer | null {
  const { sub, province, roles, scope, name, institution, affiliation, quota } = claims;
  if (typeof sub !== 'string' || sub.length === 0) return null;
  if (!Array.isArray(roles) || !roles.every((r): r is Role => (ROLES as readonly string[]).includes(r as string))) return null;
  if (province !== undefined && (typeof province !== 'string' || !isProvinceKey(province))) return null;
  if (scope !== undefined && typeof scope !== 'string') return null;
  if (institution !== undefined && typeof institution !== 'string') return null;
  if (affiliation !== undefined && !isAffiliationKind(affiliation)) return null;
  if (quota !== undefined && !isQuota(quota)) return null;
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
  });
}

function isQuota(value: unknown): value is ClientQuota {
  if (typeof value !== 'object' || value === null) return false;
  const { perMinute, perDay } = value as Record<string, unknown>;
  return Number.isSafeInteger(perMinute) && Number.isSafeInteger(perDay) && (perMinute as number) > 0 && (perDay as number) > 0;
}

export function isProvinceAdmin(viewer: Viewer | null, province: ProvinceKey): boolean {
  return !!viewer && viewer.province === province && viewer.roles.includes('province_admin');
}
