import { PROVINCES, PROVINCE_KEYS, isAffiliationKind, isProvinceKey, type AffiliationKind, type ProvinceKey } from '../../../../shared/src';
import type { ExternalProviderConfig } from './providerConfig';

/** What a provider's ID token says about a person, in the platform's terms. */
export interface MappedAttributes {
  readonly displayName: string | null;
  readonly email: string | null;
  /** The provider asserts the address is the person's (`email_verified: true`). */
  readonly emailVerified: boolean;
  readonly homeProvince: ProvinceKey | null;
  readonly institution: string | null;
  readonly affiliation: AffiliationKind | null;
  /** The provider vouches for institution and affiliation (its `attributesVerified`). */
  readonly affiliationVerified: boolean;
}

const MAX_NAME = 120;
const MAX_INSTITUTION = 200;
const MAX_EMAIL = 254;

/**
 * Reads the mapped claims. A claim that is missing, not a string, or not a value the platform knows leaves its
 * attribute empty rather than failing the sign-in: a provider's profile may be incomplete, and the person can
 * still sign in and have an admin complete it.
 */
export function mapClaims(provider: ExternalProviderConfig, claims: Readonly<Record<string, unknown>>): MappedAttributes {
  const text = (claim: string | undefined, max: number) => {
    const value = claim ? claims[claim] : undefined;
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;
  };
  const email = text(provider.claims.email, MAX_EMAIL);
  const institution = text(provider.claims.institution, MAX_INSTITUTION);
  const affiliation = mapAffiliation(provider, text(provider.claims.affiliation, 64));
  return {
    displayName: text(provider.claims.name, MAX_NAME),
    email: email && /^[^\s@]+@[^\s@]+$/.test(email) ? email.toLowerCase() : null,
    emailVerified: !!email && claims['email_verified'] === true,
    homeProvince: mapProvince(provider, text(provider.claims.homeProvince, 64)),
    institution,
    affiliation,
    affiliationVerified: provider.attributesVerified && (institution !== null || affiliation !== null),
  };
}

function mapProvince(provider: ExternalProviderConfig, value: string | null): ProvinceKey | null {
  if (value === null) return null;
  const translated = provider.provinceValues[value];
  if (translated) return translated;
  const lower = value.toLowerCase();
  if (isProvinceKey(lower)) return lower;
  // Also the code (CHONGQING) and the short form of ids and plates (cq), as providers commonly send them.
  return PROVINCE_KEYS.find((key) => PROVINCES[key].code === value.toUpperCase() || PROVINCES[key].idPrefix === lower || PROVINCES[key].nameZh === value) ?? null;
}

function mapAffiliation(provider: ExternalProviderConfig, value: string | null): AffiliationKind | null {
  if (value === null) return null;
  const translated = provider.affiliationValues[value];
  if (translated) return translated;
  const lower = value.toLowerCase();
  return isAffiliationKind(lower) ? lower : null;
}
