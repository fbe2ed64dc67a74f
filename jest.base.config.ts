import type { Config } from 'jest';

const swc = (module: { type: 'commonjs'; lazy?: boolean }): [string, unknown] => ['@swc/jest', {
  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true }, target: 'es2022' },
  module,
  sourceMaps: 'inline',
}];

/**
 * What every jest configuration of the repository shares: TypeScript, Node environment.
 *
 * Type checking is `tsc --noEmit` in `npm test`, so tests only need TypeScript stripped: swc does that
 * several times faster than ts-jest, which matters most on a clean clone (CI), where nothing is cached.
 */
export const baseProject = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc({ type: 'commonjs' }) },
} satisfies Config;

/**
 * Unit tests load npm packages only when a test first uses them (swc's lazy CommonJS imports): a test of one pure
 * module no longer pays for TypeORM, pg and Apollo that the shared index would load. Module order then no longer
 * follows the import lines, which is what tracing's tests assert about (the SDK must not load at all unless asked
 * for), so `shared/src/tracing` keeps eager imports.
 */
export const unitProject = {
  testEnvironment: 'node',
  transform: {
    '/shared/src/tracing/[^/]+\\.ts$': swc({ type: 'commonjs' }),
    '^.+\\.ts$': swc({ type: 'commonjs', lazy: true }),
  },
} satisfies Config;
