import { ConfigError } from '../../../../../shared/src';
import { mapClaims } from '../claimMapping';
import { toExternalSignInConfig } from '../providerConfig';

const provider = (overrides: Record<string, unknown> = {}) => ({
  id: 'sichuan-gov', name: 'Sichuan Government Services', issuer: 'https://id.sc.gov.example', clientId: 'shuangcheng', clientSecret: 'a-long-random-client-secret', ...overrides,
});
const vars = (providers: unknown, redirectUris = 'https://app.example/signed-in') => ({
  OIDC_PROVIDERS: JSON.stringify(providers), OIDC_REDIRECT_URIS: redirectUris, OIDC_STATE_TTL_SECONDS: 600,
});

describe('toExternalSignInConfig', () => {
  it('has no providers by default, and fills in scopes and the standard claim names', () => {
    expect(toExternalSignInConfig({ OIDC_STATE_TTL_SECONDS: 600 }, true).providers).toEqual([]);
    const [parsed] = toExternalSignInConfig(vars([provider()]), true).providers;
    expect(parsed).toMatchObject({ scopes: ['openid', 'profile', 'email'], claims: { name: 'name', email: 'email' }, attributesVerified: false });
  });

  it.each([
    ['not JSON', '[{', /not JSON/],
    ['a bad id', JSON.stringify([provider({ id: 'Sichuan Gov' })]), /OIDC_PROVIDERS\[0\]\.id/],
    ['no openid scope', JSON.stringify([provider({ scopes: ['profile'] })]), /OIDC_PROVIDERS\[0\]\.scopes: must include "openid"/],
    ['an unknown affiliation value', JSON.stringify([provider({ affiliationValues: { staff: 'employee' } })]), /affiliationValues/],
    ['an unknown field', JSON.stringify([provider({ clientSecrett: 'x' })]), /clientSecrett/],
  ])('refuses %s, naming the provider and field', (_what, text, message) => {
    expect(() => toExternalSignInConfig({ OIDC_PROVIDERS: text, OIDC_REDIRECT_URIS: 'https://app.example/cb', OIDC_STATE_TTL_SECONDS: 600 }, false)).toThrow(message);
  });

  it('refuses in production what would be unsafe there, every problem at once', () => {
    const attempt = () => toExternalSignInConfig(vars([provider({ issuer: 'http://id.example', clientSecret: 'change-me' }), provider()], 'http://app.example/cb'), true);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/issuer must be https/);
    expect(attempt).toThrow(/clientSecret is a placeholder/);
    expect(attempt).toThrow(/OIDC_REDIRECT_URIS: "http:\/\/app.example\/cb" must be https/);
    expect(attempt).toThrow(/the id is used twice/);
  });

  it('needs redirect URIs when providers are listed, and refuses one with a fragment', () => {
    expect(() => toExternalSignInConfig(vars([provider()], ''), false)).toThrow(/OIDC_REDIRECT_URIS: required/);
    expect(() => toExternalSignInConfig(vars([provider()], 'https://app.example/cb#x'), false)).toThrow(/without a #fragment/);
  });
});

describe('mapClaims', () => {
  const [configured] = toExternalSignInConfig(vars([provider({
    claims: { homeProvince: 'region', institution: 'org', affiliation: 'kind' },
    affiliationValues: { staff: 'internal' },
    attributesVerified: true,
  })]), false).providers;

  it('maps province codes, short forms and names, translated and plain affiliation values', () => {
    for (const region of ['sichuan', 'SICHUAN', 'sc', '四川']) expect(mapClaims(configured!, { region }).homeProvince).toBe('sichuan');
    expect(mapClaims(configured!, { kind: 'staff', org: 'Chengdu Bureau' })).toMatchObject({ affiliation: 'internal', institution: 'Chengdu Bureau', affiliationVerified: true });
    expect(mapClaims(configured!, { kind: 'Enterprise' }).affiliation).toBe('enterprise');
  });

  it('leaves what it cannot read empty instead of failing the sign-in', () => {
    expect(mapClaims(configured!, { region: 'tibet', kind: 42, email: 'not-an-address', name: ' ' })).toEqual({
      displayName: null, email: null, emailVerified: false, homeProvince: null, institution: null, affiliation: null, affiliationVerified: false,
    });
    expect(mapClaims(configured!, { email: 'Zhou@Example.CN', email_verified: 'true' })).toMatchObject({ email: 'zhou@example.cn', emailVerified: false });
  });
});
