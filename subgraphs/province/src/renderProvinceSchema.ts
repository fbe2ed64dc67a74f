import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillSchemaTemplate, provincePlaceholders, type ProvinceDefinition } from '../../../shared/src';

export const PROVINCE_SCHEMA_TEMPLATE = join(__dirname, '..', 'schema.graphql');

/**
 * The province SDL for one deployment: the one template with the province's
 * and its partner's names filled in. Composition and the running subgraph use
 * the same rendering, so they can never disagree.
 */
export function renderProvinceSchema(province: ProvinceDefinition, partner: ProvinceDefinition, template = readFileSync(PROVINCE_SCHEMA_TEMPLATE, 'utf8')): string {
  return fillSchemaTemplate(template, { ...provincePlaceholders(province, 'own'), ...provincePlaceholders(partner, 'partner') }, []);
}
