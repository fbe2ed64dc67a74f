import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../supergraph/supergraphFile';
import { supergraphForGateway } from '../supergraphForGateway';

describe('supergraphForGateway', () => {
  it('carries the authorization rules for partners to read, and the gateway loads them as metadata', () => {
    const committed = readFileSync(SUPERGRAPH_FILE, 'utf8');
    expect(committed).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(committed).toMatch(/createSichuanInstrument\(input: InstrumentInput!\): SichuanInstrument! @join__field\(graph: SICHUAN\) @policy\(policies: \[\["province_admin"\]\]\)/);
    const forGateway = supergraphForGateway(committed);
    expect(forGateway).not.toMatch(/(authenticated|requiresScopes|policy)\/v[\d.]+", for: SECURITY/);
    // @inaccessible (the platform's hidden `ref` keys) is a security feature the gateway implements: it stays.
    expect(forGateway).toContain('@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)');
    expect(forGateway).toContain('@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)');
  });
});
