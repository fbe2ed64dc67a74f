import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVINCES, fillSchemaTemplate, isProvinceKey, partnerOf, provincePlaceholders, type ProvinceDefinition } from '../../../shared/src';

export const PROVINCE_SCHEMA_TEMPLATE = join(__dirname, '..', 'schema.graphql');

/**
 * The province SDL for one deployment: the one template with the province's
 * and its partner's names filled in. Composition and the running subgraph use
 * the same rendering, so they can never disagree.
 */
export function renderProvinceSchema(province: ProvinceDefinition, partner: ProvinceDefinition, template = readFileSync(PROVINCE_SCHEMA_TEMPLATE, 'utf8')): string {
  return fillSchemaTemplate(template, { ...provincePlaceholders(province, 'own'), ...provincePlaceholders(partner, 'partner') }, []);
}

/** The SDL of the deployment for one province key, as the composition manifest asks for it (`subgraphs/supergraph.yaml`). */
export function renderProvinceSchemaFor(template: string, provinceKey: string): string {
  if (!isProvinceKey(provinceKey)) throw new Error(`no province "${provinceKey}" in the province table`);
  const province = PROVINCES[provinceKey];
  return renderProvinceSchema(province, partnerOf(province), template);
}
