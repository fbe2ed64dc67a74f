import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PLATFORM_SCHEMA_FILE = join(__dirname, '..', 'schema.graphql');

/** The platform subgraph's SDL, as served and as composed. */
export function platformSchemaSdl(): string {
  return readFileSync(PLATFORM_SCHEMA_FILE, 'utf8');
}
