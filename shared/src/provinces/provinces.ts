/**
 * The provinces as the services use them, all read from `provinceTable.ts`.
 * Province-specific behaviour is data, never an `if (province === …)`.
 */
import { PROVINCE_KEYS, PROVINCE_TABLE, partnerKeyOf, type ProvinceCode, type ProvinceIdPrefix, type ProvinceKey, type ProvinceTypePrefix } from './provinceTable';

export interface ProvinceDefinition {
  readonly key: ProvinceKey;
  readonly code: ProvinceCode;
  /** Prefix of the province-typed GraphQL names: `SichuanInstrument`, `Query.sichuan`… */
  readonly typePrefix: ProvinceTypePrefix;
  /** Owner prefix of global ids: `sc:instrument:…`. */
  readonly idPrefix: ProvinceIdPrefix;
  readonly nameEn: string;
  readonly nameZh: string;
  /** The talent card this province issues. */
  readonly cardName: string;
  readonly cardNameZh: string;
  /** Card numbers read `<prefix>-<year>-<six digits>`, e.g. TF-2024-000128: the prefix names the issuer. */
  readonly cardNumberPrefix: string;
  readonly partner: ProvinceKey;
  /** Port of the province subgraph when PORT is not set. */
  readonly defaultPort: number;
}

const definitions: readonly ProvinceDefinition[] = PROVINCE_TABLE.map(
  ({ chartColor: _dashboardOnly, ...definition }): ProvinceDefinition => Object.freeze(definition),
);

export const PROVINCES = Object.freeze(Object.fromEntries(definitions.map((province) => [province.key, province]))) as Readonly<Record<ProvinceKey, ProvinceDefinition>>;

export function isProvinceKey(value: string): value is ProvinceKey {
  return (PROVINCE_KEYS as readonly string[]).includes(value);
}

/** The partner of a province: the other side of its card recognition and joint labs. */
export function partnerOf(province: ProvinceDefinition): ProvinceDefinition {
  return PROVINCES[partnerKeyOf(province.key)];
}

export function provinceByCode(code: ProvinceCode): ProvinceDefinition {
  return definitions.find((p) => p.code === code)!;
}

export function provinceByIdPrefix(prefix: string): ProvinceDefinition | undefined {
  return definitions.find((p) => p.idPrefix === prefix);
}

const CARD_NUMBER = /^([A-Z]+(?:-[A-Z]+)*)-(\d{4})-(\d{6})$/;

/** Card numbers are compared as printed: upper-case, without surrounding blanks. */
export const normaliseCardNumber = (cardNumber: string): string => cardNumber.trim().toUpperCase();

/** The province that issues cards numbered like this, or undefined for a number neither issues. */
export function provinceByCardNumber(cardNumber: string): ProvinceDefinition | undefined {
  const match = CARD_NUMBER.exec(normaliseCardNumber(cardNumber));
  return match ? definitions.find((p) => p.cardNumberPrefix === match[1]) : undefined;
}
