import { DomainError, PROVINCES } from '../../../../../shared/src';
import { addYears, effectiveCardStatus, formatCardNumber, isCardValid, maskCardNumber, parseCardNumber, verificationStatus } from '../talentCardRules';

describe('card validity', () => {
  const card = (status: 'ACTIVE' | 'REVOKED' | 'EXPIRED') => ({ status, validUntil: '2026-12-31' });
  // The last day ends at 2026-12-31 24:00 in UTC+8, which is 16:00 UTC.
  const lastMoment = new Date('2026-12-31T15:59:59.999Z');
  const dayAfter = new Date('2026-12-31T16:00:00.000Z');

  it('holds through the end of the last day in China time', () => {
    expect(isCardValid(card('ACTIVE'), lastMoment)).toBe(true);
    expect(isCardValid(card('ACTIVE'), dayAfter)).toBe(false);
  });

  it('reads an active card past its day as EXPIRED, and a revoked one as REVOKED', () => {
    expect(effectiveCardStatus(card('ACTIVE'), lastMoment)).toBe('ACTIVE');
    expect(effectiveCardStatus(card('ACTIVE'), dayAfter)).toBe('EXPIRED');
    expect(effectiveCardStatus(card('REVOKED'), lastMoment)).toBe('REVOKED');
  });

  it('answers a verification: VALID, EXPIRED, REVOKED, or UNKNOWN without a card', () => {
    expect(verificationStatus(card('ACTIVE'), lastMoment)).toBe('VALID');
    expect(verificationStatus(card('ACTIVE'), dayAfter)).toBe('EXPIRED');
    expect(verificationStatus(card('REVOKED'), lastMoment)).toBe('REVOKED');
    expect(verificationStatus(null, lastMoment)).toBe('UNKNOWN');
  });
});

describe('addYears', () => {
  it('keeps the calendar day', () => {
    expect(addYears('2026-11-25', 10)).toBe('2036-11-25');
  });

  it('rolls 29 February over to 1 March in a common year', () => {
    expect(addYears('2028-02-29', 10)).toBe('2038-03-01');
  });
});

describe('formatCardNumber', () => {
  it('writes prefix, year of issue and six digits, as each province prints them', () => {
    expect(formatCardNumber(PROVINCES.sichuan, '2026-11-25', 700_001)).toBe('TF-2026-700001');
    expect(formatCardNumber(PROVINCES.chongqing, '2027-01-01', 42)).toBe('CQ-RC-2027-000042');
  });
});

describe('parseCardNumber', () => {
  it('drops the spaces around a number', () => {
    expect(parseCardNumber('  TF-2026-700001 ')).toBe('TF-2026-700001');
  });

  it.each([['nothing', ''], ['only spaces', '   '], ['41 characters', 'x'.repeat(41)]])('refuses %s on cardNumber', (_, given) => {
    expect(() => parseCardNumber(given)).toThrow(DomainError);
    expect(() => parseCardNumber(given)).toThrow(/cardNumber must be 1–40 characters/);
  });
});

describe('maskCardNumber', () => {
  it('hides all but the last two digits of the serial, keeping the issuer and the year', () => {
    expect(maskCardNumber('TF-2026-700001')).toBe('TF-2026-****01');
    expect(maskCardNumber('CQ-2024-000456')).toBe('CQ-2024-****56');
    expect(maskCardNumber('TF-2026-700001')).not.toContain('7000');
  });
});
