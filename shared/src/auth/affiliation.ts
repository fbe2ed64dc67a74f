import type { ProvinceKey } from '../provinces';

/**
 * What kind of organisation a person belongs to. Kept on the user by the platform (set by an admin, by
 * self-registration or mapped from an identity provider's claims) and carried in the access token as `affiliation`,
 * so every province prices and reports by it without asking the platform.
 */
export const AFFILIATION_KINDS = ['academic', 'enterprise', 'internal'] as const;
export type AffiliationKind = (typeof AFFILIATION_KINDS)[number];

export function isAffiliationKind(value: unknown): value is AffiliationKind {
  return typeof value === 'string' && (AFFILIATION_KINDS as readonly string[]).includes(value);
}

/**
 * The customer category a serving province prices a person's use by: academic callers split by whether they
 * come from the serving province; enterprises and the province's own staff have one category each.
 */
export const CUSTOMER_CATEGORIES = ['OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL'] as const;
export type CustomerCategory = (typeof CUSTOMER_CATEGORIES)[number];

export interface AffiliatedCaller {
  readonly province: ProvinceKey | null;
  readonly affiliation: AffiliationKind | null;
}

/**
 * A person without a recorded affiliation counts as academic (the platform's users were researchers before
 * affiliations were kept); a person without a home province is never "own province".
 */
export function customerCategory(caller: AffiliatedCaller, servingProvince: ProvinceKey): CustomerCategory {
  const kind = caller.affiliation ?? 'academic';
  if (kind === 'enterprise') return 'ENTERPRISE';
  if (kind === 'internal' && caller.province === servingProvince) return 'INTERNAL';
  return caller.province === servingProvince ? 'OWN_PROVINCE_ACADEMIC' : 'OTHER_PROVINCE_ACADEMIC';
}
