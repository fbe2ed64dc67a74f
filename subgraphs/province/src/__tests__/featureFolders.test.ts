import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The feature folders depend on each other in one direction only, and none
 * reaches into the composition root (ProvinceContext, createProvinceSubgraph…):
 * a feature can then be read, tested and changed on its own.
 */
const SRC = join(__dirname, '..');
const FEATURES = ['instruments', 'labs', 'bookings', 'talentCards', 'cardChecks', 'recognitions', 'audit', 'stats', 'registryFiles', 'qualifications', 'usage',
  'offerings', 'serviceRequests', 'charges', 'vouchers', 'events', 'clientGrants', 'accessLog', 'notifications'];
/** Folders every feature may use. */
const SHARED = ['domain', 'persistence'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === '__tests__' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The folders (or root files) under src that a feature's source files import. */
function importsOf(feature: string): Set<string> {
  const targets = new Set<string>();
  for (const file of sourceFiles(join(SRC, feature))) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = relative(SRC, normalize(join(dirname(file), spec!)));
      if (target.startsWith('..')) continue;
      const [top, ...rest] = target.split(sep);
      if (top !== feature) targets.add(rest.length > 0 ? top! : `${top}.ts`);
    }
  }
  return targets;
}

const graph = Object.fromEntries(FEATURES.map((feature) => [feature, importsOf(feature)]));

describe('feature folders', () => {
  it.each(FEATURES)('%s imports only shared folders, ProvinceRequest and other features', (feature) => {
    const allowed = new Set([...SHARED, ...FEATURES, 'ProvinceRequest.ts']);
    expect([...graph[feature]!].filter((target) => !allowed.has(target))).toEqual([]);
  });

  it('do not import each other in a circle', () => {
    const cycles: string[] = [];
    const visit = (feature: string, path: string[]) => {
      for (const next of graph[feature] ?? []) {
        if (!FEATURES.includes(next)) continue;
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
        else visit(next, [...path, next]);
      }
    };
    for (const feature of FEATURES) visit(feature, [feature]);
    expect(cycles).toEqual([]);
  });
});
