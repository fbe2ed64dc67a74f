import { PROVINCES } from '../provinces';
import { cardCheckKey, cardCheckQrPayload, newCardCode, parseCardCheckKey, parseCardCode } from '../cardCodes';

describe('holder verification codes', () => {
  it('name their issuer and carry ten characters of Crockford base 32', () => {
    const sichuan = newCardCode(PROVINCES.sichuan);
    const chongqing = newCardCode(PROVINCES.chongqing);
    expect(sichuan).toMatch(/^SC-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(chongqing).toMatch(/^CQ-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(parseCardCode(sichuan)).toEqual({ code: sichuan, issuer: PROVINCES.sichuan });
    expect(parseCardCode(chongqing)?.issuer).toBe(PROVINCES.chongqing);
  });

  it('are not repeated', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newCardCode(PROVINCES.sichuan)));
    expect(codes.size).toBe(2000);
  });

  it('are read as typed: any case, blanks, with or without dashes', () => {
    expect(parseCardCode(' sc 7k3m9 qxd2f ')?.code).toBe('SC-7K3M9-QXD2F');
    expect(parseCardCode('SC7K3M9QXD2F')?.code).toBe('SC-7K3M9-QXD2F');
  });

  it.each(['', 'SC-7K3M9', 'XX-7K3M9-QXD2F', 'SC-7K3M9-QXD2I', 'SC-7K3M9-QXD2FF', `SC-${'7'.repeat(100)}`])('refuse %j', (typed) => {
    expect(parseCardCode(typed)).toBeUndefined();
  });

  it('travel in a QR payload naming only the issuer and the code', () => {
    expect(cardCheckQrPayload(PROVINCES.chongqing, 'CQ-7K3M9-QXD2F')).toBe('shuangcheng:card-check?issuer=CHONGQING&code=CQ-7K3M9-QXD2F');
  });

  it('and in the check key with the card number the provider gave, or without', () => {
    expect(parseCardCheckKey(cardCheckKey('SC-7K3M9-QXD2F', 'TF-2024-000128'))).toEqual({ code: 'SC-7K3M9-QXD2F', cardNumber: 'TF-2024-000128' });
    expect(parseCardCheckKey(cardCheckKey('SC-7K3M9-QXD2F', null))).toEqual({ code: 'SC-7K3M9-QXD2F', cardNumber: null });
  });
});
