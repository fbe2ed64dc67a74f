import type { Config } from 'jest';

/**
 * One jest run for the whole repository. `globalSetup` starts the real system
 * once (embedded PostgreSQL, three subgraphs, gateway, each its own process)
 * and hands its URLs to the tests through environment variables. The fault
 * tests (test/faults/) stop and restart services, so they start a system of
 * their own (test/support/privateSystem/).
 */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/shared', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/test'],
  testMatch: ['**/__tests__/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  // Browser tests and replica tests (which need Debian's Chromium and redis-server) start their own system:
  // `npm run test:browser` (jest.browser.config.ts) and `npm run test:replicas` (jest.replicas.config.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/', '<rootDir>/test/replicas/'],
  transform: {
    // Type checking is `tsc --noEmit` in `npm test`; with isolatedModules in tsconfig, ts-jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  globalSetup: '<rootDir>/test/support/globalSetup.mjs',
  globalTeardown: '<rootDir>/test/support/globalTeardown.mjs',
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
