import type { Config } from 'jest';

/**
 * What every jest configuration of the repository shares: TypeScript, Node environment.
 *
 * Type checking is `tsc --noEmit` in `npm test`, so tests only need TypeScript stripped: swc does that
 * several times faster than ts-jest, which matters most on a clean clone (CI), where nothing is cached.
 */
export const baseProject = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true }, target: 'es2022' },
      module: { type: 'commonjs', lazy: true },
      sourceMaps: 'inline',
    }],
  },
} satisfies Config;
