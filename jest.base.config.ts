import type { Config } from 'jest';

/**
 * swc's `lazy`: `true` defers the `require` of npm packages until first use (relative imports stay eager);
 * `{ patterns }` defers every import whose source matches one of the regular expressions, relative ones included.
 */
type Lazy = boolean | { patterns: string[] };

const swc = (syntax: 'typescript' | 'ecmascript', lazy: Lazy = false): [string, unknown] => ['@swc/jest', {
  jsc: { parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax }, transform: { legacyDecorator: true }, target: 'es2022' },
  module: { type: 'commonjs', ...(lazy ? { lazy } : {}) },
  sourceMaps: 'inline',
}];

/**
 * Packages published only as ES modules that the code under test loads. Jest on Node 20 cannot `require` an ES
 * module, so these (and only these) are compiled to CommonJS like our own sources: openid-client (the platform as
 * an OpenID Connect relying party) with oauth4webapi and jose beneath it, oidc-provider, the real provider the
 * sign-in tests start, and auto-bind, beneath the codegen plugins that `npm run codegen -- --check` runs in process.
 */
const ESM_ONLY_PACKAGES = ['openid-client', 'oauth4webapi', 'jose', 'oidc-provider', 'auto-bind'];
const esmOnlyPackages = {
  [`node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`]: swc('ecmascript'),
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`];

/**
 * What every jest configuration of the repository shares: TypeScript, Node environment.
 *
 * Type checking is `tsc --noEmit` in `npm test`, so tests only need TypeScript stripped: swc does that
 * several times faster than ts-jest, which matters most on a clean clone (CI), where nothing is cached.
 */
export const baseProject = {
  // Node's, letting a worker forget each file it ran (see the file).
  testEnvironment: '<rootDir>/test/support/testEnvironment.cjs',
  transform: { '^.+\\.ts$': swc('typescript'), ...esmOnlyPackages },
  transformIgnorePatterns,
} satisfies Config;

/**
 * Unit tests load npm packages only when a test first uses them (swc's lazy CommonJS imports): a test of one pure
 * module no longer pays for TypeORM, pg and Apollo that the shared index would load. Module order then no longer
 * follows the import lines, which is what tracing's tests assert about (the SDK must not load at all unless asked
 * for), so `shared/src/tracing/startTracing.ts` keeps eager imports. Only that file: the request-trace helper beside it
 * would load the OpenTelemetry API in every test that uses it.
 *
 * The shared index (`shared/src/index.ts`, which every package imports) also loads its own modules only when a test
 * first uses one of their exports: it re-exports some seventy modules (config schemas built with zod at load,
 * database, HTTP, GraphQL, mail), and a unit test uses a few. That cut the modules a unit run compiles by a quarter
 * (22 400 to 16 800). The index only re-exports, so nothing there depends on the order its modules load in.
 */
export const unitProject = {
  ...baseProject,
  // Jest's runtime, keeping V8's compiled code between runs (see the file): a unit run compiles some 180 MB of
  // JavaScript, mostly the same packages once per test file.
  runtime: '<rootDir>/test/support/codeCachingRuntime.cjs',
  transform: {
    '/shared/src/tracing/startTracing\\.ts$': swc('typescript'),
    '/shared/src/index\\.ts$': swc('typescript', { patterns: ['.*'] }),
    '^.+\\.ts$': swc('typescript', true),
    ...esmOnlyPackages,
  },
  transformIgnorePatterns,
} satisfies Config;
