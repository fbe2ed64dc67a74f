/**
 * npm run subgraph:check -- --subgraph chongqing --schema path/to/schema.graphql
 * npm run subgraph:check -- --province sichuan --schema http://localhost:4002/graphql
 *
 * Composes the candidate with the other subgraphs' current SDL (subgraphs/supergraph.yaml) and lists
 * composition errors and breaking changes against the committed supergraph.
 * Exit code 0: safe to deploy; 1: errors or breaking changes; 2: bad usage.
 */
import { readFileSync } from 'node:fs';
import { GATEWAY_SECRET_HEADER } from '../../shared/src';
import { checkSubgraph } from './checkSubgraph';
import { readCompositionManifest } from './compositionManifest';

const manifest = readCompositionManifest();
const SUBGRAPHS = manifest.subgraphs;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run subgraph:check -- --subgraph <${SUBGRAPHS.map((s) => s.name).join('|')}> --schema <file or subgraph URL>\n`);
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

  const result = checkSubgraph(name, sdl, readFileSync(manifest.supergraphFile, 'utf8'), manifest);
  if (result.kind === 'composition-failed') {
    process.stdout.write(`✗ ${name}: the candidate does not compose with the other subgraphs:\n  ${result.errors.join('\n  ')}\n`);
    process.exit(1);
  }
  if (result.breakingChanges.length > 0) {
    process.stdout.write(`✗ ${name}: ${result.breakingChanges.length} breaking change(s) against the committed supergraph:\n  ${result.breakingChanges.join('\n  ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`✓ ${name}: composes, and no breaking changes against the committed supergraph.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`subgraph:check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
