/**
 * Jest reads this file through esbuild-register, which only strips the types: `tsc --noEmit` in `npm test` checks
 * them. Jest's default loader, ts-node, loads the TypeScript compiler even when told to transpile with swc, which
 * cost every jest run about half a second before its first test.
 *
 * @jest-config-loader esbuild-register
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
