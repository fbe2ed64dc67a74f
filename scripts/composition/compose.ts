/**
 * `npm run compose`: writes the supergraph from the SDL of the subgraphs the manifest lists (subgraphs/supergraph.yaml).
 * `npm run compose -- --check`: exits 1 if the committed file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readCompositionManifest } from './compositionManifest';
import { composeSupergraph } from './composeSupergraph';

const manifest = readCompositionManifest();
const { supergraphFile } = manifest;
const result = composeSupergraph(undefined, manifest);
if (result.kind === 'failed') {
  process.stderr.write(`composition failed:\n  ${result.errors.join('\n  ')}\n`);
  process.exit(1);
}
const committed = (() => {
  try {
    return readFileSync(supergraphFile, 'utf8');
  } catch {
    return '';
  }
})();
if (process.argv.includes('--check')) {
  if (committed !== result.supergraphSdl) {
    process.stderr.write(`${supergraphFile} is out of date: run npm run compose and commit it\n`);
    process.exit(1);
  }
  process.stdout.write('supergraph.graphql is up to date\n');
} else {
  writeFileSync(supergraphFile, result.supergraphSdl);
  process.stdout.write(`wrote ${supergraphFile}${result.hints.length ? ` (${result.hints.length} composition hints)` : ''}\n`);
}
