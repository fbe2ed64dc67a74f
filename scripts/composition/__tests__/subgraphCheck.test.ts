import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm run subgraph:check` as a team runs it, on candidates of the province template. */
const ROOT = join(__dirname, '..', '..', '..');
const TEMPLATE = readFileSync(join(ROOT, 'subgraphs', 'province', 'schema.graphql'), 'utf8');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'subgraph-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(template: string, ...extra: string[]): Promise<{ code: number | null; stdout: string }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, template);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/composition/subgraphCheck.ts', '--province', 'chongqing', '--schema', file, ...extra], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout })));
}

describe('npm run subgraph:check', () => {
  it('says a passing change must be recomposed and committed, and that an unchanged one need not be', async () => {
    const added = TEMPLATE.replace(/(type \{\{P\}\}Lab @key[^}]*?\n\s*city: String!)/, '$1\n  website: String');
    expect(added).not.toBe(TEMPLATE);
    const [changed, unchanged] = await Promise.all([check(added), check(TEMPLATE)]);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/^✓ chongqing: composes, and no breaking changes against the committed supergraph\.\nNext: run `npm run compose` and commit what it writes \(gateway\/supergraph\.graphql, /);
    expect(unchanged).toEqual({ code: 0, stdout: expect.stringMatching(/\nThe committed supergraph already has this schema: nothing to recompose\.\n$/) });
  }, 60_000);

  it('explains why a change does not compose, in the provinces\' terms, exit code 1', async () => {
    const withoutTier = TEMPLATE.replace(/(type \{\{P\}\}TalentCard @key[^{]*\{[\s\S]*?)\n\s*tier: TalentTier!/, '$1');
    const { code, stdout } = await check(withoutTier);
    expect(code).toBe(1);
    expect(stdout).toContain('ChongqingTalentCard.tier: no subgraph serves it any more, and others count on it (EXTERNAL_MISSING_ON_BASE).');
    expect(stdout).toContain("- Sichuan's `partnerRecognitions` requires `ChongqingTalentCard.tier`");
  }, 60_000);

  it('prints the rendered SDL with --print-sdl', async () => {
    const { code, stdout } = await check(TEMPLATE, '--print-sdl');
    expect(code).toBe(0);
    expect(stdout).toMatch(/type ChongqingTalentCard @key/);
    expect(stdout).not.toMatch(/\{\{P\}\}/);
  }, 60_000);
});
