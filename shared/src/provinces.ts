/**
 * The two registries joined by the platform. Everything that differs between
 * Sichuan and Chongqing in code is read from here: names, id prefixes, card
 * names. Province-specific behaviour is data, never an `if (province === …)`.
 */
export type ProvinceKey = 'sichuan' | 'chongqing';

/** The `Province` enum value used in the GraphQL schema. */
export type ProvinceCode = 'SICHUAN' | 'CHONGQING';

export interface ProvinceDefinition {
  readonly key: ProvinceKey;
  readonly code: ProvinceCode;
  /** Prefix of the province-typed GraphQL names: `SichuanInstrument`, `Query.sichuan`… */
  readonly typePrefix: 'Sichuan' | 'Chongqing';
  /** Owner prefix of global ids: `sc:instrument:…`. */
  readonly idPrefix: 'sc' | 'cq';
  readonly nameEn: string;
  readonly nameZh: string;
  /** The talent card this province issues. */
  readonly cardName: string;
  readonly cardNameZh: string;
  /** Card numbers read `<prefix>-<year>-<six digits>`, e.g. TF-2024-000128: the prefix names the issuer. */
  readonly cardNumberPrefix: string;
  readonly partner: ProvinceKey;
}

export const PROVINCES: Readonly<Record<ProvinceKey, ProvinceDefinition>> = Object.freeze({
  sichuan: Object.freeze({
    key: 'sichuan',
    code: 'SICHUAN',
    typePrefix: 'Sichuan',
    idPrefix: 'sc',
    nameEn: 'Sichuan',
    nameZh: '四川',
    cardName: 'Tianfu Talent Card',
    cardNameZh: '天府英才卡',
    cardNumberPrefix: 'TF',
    partner: 'chongqing',
  }),
  chongqing: Object.freeze({
    key: 'chongqing',
    code: 'CHONGQING',
    typePrefix: 'Chongqing',
    idPrefix: 'cq',
    nameEn: 'Chongqing',
    nameZh: '重庆',
    cardName: 'Chongqing Talent Service Card',
    cardNameZh: '重庆英才服务卡',
    cardNumberPrefix: 'CQ-RC',
    partner: 'sichuan',
  }),
});

export const PROVINCE_KEYS: readonly ProvinceKey[] = ['sichuan', 'chongqing'];

export function isProvinceKey(value: string): value is ProvinceKey {
  return value === 'sichuan' || value === 'chongqing';
}

export function provinceByCode(code: ProvinceCode): ProvinceDefinition {
  return code === 'SICHUAN' ? PROVINCES.sichuan : PROVINCES.chongqing;
}

export function provinceByIdPrefix(prefix: string): ProvinceDefinition | undefined {
  return PROVINCE_KEYS.map((key) => PROVINCES[key]).find((p) => p.idPrefix === prefix);
}

const CARD_NUMBER = /^([A-Z]+(?:-[A-Z]+)*)-(\d{4})-(\d{6})$/;

/** Card numbers are compared as printed: upper-case, without surrounding blanks. */
export const normaliseCardNumber = (cardNumber: string): string => cardNumber.trim().toUpperCase();

/** The province that issues cards numbered like this, or undefined for a number neither issues. */
export function provinceByCardNumber(cardNumber: string): ProvinceDefinition | undefined {
  const match = CARD_NUMBER.exec(normaliseCardNumber(cardNumber));
  return match ? PROVINCE_KEYS.map((key) => PROVINCES[key]).find((p) => p.cardNumberPrefix === match[1]) : undefined;
}
