import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPlatformSchema } from '../../../subgraphs/platform/src/renderPlatformSchema';
import { readCompositionManifest } from '../compositionManifest';

function manifestFile(text: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'manifest-'));
  writeFileSync(join(folder, 'supergraph.yaml'), text);
  writeFileSync(join(folder, 'users.graphql'), 'type Query { me: String }\n');
  return join(folder, 'supergraph.yaml');
}

describe('readCompositionManifest', () => {
  it('lists the platform and every province, each with its URL and its rendered SDL', () => {
    const manifest = readCompositionManifest();
    expect(manifest.subgraphs.map((s) => [s.name, s.url])).toEqual([
      ['platform', 'http://localhost:4001/graphql'],
      ['sichuan', 'http://localhost:4002/graphql'],
      ['chongqing', 'http://localhost:4003/graphql'],
    ]);
    expect(manifest.subgraphs[0]!.sdl()).toBe(renderPlatformSchema());
    expect(manifest.subgraphs[2]!.sdl()).toMatch(/^type ChongqingRegistry /m);
    expect(manifest.supergraphFile).toMatch(/gateway\/supergraph\.graphql$/);
  });

  it('renders a candidate template as the subgraph renders its own, and passes plain SDL through', () => {
    const chongqing = readCompositionManifest().subgraphs.find((s) => s.name === 'chongqing')!;
    expect(chongqing.candidateSdl('type {{P}}Thing @key(fields: "id") { id: ID! }')).toBe('type ChongqingThing @key(fields: "id") { id: ID! }');
    expect(chongqing.candidateSdl('type Plain { id: ID! }')).toBe('type Plain { id: ID! }');
  });

  it('reads a plain SDL file, relative to the given root', () => {
    const file = manifestFile('supergraph: out.graphql\nsubgraphs:\n  - name: users\n    url: http://users:4000/graphql\n    schema: { file: users.graphql }\n');
    const manifest = readCompositionManifest(file, join(file, '..'));
    expect(manifest.subgraphs[0]!.sdl()).toBe('type Query { me: String }\n');
    expect(manifest.supergraphFile).toBe(join(file, '..', 'out.graphql'));
  });

  it('refuses a manifest that names a subgraph twice or lacks a URL, saying where', () => {
    expect(() => readCompositionManifest(manifestFile(
      'supergraph: out.graphql\nsubgraphs:\n  - { name: a, url: "http://a/graphql", schema: { file: a.graphql } }\n  - { name: a, url: "http://b/graphql", schema: { file: b.graphql } }\n',
    ))).toThrow(/unique/);
    expect(() => readCompositionManifest(manifestFile('supergraph: out.graphql\nsubgraphs:\n  - { name: a, schema: { file: a.graphql } }\n'))).toThrow(/subgraphs\.0\.url/);
  });
});
