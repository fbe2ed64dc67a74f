/**
 * `npm run compose`: writes the supergraph from the SDL of the subgraphs the manifest lists (subgraphs/supergraph.yaml),
 * and beside it what partners build clients from (the API schema and the possibleTypes map).
 * `npm run compose -- --check`: exits 1 if a committed file is out of date.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { describeCompositionError } from './composeSupergraph';
import { composedFiles } from './composedFiles';
import { readCompositionManifest } from './compositionManifest';

const result = composedFiles(readCompositionManifest());
if (result.kind === 'failed') {
  process.stderr.write(`composition failed:\n  ${result.errors.map(describeCompositionError).join('\n  ')}\n`);
  process.exit(1);
}
const committed = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};
const shown = (file: string) => relative(process.cwd(), file);
if (process.argv.includes('--check')) {
  const stale = result.files.filter(({ file, text }) => committed(file) !== text);
  for (const { file } of stale) process.stderr.write(`${shown(file)} is out of date: run npm run compose and commit it\n`);
  if (stale.length > 0) process.exit(1);
  process.stdout.write(`up to date: ${result.files.map(({ file }) => shown(file)).join(', ')}\n`);
} else {
  for (const { file, text } of result.files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  const hints = result.hints.length ? ` (${result.hints.length} composition hints)` : '';
  process.stdout.write(`wrote ${result.files.map(({ file }) => shown(file)).join(', ')}${hints}\n`);
}
