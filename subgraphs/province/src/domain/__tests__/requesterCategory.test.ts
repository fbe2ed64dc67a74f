import { requesterCategory, sameInstitution } from '../requesterCategory';

const caller = (over: Partial<Parameters<typeof requesterCategory>[0]>) => ({ institution: null, affiliation: null, province: null, ...over });

describe('requesterCategory', () => {
  it('puts the owner institution’s own people first, whatever their kind', () => {
    expect(requesterCategory(caller({ institution: ' sichuan  UNIVERSITY ', affiliation: 'enterprise', province: 'chongqing' }), 'Sichuan University', 'sichuan')).toBe('OWN_INSTITUTION');
  });

  it('then enterprises, then academic callers by home province', () => {
    expect(requesterCategory(caller({ institution: 'BOE', affiliation: 'enterprise', province: 'sichuan' }), 'Sichuan University', 'sichuan')).toBe('ENTERPRISE');
    expect(requesterCategory(caller({ province: 'sichuan' }), 'Sichuan University', 'sichuan')).toBe('OWN_PROVINCE');
    expect(requesterCategory(caller({ province: 'chongqing' }), 'Sichuan University', 'sichuan')).toBe('OTHER_PROVINCE');
    expect(requesterCategory(caller({}), 'Sichuan University', 'sichuan')).toBe('OTHER_PROVINCE');
  });

  it('never matches a missing or blank institution', () => {
    expect(sameInstitution(null, 'Sichuan University')).toBe(false);
    expect(sameInstitution('  ', '')).toBe(false);
    expect(sameInstitution('Chengdu Institute of Biology（CAS）', 'chengdu institute of biology(cas)')).toBe(true);
  });
});
