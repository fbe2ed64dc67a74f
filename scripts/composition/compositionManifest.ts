import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** `subgraphs/supergraph.yaml`: which subgraphs make the supergraph, where they run, where their SDL comes from. */
export const MANIFEST_FILE = join(REPOSITORY_ROOT, 'subgraphs', 'supergraph.yaml');

const schemaSource = z.union([
  z.strictObject({ file: z.string().min(1) }),
  z.strictObject({
    template: z.string().min(1),
    render: z.strictObject({ module: z.string().min(1), export: z.string().min(1), argument: z.string().optional() }),
  }),
]);

const manifestSchema = z.strictObject({
  supergraph: z.string().min(1),
  published: z.strictObject({ schema: z.string().min(1), possibleTypes: z.string().min(1) }).optional(),
  subgraphs: z
    .array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case name, e.g. sichuan'), url: z.url(), schema: schemaSource }))
    .min(1)
    .refine((subgraphs) => new Set(subgraphs.map((s) => s.name)).size === subgraphs.length, 'subgraph names must be unique'),
});

export interface ManifestSubgraph {
  readonly name: string;
  /** The default address written into the supergraph. */
  readonly url: string;
  /** The subgraph's SDL as it is now. */
  sdl(): string;
  /** Turns a candidate's text into SDL: renders a template the way this subgraph's own is rendered; plain SDL passes. */
  candidateSdl(text: string): string;
}

export interface CompositionManifest {
  /** Absolute path of the composed supergraph file. */
  readonly supergraphFile: string;
  /** Absolute paths of what partners build clients from: the API schema and the `possibleTypes` map. */
  readonly published?: { readonly schemaFile: string; readonly possibleTypesFile: string };
  readonly subgraphs: readonly ManifestSubgraph[];
}

type Render = (template: string, argument?: string) => string;

const looksLikeTemplate = (text: string) => /\{\{[#/]?\w+\}\}/.test(text);

/** Reads and checks the manifest; paths in it are relative to `root`, the repository's. */
export function readCompositionManifest(file = MANIFEST_FILE, root = REPOSITORY_ROOT): CompositionManifest {
  const parsed = manifestSchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return {
    supergraphFile: resolve(root, parsed.data.supergraph),
    ...(parsed.data.published && {
      published: { schemaFile: resolve(root, parsed.data.published.schema), possibleTypesFile: resolve(root, parsed.data.published.possibleTypes) },
    }),
    subgraphs: parsed.data.subgraphs.map(({ name, url, schema }): ManifestSubgraph => {
      if ('file' in schema) {
        const sdl = () => readFileSync(resolve(root, schema.file), 'utf8');
        return { name, url, sdl, candidateSdl: (text) => text };
      }
      const render = (text: string) => loadRender(resolve(root, schema.render.module), schema.render.export)(text, schema.render.argument);
      return {
        name,
        url,
        sdl: () => render(readFileSync(resolve(root, schema.template), 'utf8')),
        candidateSdl: (text) => (looksLikeTemplate(text) ? render(text) : text),
      };
    }),
  };
}

function loadRender(modulePath: string, exportName: string): Render {
  // Loaded only when composing: the manifest names the renderer, so no composition code imports a subgraph.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const render: unknown = (require(modulePath) as Record<string, unknown>)[exportName];
  if (typeof render !== 'function') throw new Error(`${modulePath} has no function ${exportName}`);
  return render as Render;
}
