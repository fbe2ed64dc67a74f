import type * as OpenIdClient from 'openid-client' with { 'resolution-mode': 'import' };
import { DomainError, ErrorCode } from '../../../../shared/src';
import type { ExternalProviderConfig } from './providerConfig';

/** Why a provider's answer was not accepted, in `extensions.reason`. */
export type ExternalSignInRefusal = 'PROVIDER_UNAVAILABLE' | 'PROVIDER_REFUSED' | 'RESPONSE_REJECTED';

/** What one sign-in at a provider must match when it comes back: kept server-side between begin and complete. */
export interface PendingChecks {
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** Seconds a provider has to answer one request (discovery, token, keys) before it counts as down. */
const PROVIDER_TIMEOUT_SECONDS = 5;
/** After a failed discovery, how long before the next sign-in tries again (so a provider that is down is not hammered). */
const RETRY_DISCOVERY_MS = 5_000;

/**
 * The platform as an OpenID Connect relying party, through openid-client: discovery, the authorization URL with
 * PKCE (S256), state and nonce, and the code exchange, which checks state, issuer, audience, nonce, expiry and the
 * ID token's signature against the provider's JWKS (non-repudiation checks on: the signature is verified even
 * though the token arrives over TLS). Discovery happens at the first sign-in, not at start: a provider that is down
 * must not stop the platform, where password sign-in goes on working.
 */
export class OidcRelyingParty {
  private readonly configurations = new Map<string, Promise<OpenIdClient.Configuration>>();

  private constructor(
    private readonly client: typeof OpenIdClient,
    private readonly allowHttp: boolean,
  ) {}

  /** `allowHttp`: development only, for a provider on this machine (`http://127.0.0.1:…`). */
  static async create(allowHttp: boolean): Promise<OidcRelyingParty> {
    // An ES module: loaded with import(), as the CommonJS build cannot require it.
    return new OidcRelyingParty(await import('openid-client'), allowHttp);
  }

  randomChecks(redirectUri: string): PendingChecks {
    return { redirectUri, state: this.client.randomState(), nonce: this.client.randomNonce(), codeVerifier: this.client.randomPKCECodeVerifier() };
  }

  async authorizationUrl(provider: ExternalProviderConfig, checks: PendingChecks): Promise<string> {
    const configuration = await this.configuration(provider);
    return this.client.buildAuthorizationUrl(configuration, {
      redirect_uri: checks.redirectUri,
      scope: provider.scopes.join(' '),
      response_type: 'code',
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await this.client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    }).href;
  }

  /**
   * Exchanges the code in `callbackUrl` and returns the verified ID token's claims. When the mapping names claims
   * the ID token lacks (many providers send only `sub` there and the profile at their userinfo endpoint), they are
   * read from the userinfo endpoint with the access token, whose `sub` must be the ID token's; the ID token's own
   * claims, signed, win over the userinfo's.
   */
  async exchange(provider: ExternalProviderConfig, callbackUrl: URL, checks: PendingChecks): Promise<Readonly<Record<string, unknown>>> {
    const configuration = await this.configuration(provider);
    try {
      const tokens = await this.client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      }, { redirect_uri: checks.redirectUri });
      const claims = tokens.claims();
      if (!claims) throw refused('RESPONSE_REJECTED', provider, 'it sent no ID token');
      const missing = mappedClaimNames(provider).filter((name) => claims[name] === undefined);
      if (missing.length === 0) return claims;
      if (!configuration.serverMetadata().userinfo_endpoint) return claims;
      const userinfo = await this.client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      if (userinfo.sub !== claims.sub) throw refused('RESPONSE_REJECTED', provider, 'its userinfo is about another person than its ID token');
      return { ...userinfo, ...claims };
    } catch (error) {
      throw this.explain(provider, error);
    }
  }

  private configuration(provider: ExternalProviderConfig): Promise<OpenIdClient.Configuration> {
    const cached = this.configurations.get(provider.id);
    if (cached) return cached;
    const configuration = this.client
      .discovery(new URL(provider.issuer), provider.clientId, { client_secret: provider.clientSecret }, this.client.ClientSecretBasic(provider.clientSecret), {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        execute: [this.client.enableNonRepudiationChecks, ...(this.allowHttp ? [this.client.allowInsecureRequests] : [])],
      })
      .catch((error: unknown) => {
        // Forget the failure shortly, so the next sign-in after the provider is back discovers it again.
        setTimeout(() => this.configurations.delete(provider.id), RETRY_DISCOVERY_MS).unref();
        throw this.explain(provider, error);
      });
    this.configurations.set(provider.id, configuration);
    return configuration;
  }

  /** Sorts openid-client's errors into: the provider cannot be reached, it refused, or its answer failed a check. */
  private explain(provider: ExternalProviderConfig, error: unknown): DomainError {
    if (error instanceof DomainError) return error;
    const { ResponseBodyError, AuthorizationResponseError, ClientError } = this.client;
    if (error instanceof AuthorizationResponseError) {
      return refused('PROVIDER_REFUSED', provider, `it answered ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`);
    }
    if (error instanceof ResponseBodyError) {
      if (error.status >= 500) return unavailable(provider);
      return refused('PROVIDER_REFUSED', provider, `it refused the sign-in code: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`);
    }
    if (isUnreachable(error)) return unavailable(provider);
    if (error instanceof ClientError && (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON')) {
      return unavailable(provider);
    }
    // openid-client wraps the check that failed (oauth4webapi's) in a generic error; its message names the claim.
    const cause = isError(error) && isError(error.cause) ? error.cause : error;
    const message = isError(cause) ? cause.message : String(cause);
    return refused('RESPONSE_REJECTED', provider, `its answer failed verification (${message})`);
  }
}

/** The claims the provider's mapping reads (and `email_verified`, which says whether its address may be trusted). */
function mappedClaimNames(provider: ExternalProviderConfig): string[] {
  const names = Object.values(provider.claims).filter((name): name is string => typeof name === 'string');
  return [...new Set(provider.claims.email ? [...names, 'email_verified'] : names)];
}

/** fetch's own failures (connection refused or reset, DNS, timeout), however deep openid-client wrapped them. */
function isUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; isError(current) && depth < 5; current = current.cause, depth += 1) {
    // By name: fetch's errors may come from another realm than this module's TypeError.
    if (['TypeError', 'TimeoutError', 'AbortError'].includes(current.name)) return true;
  }
  return false;
}

function isError(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).name === 'string' && typeof (value as Error).message === 'string';
}

function unavailable(provider: ExternalProviderConfig): DomainError {
  return new DomainError(
    ErrorCode.SERVICE_UNAVAILABLE,
    `${provider.name} cannot be reached right now; try again later, or sign in with your password.`,
    { reason: 'PROVIDER_UNAVAILABLE' satisfies ExternalSignInRefusal, provider: provider.id },
  );
}

function refused(reason: ExternalSignInRefusal, provider: ExternalProviderConfig, why: string): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, `Signing in through ${provider.name} failed: ${why}. Start the sign-in again.`, {
    reason,
    provider: provider.id,
  });
}
