import { cpSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The second step of `npm run build`, after `tsc -p tsconfig.build.json`:
 * copies what the services read at run time relative to their own folder
 * (`__dirname`) into `dist/` at the same relative place, so the compiled code
 * finds it as the TypeScript source does: SDL and JSON data files, and the
 * dashboard's source, which the gateway bundles in memory when it starts.
 */
const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'dist');
const RUNTIME_FOLDERS = ['shared', 'subgraphs', 'gateway'];
const DATA_FILE = /\.(graphql|json)$/;
const NEVER = new Set(['node_modules', '__tests__']);

for (const folder of RUNTIME_FOLDERS) {
  cpSync(join(ROOT, folder), join(OUT, folder), {
    recursive: true,
    filter: (source) => !NEVER.has(basename(source)) && (statSync(source).isDirectory() || DATA_FILE.test(source)),
  });
}
cpSync(join(ROOT, 'dashboard'), join(OUT, 'dashboard'), { recursive: true, filter: (source) => !NEVER.has(basename(source)) });
