/**
 * GraphQL Code Generator settings for a typed client of this API, as the README's "Typed client" recipe gives them
 * to partners (`codegen.ts`); `npm run codegen` generates this repository's own typed operations with the same.
 */
export const CODEGEN_PLUGINS = ['typescript-operations', 'typed-document-node'] as const;

export const CODEGEN_CONFIG = {
  // DateTime travels as an ISO 8601 string (e.g. "2026-11-25T09:00:00.000Z"); a client parses it where it needs a Date.
  scalars: { DateTime: 'string' },
  enumsAsTypes: true,
  useTypeImports: true,
  // Only the types the operations use, not the whole schema's.
  onlyOperationTypes: true,
} as const;
