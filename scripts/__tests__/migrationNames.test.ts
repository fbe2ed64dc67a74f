import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Rules for the TypeORM migrations of every subgraph (see each `migrations/README.md`):
 *
 * 1. A file is named `<13-digit timestamp>-<PascalName>.ts` and exports the class
 *    `<PascalName><timestamp>`: TypeORM reads the timestamp off the class name's
 *    last 13 digits and runs pending migrations in that order.
 * 2. In file-name order the timestamps strictly increase (no two share one).
 * 3. The migrations below were committed before these rules and keep their names,
 *    since every database records them by name. `1796000000000-AddStatsTallies`
 *    was dated ahead of its day; every migration made after them must sort after
 *    all of them, i.e. after 1796000000000, whatever the clock said when it was made.
 */
const EXISTING_BEFORE_THE_RULES: Readonly<Record<string, readonly string[]>> = {
  platform: ['1764000000000-CreateIdentity.ts', '1764200000000-CreateRefreshTokens.ts'],
  province: ['1764000000000-CreateRegistry.ts', '1764100000000-AddWorkflows.ts', '1795613053997-AddQueryIndexes.ts', '1796000000000-AddStatsTallies.ts'],
};
const NEWEST_EXISTING = 1796000000000;

const ROOT = join(__dirname, '..', '..');
const MIGRATION_FILE = /^(\d{13})-([A-Z][A-Za-z0-9]*)\.ts$/;

/** Every file in every `migrations/` folder under a subgraph's `src/` (wherever its layout puts it), tests and READMEs aside. */
function migrationFilesOf(subgraph: string): { name: string; path: string }[] {
  const found: { name: string; path: string }[] = [];
  const walk = (dir: string, inMigrations: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '__tests__') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, entry.name === 'migrations');
      else if (inMigrations && entry.name !== 'README.md') found.push({ name: entry.name, path });
    }
  };
  walk(join(ROOT, 'subgraphs', subgraph, 'src'), false);
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

describe.each(Object.keys(EXISTING_BEFORE_THE_RULES))('%s migrations', (subgraph) => {
  const files = migrationFilesOf(subgraph);
  const existing = EXISTING_BEFORE_THE_RULES[subgraph]!;

  it('keep the names of those made before these rules', () => {
    expect(files.map((file) => file.name)).toEqual(expect.arrayContaining([...existing]));
  });

  it.each(files.map((file) => [file.name, file.path]))('%s is named <timestamp>-<PascalName>.ts and exports <PascalName><timestamp>', (name, path) => {
    const [, timestamp, pascalName] = MIGRATION_FILE.exec(name) ?? [];
    expect({ name, matchesPattern: Boolean(timestamp) }).toEqual({ name, matchesPattern: true });
    expect(readFileSync(path, 'utf8')).toMatch(new RegExp(`export class ${pascalName}${timestamp}\\b`));
  });

  it('strictly increase in timestamp, in file order', () => {
    const timestamps = files.map((file) => Number(file.name.slice(0, 13)));
    for (let i = 1; i < timestamps.length; i += 1) expect([files[i]!.name, timestamps[i]! > timestamps[i - 1]!]).toEqual([files[i]!.name, true]);
  });

  it(`made after these rules, sort after ${NEWEST_EXISTING}`, () => {
    const early = files.filter((file) => !existing.includes(file.name) && Number(file.name.slice(0, 13)) <= NEWEST_EXISTING);
    expect(early.map((file) => relative(ROOT, file.path))).toEqual([]);
  });
});
