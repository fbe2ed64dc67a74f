import { effectiveScopes } from '../../authz/scopes';
import { channelClientOf, clientIdOf, isProvinceAdmin, viewerFromClaims } from '../claims';

const person = { sub: 'u-1', roles: ['researcher'], province: 'sichuan', name: 'Li Wei' };

describe('a person\'s token a partner client holds (act, cid)', () => {
  it('names the client the request comes through, and no more scopes than the token carries', () => {
    const viewer = viewerFromClaims({ ...person, scope: 'booking:write', act: { sub: 'client:demo-portal' }, cid: 'consent-1' })!;
    expect(viewer).toMatchObject({ subject: 'u-1', kind: 'user', delegation: { clientId: 'demo-portal', consentId: 'consent-1' } });
    expect(channelClientOf(viewer)).toBe('demo-portal');
    // It is the person's token, not the client's own: the client may not act as itself with it.
    expect(clientIdOf(viewer)).toBeNull();
    // The researcher role alone would give catalog:read, service:request and card:verify too.
    expect([...effectiveScopes(viewer)]).toEqual(['booking:write']);
  });

  it('never counts as an admin, whatever roles it names', () => {
    const viewer = viewerFromClaims({ ...person, roles: ['province_admin'], act: { sub: 'client:demo-portal' }, cid: 'consent-1' })!;
    expect(isProvinceAdmin(viewer, 'sichuan')).toBe(false);
    expect(isProvinceAdmin(viewerFromClaims({ ...person, roles: ['province_admin'] }), 'sichuan')).toBe(true);
  });

  it.each([
    ['act without cid', { act: { sub: 'client:demo-portal' } }],
    ['cid without act', { cid: 'consent-1' }],
    ['act naming no client', { act: { sub: 'demo-portal' }, cid: 'consent-1' }],
    ['act as a string', { act: 'client:demo-portal', cid: 'consent-1' }],
    ['an empty cid', { act: { sub: 'client:demo-portal' }, cid: '' }],
    ['a partner client\'s own token', { roles: ['partner'], act: { sub: 'client:demo-portal' }, cid: 'consent-1' }],
  ])('refuses %s', (_label, change) => {
    expect(viewerFromClaims({ ...person, ...change })).toBeNull();
  });

  it('leaves people calling themselves and clients with their own tokens as they were', () => {
    expect(viewerFromClaims(person)!.delegation).toBeNull();
    const client = viewerFromClaims({ sub: 'client:demo-partner', roles: ['partner'], scope: 'catalog:read' })!;
    expect([channelClientOf(client), clientIdOf(client)]).toEqual(['demo-partner', 'demo-partner']);
  });
});
