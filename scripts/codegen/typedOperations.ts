import { join } from 'node:path';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** The published API schema partners generate from (written by `npm run compose`). */
export const API_SCHEMA_FILE = join(REPOSITORY_ROOT, 'gateway', 'api', 'schema.graphql');

/** The repository's own typed operations: each `.graphql` file and the TypeScript generated from it beside it. */
export const TYPED_OPERATIONS = [join(REPOSITORY_ROOT, 'test', 'e2e', 'partnerClient.graphql')].map((file) => ({
  file,
  generatedFile: file.replace(/\.graphql$/, '.generated.ts'),
}));

