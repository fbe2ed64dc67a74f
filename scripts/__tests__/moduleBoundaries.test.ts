import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { cachedImportScanner } from '../support/importScanner';

/**
 * Module boundaries, read from every relative import in the repository (parsed
 * by the TypeScript compiler: imports, re-exports, `require`, `import()`; see
 * ../support/importScanner.ts).
 *
 * Packages: `shared`, `gateway`, `subgraphs/platform`, `subgraphs/province`.
 * Services are the last three. `scripts/`, `test/`, `bench/` and `dashboard/`
 * are tooling: not packages, they may use one another.
 * Test code is a `*.test.ts` file or anything in a `__tests__` folder;
 * everything else (test support included) is non-test code.
 *
 * 1. `shared` imports nothing outside `shared/`, tests included.
 * 2. A service's non-test code imports no other service, not even its index:
 *    each runs as its own process, and the gateway's image has no subgraph in it.
 * 3. Non-test code imports another package only through its public entry,
 *    `src/index.ts` (`shared` also offers `src/tracing/startTracing.ts`, which
 *    entry points load before anything else, `src/browser.ts`, the pure modules
 *    browser code may bundle, `src/testing/until.ts`, the one polling helper
 *    of every test, and the real servers tests and the bench start:
 *    `src/testing/smtpTestServer.ts` (mail), `src/testing/webhookReceiver.ts`
 *    (webhooks); shared/README.md).
 * 4. Non-test code of a package imports no tooling folder (the image does not
 *    ship them).
 * 5. Only test code loads the committed test-only keys
 *    (`shared/src/testing/testOnlyKeys.ts`), from its own package or another.
 */

const ROOT = resolve(__dirname, '..', '..');
const SCANNED_FOLDERS = ['shared', 'gateway', 'subgraphs', 'scripts', 'test', 'bench', 'dashboard'];
const SERVICES = new Set(['gateway', 'subgraphs/platform', 'subgraphs/province']);
const PUBLIC_ENTRIES = new Set([
  'shared/src/index.ts',
  'shared/src/tracing/startTracing.ts',
  'shared/src/browser.ts',
  'shared/src/testing/until.ts',
  'shared/src/testing/smtpTestServer.ts',
  'shared/src/testing/webhookReceiver.ts',
  'gateway/src/index.ts',
  'subgraphs/platform/src/index.ts',
  'subgraphs/province/src/index.ts',
]);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST_ONLY_KEYS = 'shared/src/testing/testOnlyKeys.ts';

/** The package or tooling folder a repository path belongs to: `subgraphs/<name>` or its top folder. */
function ownerOf(path: string): string {
  const [top, second] = path.split('/');
  return top === 'subgraphs' && second ? `subgraphs/${second}` : top!;
}

const isPackage = (owner: string) => owner === 'shared' || SERVICES.has(owner);
const isTestCode = (path: string) => path.endsWith('.test.ts') || path.split('/').includes('__tests__');

/** Which rule an import from `from` to `to` (repository paths) breaks, if any. */
function ruleBrokenBy(from: string, to: string): number | undefined {
  if (to === TEST_ONLY_KEYS && !isTestCode(from)) return 5;
  const source = ownerOf(from);
  const target = ownerOf(to);
  if (source === target) return undefined;
  if (source === 'shared') return 1;
  if (isTestCode(from)) return undefined;
  if (SERVICES.has(source) && SERVICES.has(target)) return 2;
  if (isPackage(target) && !PUBLIC_ENTRIES.has(to)) return 3;
  if (isPackage(source) && !isPackage(target)) return 4;
  return undefined;
}

const scanner = cachedImportScanner();

/** The relative module specifiers a file imports, re-exports, requires or loads with `import()`. */
function relativeImportsOf(text: string): string[] {
  return scanner.importsOf(text).filter((name) => name.startsWith('.'));
}

