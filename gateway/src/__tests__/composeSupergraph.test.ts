import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../config';
import { composeSupergraph } from '../composeSupergraph';

describe('composeSupergraph', () => {
  it('composes the three subgraphs into exactly the committed supergraph.graphql', () => {
    const result = composeSupergraph();
    if (result.kind === 'failed') throw new Error(result.errors.join('\n'));
    // When this fails: run `npm run compose` and commit gateway/supergraph.graphql.
    expect(result.supergraphSdl).toBe(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  });

  it('reports a composition error for a candidate that breaks the contract', () => {
    const broken = readFileSync(require.resolve('../../../subgraphs/platform/schema.graphql'), 'utf8').replace('name: String! @external', 'name: Int! @external');
    const result = composeSupergraph({ name: 'platform', sdl: broken });
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect(result.errors.join('\n')).toMatch(/name/);
  });
});
