import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { cachedImportScanner } from '../../../scripts/support/importScanner';

const ROOT = join(__dirname, '..', '..', '..');

/** Every file of the repository that `entry` loads, following relative imports, re-exports, `require` and `import()`. */
function moduleGraph(entry: string): Set<string> {
  const scanner = cachedImportScanner();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    for (const imported of scanner.importsOf(readFileSync(file, 'utf8'))) {
      // Packages come from node_modules; only the repository's own files can be subgraph code.
      if (!imported.startsWith('.')) continue;
      visit(resolveModule(resolve(dirname(file), imported)));
    }
  };
  visit(entry);
  scanner.save();
  return new Set([...seen].map((file) => relative(ROOT, file)));
}

function resolveModule(base: string): string {
  const candidates = [`${base}.ts`, join(base, 'index.ts'), base];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new Error(`cannot resolve ${base}`);
  return found;
}

describe("the gateway process's modules", () => {
  it('include no subgraph module: the gateway knows its subgraphs from the supergraph alone', () => {
    const modules = moduleGraph(join(ROOT, 'gateway', 'src', 'main.ts'));
    expect(modules).toContain('gateway/src/config.ts');
    expect(modules).toContain('gateway/src/startGateway.ts');
    expect(modules).toContain('shared/src/index.ts');
    expect([...modules].filter((file) => file.startsWith('subgraphs/'))).toEqual([]);
  });

  it('are found by a walk that does see subgraph modules where they are imported', () => {
    // npm start prints the demo accounts, so it imports the platform subgraph: the walk must notice that.
    expect(moduleGraph(join(ROOT, 'scripts', 'start.ts'))).toContain('subgraphs/platform/src/index.ts');
  });
});