/** The file a relative specifier names, as TypeScript and tsx find it (`x` → `x.ts`, a folder → its `index.ts`). */
function resolveImport(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  let found = resolved.get(base);
  if (found === undefined) {
    const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
    found = candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile()) ?? base;
    resolved.set(base, found);
  }
  return found;
}
/** Many files import the same few modules (`shared/src/index.ts` above all): each is looked for once. */
const resolved = new Map<string, string>();

function sourceFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFilesUnder(path);
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const toRepositoryPath = (path: string) => relative(ROOT, path).split(sep).join('/');

function crossFolderImports(): { from: string; to: string }[] {
  return SCANNED_FOLDERS.flatMap((folder) => sourceFilesUnder(join(ROOT, folder))).flatMap((file) =>
    relativeImportsOf(readFileSync(file, 'utf8'))
      .map((specifier) => ({ from: toRepositoryPath(file), to: toRepositoryPath(resolveImport(file, specifier)) }))
      .filter(({ from, to }) => ownerOf(from) !== ownerOf(to) || to === TEST_ONLY_KEYS),
  );
}

afterAll(() => scanner.save());

describe('module boundaries', () => {
  const imports = crossFolderImports();
  const violations = [
    ...new Set(imports.flatMap(({ from, to }) => {
      const rule = ruleBrokenBy(from, to);
      return rule === undefined ? [] : [`${from} -> ${to} (rule ${rule})`];
    })),
  ].sort();

  it('sees the imports between folders (the scan itself works)', () => {
    expect(imports.some(({ from, to }) => ownerOf(from) === 'gateway' && to === 'shared/src/index.ts')).toBe(true);
    expect(imports.length).toBeGreaterThan(50);
  });

  it('are kept', () => {
    expect(violations).toEqual([]);
  });
});

describe('the boundary rules', () => {
  it.each([
    ['shared/src/db/x.ts', 'subgraphs/province/src/index.ts', 1],
    ['shared/src/__tests__/x.test.ts', 'test/support/system.ts', 1],
    ['gateway/src/x.ts', 'subgraphs/province/src/index.ts', 2],
    ['subgraphs/platform/src/x.ts', 'subgraphs/province/src/entities/InstrumentEntity.ts', 2],
    ['subgraphs/province/src/x.ts', 'shared/src/provinces.ts', 3],
    ['test/support/x.ts', 'subgraphs/platform/src/services/passwords.ts', 3],
    ['gateway/src/x.ts', 'scripts/system/freePort.ts', 4],
    ['shared/src/auth/x.ts', 'shared/src/testing/testOnlyKeys.ts', 5],
    ['test/support/x.ts', 'shared/src/testing/testOnlyKeys.ts', 5],
  ])('%s -> %s breaks rule %i', (from, to, rule) => {
    expect(ruleBrokenBy(from, to)).toBe(rule);
  });

  it.each([
    ['gateway/src/x.ts', 'shared/src/index.ts'],
    ['gateway/src/tracing.ts', 'shared/src/tracing/startTracing.ts'],
    ['scripts/start.ts', 'subgraphs/platform/src/index.ts'],
    ['test/support/x.ts', 'scripts/system/launchSystem.ts'],
    ['gateway/src/__tests__/x.test.ts', 'subgraphs/province/src/index.ts'],
    ['subgraphs/province/src/__tests__/x.system.test.ts', 'test/support/system.ts'],
    ['subgraphs/platform/src/services/__tests__/x.test.ts', 'shared/src/testing/testOnlyKeys.ts'],
  ])('%s -> %s is allowed', (from, to) => {
    expect(ruleBrokenBy(from, to)).toBeUndefined();
  });

  it('reads imports, re-exports, require and import() alike, and skips packages', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "const d = require('./d');",
      "const e = import('./e');",
      "import pino from 'pino';",
    ].join('\n');
    expect(relativeImportsOf(text)).toEqual(['./a', '../b', './c', './d', './e']);
  });
});
