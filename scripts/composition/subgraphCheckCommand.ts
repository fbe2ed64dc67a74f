import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { GATEWAY_SECRET_HEADER } from '../../shared/src';
import { checkSubgraph } from './checkSubgraph';
import type { CompositionCache } from './compositionCache';
import { readCompositionManifest } from './compositionManifest';
import { counted, explainBreakingChanges, explainCompositionErrors, formatFindings, subgraphLabel } from './explainCheck';

/** Where the command writes and what it reads of its process: the real one from the CLI, a recording one in tests. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

class UsageError extends Error {}

/**
 * A running subgraph is asked for its SDL the way composition tools do (`_service { sdl }`), which it
 * answers only to the gateway: GATEWAY_SECRET in the environment is presented as the gateway presents it.
 */
async function readCandidate(source: string, secret: string | undefined): Promise<string> {
  if (!/^https?:\/\//.test(source)) return readFileSync(source, 'utf8');
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

/**
 * `npm run subgraph:check` with its arguments; resolves to the exit code (0 safe, 1 errors or breaking changes, 2 bad
 * usage). The command composes afresh; tests that run it on the same candidates every time pass a `cache`.
 */
export async function runSubgraphCheck(argv: readonly string[], io: CommandIo, cache?: CompositionCache): Promise<number> {
  const manifest = readCompositionManifest();
  const subgraphs = manifest.subgraphs;
  const argument = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  try {
    const name = argument('subgraph') ?? argument('province');
    const source = argument('schema');
    const subgraph = subgraphs.find((s) => s.name === name);
    if (!name || !subgraph) throw new UsageError(`--subgraph must be one of ${subgraphs.map((s) => s.name).join(', ')}`);
    if (!source) throw new UsageError('--schema is required');
    // A team may pass its template (the province's shared one): it is rendered as the manifest renders it for this subgraph.
    const sdl = subgraph.candidateSdl(await readCandidate(source, io.env['GATEWAY_SECRET']));
    if (argv.includes('--print-sdl')) {
      io.stdout.write(sdl);
      return 0;
    }

    const committed = readFileSync(manifest.supergraphFile, 'utf8');
    const result = checkSubgraph(name, sdl, committed, manifest, cache);
    const others = subgraphs.filter((other) => other.name !== name).map((other) => ({ name: other.name, sdl: other.sdl() }));
    if (result.kind === 'composition-failed') {
      const findings = explainCompositionErrors({ name, sdl }, result.errors, others);
      io.stdout.write(`✗ ${name}: the candidate does not compose with the other subgraphs (${counted(findings.length, 'problem')}):\n\n${formatFindings(findings)}\n`);
      return 1;
    }
    if (result.breakingChanges.length > 0) {
      const findings = explainBreakingChanges(result.breakingChanges, others);
      io.stdout.write(`✗ ${name}: ${counted(findings.length, 'breaking change')} against the committed supergraph:\n\n${formatFindings(findings)}\n`);
      return 1;
    }
    io.stdout.write(`✓ ${name}: composes, and no breaking changes against the committed supergraph.\n`);
    const files = [manifest.supergraphFile, ...(manifest.published ? [manifest.published.schemaFile, manifest.published.possibleTypesFile] : [])];
    io.stdout.write(result.supergraphSdl === committed
      ? 'The committed supergraph already has this schema: nothing to recompose.\n'
      : `Next: run \`npm run compose\` and commit what it writes (${files.map((file) => relative(process.cwd(), file)).join(', ')}) with this change: `
        + `the gateways serve only the committed supergraph, so ${subgraphLabel(name)}'s change reaches clients once that is deployed.\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\nusage: npm run subgraph:check -- --subgraph <${subgraphs.map((s) => s.name).join('|')}> --schema <file or subgraph URL> [--print-sdl]\n`);
      return 2;
    }
    io.stderr.write(`subgraph:check failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
