// The province table and what is derived from it.
export { PROVINCE_TABLE, PROVINCE_KEYS, partnerKeyOf, type ProvinceRow, type ProvinceKey, type ProvinceCode } from './provinceTable';
export {
  PROVINCES, isProvinceKey, partnerOf, normaliseCardNumber, provinceByCardNumber, provinceByCode, provinceByIdPrefix, type ProvinceDefinition,
} from './provinces';
export { fillSchemaTemplate, provincePlaceholders } from './fillSchemaTemplate';
export { CARD_CHECK_QR_PREFIX, cardCheckKey, cardCheckQrPayload, newCardCode, parseCardCheckKey, parseCardCode } from './cardCodes';
