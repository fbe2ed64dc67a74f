import type { Config } from 'jest';

const swc = (syntax: 'typescript' | 'ecmascript', lazy = false): [string, unknown] => ['@swc/jest', {
  jsc: { parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax }, transform: { legacyDecorator: true }, target: 'es2022' },
  module: { type: 'commonjs', ...(lazy ? { lazy: true } : {}) },
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
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc('typescript'), ...esmOnlyPackages },
  transformIgnorePatterns,
} satisfies Config;

/**
 * Unit tests load npm packages only when a test first uses them (swc's lazy CommonJS imports): a test of one pure
 * module no longer pays for TypeORM, pg and Apollo that the shared index would load. Module order then no longer
 * follows the import lines, which is what tracing's tests assert about (the SDK must not load at all unless asked
 * for), so `shared/src/tracing/startTracing.ts` keeps eager imports. Only that file: the request-trace helper beside it
 * is loaded by every test that imports the shared index, and would load the OpenTelemetry API in each.
 */
export const unitProject = {
  testEnvironment: 'node',
  transform: {
    '/shared/src/tracing/startTracing\\.ts$': swc('typescript'),
    '^.+\\.ts$': swc('typescript', true),
    ...esmOnlyPackages,
  },
  transformIgnorePatterns,
} satisfies Config;
