import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../config';
import { supergraphForGateway } from '../supergraphForGateway';

describe('supergraphForGateway', () => {
  it('carries the authorization rules for partners to read, and the gateway loads them as metadata', () => {
    const committed = readFileSync(SUPERGRAPH_FILE, 'utf8');
    expect(committed).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
    expect(committed).toMatch(/createSichuanInstrument\(input: InstrumentInput!\): SichuanInstrument! @join__field\(graph: SICHUAN\) @policy\(policies: \[\["province_admin"\]\]\)/);
    const forGateway = supergraphForGateway(committed);
    expect(forGateway).not.toMatch(/for: SECURITY/);
    expect(forGateway).toContain('@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)');
  });
});
