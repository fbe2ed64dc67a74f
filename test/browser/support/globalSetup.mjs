// The browser tests' own system: the last test stops the Sichuan subgraph, which no other test file may see.
import { setUpThrowawaySystem } from '../../support/throwawaySystemSetup.mjs';

export default () => setUpThrowawaySystem('browser');
