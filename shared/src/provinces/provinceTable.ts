/**
 * The provinces the platform joins: the one table every other place reads
 * (shared types and look-ups, province config, SDL rendering, the dashboard's
 * labels). Adding a province is one row here, plus its seed file and its entry
 * in the composition manifest. Pure data with no imports, so the browser
 * dashboard can bundle it too.
 */
export const PROVINCE_TABLE = [
  {
    key: 'sichuan',
    /** The `Province` enum value in the GraphQL schema. */
    code: 'SICHUAN',
    /** Prefix of the province-typed GraphQL names: `SichuanInstrument`, `Query.sichuan`… */
    typePrefix: 'Sichuan',
    /** Owner prefix of global ids: `sc:instrument:…`. */
    idPrefix: 'sc',
    nameEn: 'Sichuan',
    nameZh: '四川',
    /** The talent card this province issues. */
    cardName: 'Tianfu Talent Card',
    cardNameZh: '天府英才卡',
    /** Card numbers read `<prefix>-<year>-<six digits>`, e.g. TF-2024-000128: the prefix names the issuer. */
    cardNumberPrefix: 'TF',
    /** The province whose card holders this one recognises, and whose instruments its joint labs share. */
    partner: 'chongqing',
    /** Port of the province subgraph when PORT is not set, so every province can run on one machine. */
    defaultPort: 4002,
    /** The province's colour on the wall dashboard. */
    chartColor: '#ff8a3d',
  },
  {
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
    defaultPort: 4003,
    chartColor: '#2fc9c0',
  },
] as const;

export type ProvinceRow = (typeof PROVINCE_TABLE)[number];
export type ProvinceKey = ProvinceRow['key'];
/** The `Province` enum value used in the GraphQL schema. */
export type ProvinceCode = ProvinceRow['code'];
export type ProvinceTypePrefix = ProvinceRow['typePrefix'];
export type ProvinceIdPrefix = ProvinceRow['idPrefix'];

/** Every province key, in table order (a non-empty tuple, as `z.enum` wants it). */
export const PROVINCE_KEYS = PROVINCE_TABLE.map((row) => row.key) as unknown as readonly [ProvinceKey, ...ProvinceKey[]];

/** The one place a province's partner is looked up. */
export function partnerKeyOf(key: ProvinceKey): ProvinceKey {
  return PROVINCE_TABLE.find((row) => row.key === key)!.partner;
}
