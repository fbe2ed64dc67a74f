// The replica tests' own system: their gateways share one rate limit, which the tests of npm test must never meet.
import { setUpThrowawaySystem } from '../../support/throwawaySystemSetup.mjs';

export default () => setUpThrowawaySystem('replicas');
