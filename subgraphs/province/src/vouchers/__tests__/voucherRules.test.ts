import { maxCoverFen, refusalOf } from '../voucherRules';

const DAY = 86_400_000;
const now = new Date('2026-12-03T02:00:00Z');
const voucher = { validFrom: new Date(now.getTime() - DAY), validUntil: new Date(now.getTime() + DAY), acceptedIn: ['sichuan', 'chongqing'] as const };

describe('maxCoverFen', () => {
  it('is the share of the charge, rounded down to the fen', () => {
    expect(maxCoverFen(10_000, 50)).toBe(5_000);
    expect(maxCoverFen(999, 50)).toBe(499);
    expect(maxCoverFen(1, 30)).toBe(0);
    expect(maxCoverFen(1_000_000_000, 100)).toBe(1_000_000_000);
  });
});

describe('refusalOf', () => {
  it('lets a valid voucher pay in a province it names', () => {
    expect(refusalOf({ ...voucher, acceptedIn: [...voucher.acceptedIn] }, 'sichuan', now)).toBeNull();
  });

  it('refuses a province the voucher does not name', () => {
    expect(refusalOf({ ...voucher, acceptedIn: ['chongqing'] }, 'sichuan', now)).toMatch(/only for services in chongqing, not sichuan/);
  });

  it('refuses before the first moment and from the last moment on', () => {
    const acceptedIn = [...voucher.acceptedIn];
    expect(refusalOf({ ...voucher, acceptedIn, validFrom: new Date(now.getTime() + 1) }, 'sichuan', now)).toMatch(/valid only from/);
    expect(refusalOf({ ...voucher, acceptedIn, validUntil: now }, 'sichuan', now)).toMatch(/expired at/);
  });
});
