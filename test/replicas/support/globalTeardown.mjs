import { tearDownThrowawaySystem } from '../../support/throwawaySystemSetup.mjs';

export default tearDownThrowawaySystem;
