import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** The published API schema partners generate from (written by `npm run compose`). */
export const API_SCHEMA_FILE = join(REPOSITORY_ROOT, 'gateway', 'api', 'schema.graphql');

/** The README's example operations, one file or a few operations each (scripts/__tests__/readmeExamples.test.ts). */
export const EXAMPLES_FOLDER = join(REPOSITORY_ROOT, 'gateway', 'api', 'examples');

/** Every `.graphql` file of the examples folder, in name order. */
export const exampleFiles = (): string[] =>
  readdirSync(EXAMPLES_FOLDER)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => join(EXAMPLES_FOLDER, name));

export interface TypedOperations {
  /** The `.graphql` files whose operations are typed together. */
  readonly files: readonly string[];
  /** The TypeScript generated from them, committed beside them. */
  readonly generatedFile: string;
}

/** The repository's own typed operations (read when asked: the examples folder is listed then). */
export const typedOperations = (): readonly TypedOperations[] => [
  { files: [join(REPOSITORY_ROOT, 'test', 'e2e', 'partnerClient.graphql')], generatedFile: join(REPOSITORY_ROOT, 'test', 'e2e', 'partnerClient.generated.ts') },
  { files: exampleFiles(), generatedFile: join(EXAMPLES_FOLDER, 'examples.generated.ts') },
  // The gateway's own evaluation export: its types come from the published schema, never from a subgraph's modules.
  {
    files: [join(REPOSITORY_ROOT, 'gateway', 'src', 'reports', 'evaluationExport.graphql')],
    generatedFile: join(REPOSITORY_ROOT, 'gateway', 'src', 'reports', 'evaluationExport.generated.ts'),
  },
];
