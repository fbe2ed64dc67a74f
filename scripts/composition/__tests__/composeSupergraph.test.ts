import { readFileSync } from 'node:fs';
import { renderPlatformSchema } from '../../../subgraphs/platform/src';
import { relative } from 'node:path';
import { composedFiles } from '../composedFiles';
import { readCompositionManifest } from '../compositionManifest';
import { composeSupergraph, describeCompositionError } from '../composeSupergraph';

describe('composeSupergraph', () => {
  it('composes the three subgraphs into exactly the committed supergraph and published schema', () => {
    const manifest = readCompositionManifest();
    const result = composedFiles(manifest);
    if (result.kind === 'failed') throw new Error(result.errors.map(describeCompositionError).join('\n'));
    expect(result.files.map(({ file }) => relative(`${__dirname}/../../..`, file))).toEqual([
      'gateway/supergraph.graphql', 'gateway/api/schema.graphql', 'gateway/api/possibleTypes.json',
    ]);
    // When this fails: run `npm run compose` and commit what it wrote.
    for (const { file, text } of result.files) expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('reports a composition error for a candidate that breaks the contract', () => {
    const broken = renderPlatformSchema().replace('name: String! @external', 'name: Int! @external');
    const result = composeSupergraph({ name: 'platform', sdl: broken });
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect(result.errors.map(describeCompositionError).join('\n')).toMatch(/name/);
  });
});
