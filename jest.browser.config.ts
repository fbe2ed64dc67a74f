/**
 * Jest reads this file through ts-node, told here to strip the types with swc: `tsc --noEmit` in `npm test` checks
 * them, and checking them again on load cost every jest run 3 to 4 s of CPU before its first test.
 *
 * @jest-config-loader-options {"swc": true}
 */
import type { Config } from 'jest';
import { baseProject } from './jest.base.config';

/**
 * `npm run test:browser`: the dashboard in Debian's Chromium, driven by
 * Playwright. Its own system (globalSetup), because the last test stops the
 * Sichuan subgraph, which the tests of `npm test` must never see; one file
 * at a time, that one last.
 */
const config: Config = {
  ...baseProject,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/browser/support/globalSetup.mjs',
  globalTeardown: '<rootDir>/test/browser/support/globalTeardown.mjs',
  testSequencer: '<rootDir>/test/browser/support/browserFileOrder.cjs',
  testTimeout: 60_000,
  maxWorkers: 1,
};

export default config;
