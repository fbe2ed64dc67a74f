/**
 * npm run subgraph:check -- --subgraph chongqing --schema path/to/schema.graphql
 * npm run subgraph:check -- --province sichuan --schema http://localhost:4002/graphql
 * npm run -s subgraph:check -- --province chongqing --schema subgraphs/province/schema.graphql --print-sdl
 *
 * `--print-sdl` only prints the candidate's SDL as composition sees it (a template rendered for that
 * province), to read or diff before checking.
 * Composes the candidate with the other subgraphs' current SDL (subgraphs/supergraph.yaml) and explains
 * composition errors and breaking changes against the committed supergraph in the subgraphs' terms: which
 * other subgraph uses the field and why (explainCheck.ts). After a passing check it says whether the
 * supergraph must be recomposed and committed.
 * Exit code 0: safe to deploy; 1: errors or breaking changes; 2: bad usage.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { GATEWAY_SECRET_HEADER } from '../../shared/src';
import { checkSubgraph } from './checkSubgraph';
import { readCompositionManifest } from './compositionManifest';
import { counted, explainBreakingChanges, explainCompositionErrors, formatFindings, subgraphLabel } from './explainCheck';

const manifest = readCompositionManifest();
const SUBGRAPHS = manifest.subgraphs;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run subgraph:check -- --subgraph <${SUBGRAPHS.map((s) => s.name).join('|')}> --schema <file or subgraph URL> [--print-sdl]\n`);
  process.exit(2);
}

/**
 * A running subgraph is asked for its SDL the way composition tools do (`_service { sdl }`), which it
 * answers only to the gateway: GATEWAY_SECRET in the environment is presented as the gateway presents it.
 */
async function readCandidate(source: string): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFileSync(source, 'utf8');
  const secret = process.env['GATEWAY_SECRET'];
  const response = await fetch(source, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { [GATEWAY_SECRET_HEADER]: secret } : {}) },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } } };
  const sdl = body.data?._service?.sdl;
  if (response.status === 403) throw new Error(`${source} answers _service only to the gateway: set GATEWAY_SECRET to the subgraph's`);
  if (!sdl) throw new Error(`${source} did not return its SDL (HTTP ${response.status})`);
  return sdl;
}

async function main() {
  const name = argument('subgraph') ?? argument('province');
  const source = argument('schema');
  if (!name || !SUBGRAPHS.some((s) => s.name === name)) usage(`--subgraph must be one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  if (!source) usage('--schema is required');
  const subgraph = SUBGRAPHS.find((s) => s.name === name)!;
  // A team may pass its template (the province's shared one): it is rendered as the manifest renders it for this subgraph.
  const sdl = subgraph.candidateSdl(await readCandidate(source));
  if (process.argv.includes('--print-sdl')) {
    process.stdout.write(sdl);
    return;
  }

  const committed = readFileSync(manifest.supergraphFile, 'utf8');
  const result = checkSubgraph(name, sdl, committed, manifest);
  const others = SUBGRAPHS.filter((other) => other.name !== name).map((other) => ({ name: other.name, sdl: other.sdl() }));
  if (result.kind === 'composition-failed') {
    const findings = explainCompositionErrors({ name, sdl }, result.errors, others);
    process.stdout.write(`✗ ${name}: the candidate does not compose with the other subgraphs (${counted(findings.length, 'problem')}):\n\n${formatFindings(findings)}\n`);
    process.exit(1);
  }
  if (result.breakingChanges.length > 0) {
    const findings = explainBreakingChanges(result.breakingChanges, others);
    process.stdout.write(`✗ ${name}: ${counted(findings.length, 'breaking change')} against the committed supergraph:\n\n${formatFindings(findings)}\n`);
    process.exit(1);
  }
  process.stdout.write(`✓ ${name}: composes, and no breaking changes against the committed supergraph.\n`);
  const files = [manifest.supergraphFile, ...(manifest.published ? [manifest.published.schemaFile, manifest.published.possibleTypesFile] : [])];
  process.stdout.write(result.supergraphSdl === committed
    ? 'The committed supergraph already has this schema: nothing to recompose.\n'
    : `Next: run \`npm run compose\` and commit what it writes (${files.map((file) => relative(process.cwd(), file)).join(', ')}) with this change: `
      + `the gateways serve only the committed supergraph, so ${subgraphLabel(name)}'s change reaches clients once that is deployed.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`subgraph:check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
