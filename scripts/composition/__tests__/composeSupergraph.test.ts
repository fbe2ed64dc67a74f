import { readFileSync } from 'node:fs';
import { renderPlatformSchema } from '../../../subgraphs/platform/src';
import { readCompositionManifest } from '../compositionManifest';
import { composeSupergraph } from '../composeSupergraph';

const { supergraphFile } = readCompositionManifest();

describe('composeSupergraph', () => {
  it('composes the three subgraphs into exactly the committed supergraph.graphql', () => {
    const result = composeSupergraph();
    if (result.kind === 'failed') throw new Error(result.errors.join('\n'));
    // When this fails: run `npm run compose` and commit gateway/supergraph.graphql.
    expect(result.supergraphSdl).toBe(readFileSync(supergraphFile, 'utf8'));
  });

  it('reports a composition error for a candidate that breaks the contract', () => {
    const broken = renderPlatformSchema().replace('name: String! @external', 'name: Int! @external');
    const result = composeSupergraph({ name: 'platform', sdl: broken });
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect(result.errors.join('\n')).toMatch(/name/);
  });
});
