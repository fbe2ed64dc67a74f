import { PROVINCE_TABLE } from './provinceTable';
import type { ProvinceDefinition } from './provinces';

/**
 * The placeholders a province schema template may use for one province, under a letter:
 * `{{P}}` Sichuan (type prefix), `{{p}}` sichuan (key, root field), `{{pfx}}` sc (id prefix);
 * the partner's as `{{O}}`, `{{o}}`, `{{ofx}}`.
 */
export function provincePlaceholders(province: ProvinceDefinition, as: 'own' | 'partner'): Record<string, string> {
  const [type, key, prefix] = as === 'own' ? ['P', 'p', 'pfx'] : ['O', 'o', 'ofx'];
  return { [type]: province.typePrefix, [key]: province.key, [prefix]: province.idPrefix };
}

/** Placeholders about every province at once: `{{provinceCodes}}` is the `Province` enum's values. */
export const TABLE_PLACEHOLDERS: Readonly<Record<string, string>> = Object.freeze({
  provinceCodes: PROVINCE_TABLE.map((row) => row.code).join(' '),
});

const EACH_PROVINCE_BLOCK = /^\{\{#eachProvince\}\}\n([\s\S]*?)^\{\{\/eachProvince\}\}\n/gm;

/**
 * Fills a schema template: each `{{#eachProvince}}…{{/eachProvince}}` block (markers on
 * lines of their own) is repeated once per province of the table with that province's
 * `{{P}}`/`{{p}}`/`{{pfx}}`, then `{{name}}` placeholders are replaced from `values` and the
 * table's. An unknown placeholder is an error, so a typo never reaches the schema.
 */
export function fillSchemaTemplate(template: string, values: Readonly<Record<string, string>>, provinces: readonly ProvinceDefinition[]): string {
  const repeated = template.replace(EACH_PROVINCE_BLOCK, (_block, body: string) =>
    provinces.map((province) => fillPlaceholders(body, { ...values, ...provincePlaceholders(province, 'own') })).join(''),
  );
  return fillPlaceholders(repeated, values);
}

function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  const all: Readonly<Record<string, string>> = { ...TABLE_PLACEHOLDERS, ...values };
  return text.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = all[name];
    if (value === undefined) throw new Error(`unknown placeholder ${placeholder} in a schema template`);
    return value;
  });
}
