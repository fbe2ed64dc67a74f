import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVINCE_KEYS, PROVINCES, fillSchemaTemplate } from '../../../shared/src';

export const PLATFORM_SCHEMA_TEMPLATE = join(__dirname, '..', 'schema.graphql');

/**
 * The platform subgraph's SDL, as served and as composed: the template with a
 * key-only stub of each shared interface for every province of the table, so a
 * new province needs no edit here.
 */
export function renderPlatformSchema(template = readFileSync(PLATFORM_SCHEMA_TEMPLATE, 'utf8')): string {
  return fillSchemaTemplate(template, {}, PROVINCE_KEYS.map((key) => PROVINCES[key]));
}
