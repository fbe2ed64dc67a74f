import { z } from 'zod';
import { AFFILIATION_KINDS, ConfigError, PROVINCE_KEYS, isPlaceholderSecret, type AffiliationKind, type ProvinceKey } from '../../../../shared/src';

/**
 * Which claim of the provider's ID token holds each attribute the platform keeps on a user. A claim the provider
 * does not send leaves the attribute empty; `homeProvince` and `affiliation` take the platform's own values
 * (`sichuan`, `academic`…) unless `provinceValues` / `affiliationValues` translate the provider's.
 */
const claimMappingSchema = z.strictObject({
  name: z.string().min(1).default('name'),
  email: z.string().min(1).default('email'),
  homeProvince: z.string().min(1).optional(),
  institution: z.string().min(1).optional(),
  affiliation: z.string().min(1).optional(),
});

const providerSchema = z.strictObject({
  /** How clients name the provider (`beginExternalSignIn(provider: "demo-idp")`), and part of usernames it creates. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { message: 'expected lower-case letters, digits and dashes (at most 32), e.g. "sichuan-gov"' }),
  /** Shown to people on the sign-in page. */
  name: z.string().min(1).max(120),
  /** The issuer identifier: discovery reads `<issuer>/.well-known/openid-configuration`, and ID tokens must name it. */
  issuer: z.url({ protocol: /^https?$/, message: 'expected the provider\'s issuer URL, e.g. https://id.example.gov.cn' }),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scopes: z.array(z.string().min(1)).default(['openid', 'profile', 'email']).refine((scopes) => scopes.includes('openid'), { message: 'must include "openid"' }),
  claims: claimMappingSchema.default({ name: 'name', email: 'email' }),
  provinceValues: z.record(z.string(), z.enum(PROVINCE_KEYS)).default({}),
  affiliationValues: z.record(z.string(), z.enum(AFFILIATION_KINDS)).default({}),
  /**
   * Whether the provider vouches for the institution and affiliation it sends (an institution's own single sign-on
   * does; a general government-service account may not). False: they are kept as unverified, like self-registration.
   */
  attributesVerified: z.boolean().default(false),
});

export type ClaimMapping = z.infer<typeof claimMappingSchema>;

export interface ExternalProviderConfig {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly claims: ClaimMapping;
  readonly provinceValues: Readonly<Record<string, ProvinceKey>>;
  readonly affiliationValues: Readonly<Record<string, AffiliationKind>>;
  readonly attributesVerified: boolean;
}

export interface ExternalSignInConfig {
  readonly providers: readonly ExternalProviderConfig[];
  /** Where providers may send a person back to (exact URLs): a client's `redirectUri` must be one of them. */
  readonly redirectUris: readonly string[];
  /** How long a begun sign-in waits for its callback. */
  readonly stateTtlSeconds: number;
}

/** The variables: `OIDC_PROVIDERS` is a JSON array of providers (see README, "Signing in through an identity provider"). */
export const externalSignInEnvSchema = {
  OIDC_PROVIDERS: z.string().optional(),
  OIDC_REDIRECT_URIS: z.string().optional(),
  OIDC_STATE_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
};

interface ExternalSignInVars {
  OIDC_PROVIDERS?: string | undefined;
  OIDC_REDIRECT_URIS?: string | undefined;
  OIDC_STATE_TTL_SECONDS: number;
}

/** Parses and checks the providers; in production, refuses what would be unsafe there, each problem named. */
export function toExternalSignInConfig(vars: ExternalSignInVars, production: boolean): ExternalSignInConfig {
  const providers = parseProviders(vars.OIDC_PROVIDERS);
  const redirectUris = (vars.OIDC_REDIRECT_URIS ?? '').split(',').map((uri) => uri.trim()).filter(Boolean);
  const problems: string[] = [];
  for (const uri of redirectUris) {
    if (!URL.canParse(uri) || !/^https?:$/.test(new URL(uri).protocol) || new URL(uri).hash) {
      problems.push(`OIDC_REDIRECT_URIS: ${JSON.stringify(uri)} is not an absolute http(s) URL without a #fragment`);
    } else if (production && new URL(uri).protocol !== 'https:') {
      problems.push(`OIDC_REDIRECT_URIS: ${JSON.stringify(uri)} must be https in production (NODE_ENV=production)`);
    }
  }
  if (providers.length > 0 && redirectUris.length === 0) {
    problems.push('OIDC_REDIRECT_URIS: required when OIDC_PROVIDERS lists providers: the comma-separated addresses of the pages that complete a sign-in');
  }
  const seen = new Set<string>();
  providers.forEach((provider, index) => {
    const where = `OIDC_PROVIDERS[${index}] (${provider.id})`;
    if (seen.has(provider.id)) problems.push(`${where}: the id is used twice`);
    seen.add(provider.id);
    if (production && new URL(provider.issuer).protocol !== 'https:') problems.push(`${where}: issuer must be https in production (NODE_ENV=production)`);
    if (production && (provider.clientSecret.length < 16 || isPlaceholderSecret(provider.clientSecret))) {
      problems.push(`${where}: clientSecret is a placeholder or shorter than 16 characters, refused in production (NODE_ENV=production)`);
    }
  });
  if (problems.length > 0) throw new ConfigError(`Invalid identity provider configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({ providers: Object.freeze(providers), redirectUris: Object.freeze(redirectUris), stateTtlSeconds: vars.OIDC_STATE_TTL_SECONDS });
}

function parseProviders(text: string | undefined): ExternalProviderConfig[] {
  if (!text) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`OIDC_PROVIDERS: expected a JSON array of providers, but it is not JSON (${(error as Error).message})`);
  }
  const result = z.array(providerSchema).safeParse(json);
  if (!result.success) {
    const messages = result.error.issues.map((issue) => {
      const [index, ...field] = issue.path;
      return `OIDC_PROVIDERS${index === undefined ? '' : `[${String(index)}]`}${field.length ? `.${field.join('.')}` : ''}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid identity provider configuration:\n  ${messages.join('\n  ')}`);
  }
  // The issuer stays exactly as written: ID tokens must name it to the character (a trailing slash included).
  return result.data.map((provider) => Object.freeze({ ...provider }));
}
