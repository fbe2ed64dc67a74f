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
 * `npm run test:replicas`: two gateway replicas sharing rate limits and
 * persisted queries through a real Redis (Debian's `redis-server`, which
 * `.ci/run` installs when missing), in front of a system of their own.
 */
const config: Config = {
  ...baseProject,
  roots: ['<rootDir>/test/replicas'],
  testMatch: ['<rootDir>/test/replicas/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/replicas/support/globalSetup.mjs',
  globalTeardown: '<rootDir>/test/replicas/support/globalTeardown.mjs',
  testTimeout: 60_000,
  maxWorkers: 1,
};

export default config;
