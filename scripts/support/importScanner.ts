import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const MAX_ENTRIES = 5_000;

/** Reads what source files import, remembering it by their content. */
export interface ImportScanner {
  /**
   * Every module specifier `text` imports, re-exports, requires or loads with `import()`, as the TypeScript compiler
   * reads them (`ts.preProcessFile`, so nothing in a comment or a string counts).
   */
  importsOf(text: string): readonly string[];
  /** Keeps what was read for the first time for the next run. */
  save(): void;
}

/**
 * An import scanner whose answers are kept in a folder (`<os temp folder>/shuangcheng-import-cache`, safe to delete),
 * keyed by each text's SHA-1, the TypeScript version and this module's code: the tests that check the repository's module graph read
 * some 700 files on every run, and loading the TypeScript compiler and scanning them cost them most of their time.
 * A text never read before (or by another TypeScript) is scanned; TypeScript is loaded only then.
 */
export function cachedImportScanner(folder = join(tmpdir(), 'shuangcheng-import-cache')): ImportScanner {
  const version = (require('typescript/package.json') as { version: string }).version;
  // This module's own text is in the name too: a change to how it scans is a new cache.
  const scannerCode = createHash('sha1').update(readFileSync(__filename)).digest('hex').slice(0, 12);
  const file = join(folder, `typescript-${version}-${scannerCode}.json`);
  let known: Record<string, string[]>;
  try {
    known = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
  } catch {
    known = {};
  }
  let added = false;
  const used = new Set<string>();
  return {
    importsOf(text) {
      const key = createHash('sha1').update(text).digest('hex');
      used.add(key);
      let imports = known[key];
      if (!imports) {
        imports = ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName);
        known[key] = imports;
        added = true;
      }
      return imports;
    },
    save() {
      if (!added) return;
      // Written beside its final name and renamed over it: two test files saving at once never leave half a file.
      // Texts edited since are forgotten once they outnumber the repository's files several times over.
      const kept = Object.keys(known).length > MAX_ENTRIES ? Object.fromEntries([...used].map((key) => [key, known[key]!])) : known;
      mkdirSync(folder, { recursive: true });
      const staged = `${file}.${randomUUID()}.tmp`;
      writeFileSync(staged, JSON.stringify(kept));
      renameSync(staged, file);
      added = false;
    },
  };
}
