import { readFileSync } from 'node:fs';
import { renderPlatformSchema } from '../../../subgraphs/platform/src';
import { SUPERGRAPH_FILE } from '../config';
import { composeSupergraph } from '../composeSupergraph';
import { supergraphForGateway } from '../supergraphForGateway';

describe('composeSupergraph', () => {
  it('composes the three subgraphs into exactly the committed supergraph.graphql', () => {
    const result = composeSupergraph();
    if (result.kind === 'failed') throw new Error(result.errors.join('\n'));
    // When this fails: run `npm run compose` and commit gateway/supergraph.graphql.
    expect(result.supergraphSdl).toBe(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  });

  it('carries the authorization rules for partners to read, and the gateway loads them as metadata', () => {
    const committed = readFileSync(SUPERGRAPH_FILE, 'utf8');
    expect(committed).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(committed).toMatch(/createSichuanInstrument\(input: InstrumentInput!\): SichuanInstrument! @join__field\(graph: SICHUAN\) @policy\(policies: \[\["province_admin"\]\]\)/);
    const forGateway = supergraphForGateway(committed);
    expect(forGateway).not.toMatch(/for: SECURITY/);
    expect(forGateway).toContain('@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)');
  });

  it('reports a composition error for a candidate that breaks the contract', () => {
    const broken = renderPlatformSchema().replace('name: String! @external', 'name: Int! @external');
    const result = composeSupergraph({ name: 'platform', sdl: broken });
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect(result.errors.join('\n')).toMatch(/name/);
  });
});
