import type { CompositionManifest } from './compositionManifest';
import { composeSupergraph, type CompositionError } from './composeSupergraph';
import { publishedSchemaOf } from './publishedSchema';

export type ComposedFiles =
  | { readonly kind: 'composed'; readonly files: readonly { readonly file: string; readonly text: string }[]; readonly hints: readonly string[] }
  | { readonly kind: 'failed'; readonly errors: readonly CompositionError[] };

/** Every file `npm run compose` writes, with its text: the supergraph, and the published schema if the manifest asks for it. */
export function composedFiles(manifest: CompositionManifest): ComposedFiles {
  const result = composeSupergraph(undefined, manifest);
  if (result.kind === 'failed') return result;
  const files = [{ file: manifest.supergraphFile, text: result.supergraphSdl }];
  if (manifest.published) {
    const published = publishedSchemaOf(result.supergraphSdl);
    files.push(
      { file: manifest.published.schemaFile, text: published.sdl },
      { file: manifest.published.possibleTypesFile, text: `${JSON.stringify(published.possibleTypes, null, 2)}\n` },
    );
  }
  return { kind: 'composed', files, hints: result.hints };
}
