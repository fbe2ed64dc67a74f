import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProvinceDefinition } from '../../../shared/src';

export const PROVINCE_SCHEMA_TEMPLATE = join(__dirname, '..', 'schema.graphql');

/**
 * The province SDL for one deployment: the one template with the province's
 * and its partner's names filled in. Composition and the running subgraph use
 * the same rendering, so they can never disagree.
 */
export function renderProvinceSchema(province: ProvinceDefinition, partner: ProvinceDefinition, template = readFileSync(PROVINCE_SCHEMA_TEMPLATE, 'utf8')): string {
  const values: Record<string, string> = {
    P: province.typePrefix,
    p: province.key,
    pfx: province.idPrefix,
    O: partner.typePrefix,
    o: partner.key,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`unknown placeholder ${placeholder} in the province schema`);
    return value;
  });
}
