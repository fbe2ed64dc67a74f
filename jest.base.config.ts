import type { Config } from 'jest';

/** What every jest configuration of the repository shares: TypeScript through ts-jest, Node environment. */
export const baseProject = {
  testEnvironment: 'node',
  transform: {
    // Type checking is `tsc --noEmit` in `npm test`; with isolatedModules in tsconfig, ts-jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
} satisfies Config;
