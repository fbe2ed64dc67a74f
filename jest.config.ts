/**
 * Jest reads this file through esbuild-register, which only strips the types: `tsc --noEmit` in `npm test` checks
 * them. Jest's default loader, ts-node, loads the TypeScript compiler even when told to transpile with swc, which
 * cost every jest run about half a second before its first test.
 *
 * @jest-config-loader esbuild-register
 */
import type { Config } from 'jest';
import { baseProject, unitProject } from './jest.base.config';

/**
 * Two projects, both run by `npm test`:
 *
 * - `unit` (`npm run test:unit`): pure code, in seconds. No PostgreSQL, no
 *   system; a test may start an HTTP server of its own on a free port.
 * - `system`: real PostgreSQL and real HTTP. `globalSetup` starts one embedded
 *   cluster and prepares a migrated, seeded template database per owner; each
 *   test file then gets databases of its own, copied from the templates, and
 *   its own gateway and subgraphs (test/support/fileSystem.ts), so no file
 *   sees another's writes. The fault tests (test/faults/) stop processes, so
 *   they start a system of their own (test/support/privateSystem/).
 *
 * A test under `__tests__` that needs PostgreSQL is named `*.system.test.ts`.
 * Browser and replica tests need Debian's Chromium and redis-server:
 * `npm run test:browser` and `npm run test:replicas`.
 */
const projects = [
  {
    ...unitProject,
    displayName: 'unit',
    roots: ['<rootDir>/shared', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/scripts', '<rootDir>/bench', '<rootDir>/dashboard'],
    testMatch: ['**/__tests__/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '\\.system\\.test\\.ts$'],
  },
  {
    ...baseProject,
    displayName: 'system',
    roots: ['<rootDir>/shared', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/test'],
    testMatch: ['**/__tests__/**/*.system.test.ts', '<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/', '<rootDir>/test/replicas/'],
    globalSetup: '<rootDir>/test/support/globalSetup.mjs',
    setupFilesAfterEnv: ['<rootDir>/test/support/setupFileSystem.ts'],
    globalTeardown: '<rootDir>/test/support/globalTeardown.mjs',
  },
];

// `npm run test:unit` and `test:system` choose a project by TEST_PROJECT rather than `--selectProjects`, which
// would take a path given after it (`npm run test:unit -- shared/src/ids`) for a second project name.
const only = process.env.TEST_PROJECT;
if (only && !projects.some((project) => project.displayName === only)) {
  throw new Error(`TEST_PROJECT: expected unit or system, got ${JSON.stringify(only)}`);
}

const config: Config = {
  projects: projects.filter((project) => !only || project.displayName === only),
  // TEST_FILE_ORDER=reverse (or shuffle, path) runs the files in another order.
  testSequencer: '<rootDir>/test/support/fileOrderSequencer.cjs',
  testTimeout: 30_000,
  maxWorkers: 2,
  // `npm run test:unit` runs its files in worker threads: they start faster than processes and hand results back
  // without a pipe, about half a second of a ten-second run here. Everything else keeps worker processes, Jest's
  // default: a system file's time is PostgreSQL's and the services', and a worker that crashes or hangs there takes
  // only its own process down.
  workerThreads: only === 'unit',
};

export default config;
