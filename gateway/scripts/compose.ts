/**
 * `npm run compose`: writes gateway/supergraph.graphql from the three subgraphs' SDL.
 * `npm run compose -- --check`: exits 1 if the committed file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../src/config';
import { composeSupergraph } from '../src/composeSupergraph';

const result = composeSupergraph();
if (result.kind === 'failed') {
  process.stderr.write(`composition failed:\n  ${result.errors.join('\n  ')}\n`);
  process.exit(1);
}
const committed = (() => {
  try {
    return readFileSync(SUPERGRAPH_FILE, 'utf8');
  } catch {
    return '';
  }
})();
if (process.argv.includes('--check')) {
  if (committed !== result.supergraphSdl) {
    process.stderr.write(`${SUPERGRAPH_FILE} is out of date: run npm run compose and commit it\n`);
    process.exit(1);
  }
  process.stdout.write('supergraph.graphql is up to date\n');
} else {
  writeFileSync(SUPERGRAPH_FILE, result.supergraphSdl);
  process.stdout.write(`wrote ${SUPERGRAPH_FILE}${result.hints.length ? ` (${result.hints.length} composition hints)` : ''}\n`);
}
