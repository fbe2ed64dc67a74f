import { customerCategory } from '../affiliation';
import { viewerFromClaims } from '../claims';

describe('customerCategory', () => {
  it.each([
    [{ province: 'sichuan', affiliation: 'academic' }, 'sichuan', 'OWN_PROVINCE_ACADEMIC'],
    [{ province: 'chongqing', affiliation: 'academic' }, 'sichuan', 'OTHER_PROVINCE_ACADEMIC'],
    [{ province: 'chongqing', affiliation: null }, 'chongqing', 'OWN_PROVINCE_ACADEMIC'],
    [{ province: null, affiliation: null }, 'chongqing', 'OTHER_PROVINCE_ACADEMIC'],
    [{ province: 'sichuan', affiliation: 'enterprise' }, 'sichuan', 'ENTERPRISE'],
    [{ province: 'chongqing', affiliation: 'enterprise' }, 'sichuan', 'ENTERPRISE'],
    [{ province: 'sichuan', affiliation: 'internal' }, 'sichuan', 'INTERNAL'],
    [{ province: 'sichuan', affiliation: 'internal' }, 'chongqing', 'OTHER_PROVINCE_ACADEMIC'],
  ] as const)('%j served by %s is %s', (caller, serving, expected) => {
    expect(customerCategory(caller, serving)).toBe(expected);
  });
});

describe('affiliation claims', () => {
  const base = { sub: 'u', roles: ['researcher'], province: 'sichuan' };

  it('carries institution and affiliation into the viewer', () => {
    const viewer = viewerFromClaims({ ...base, institution: '四川大学', affiliation: 'enterprise' });
    expect(viewer).toMatchObject({ institution: '四川大学', affiliation: 'enterprise' });
  });

  it('refuses an unknown affiliation rather than guessing a price category', () => {
    expect(viewerFromClaims({ ...base, affiliation: 'government' })).toBeNull();
    expect(viewerFromClaims({ ...base, institution: 42 })).toBeNull();
  });
});
