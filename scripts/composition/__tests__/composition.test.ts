import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSchema, isAbstractType, type GraphQLSchema } from 'graphql';
import { PROVINCES } from '../../../shared/src/provinces';
import { renderPlatformSchema } from '../../../subgraphs/platform/src/renderPlatformSchema';
import { renderProvinceSchema } from '../../../subgraphs/province/src/renderProvinceSchema';
import { checkSubgraph } from '../checkSubgraph';
import { composedFiles } from '../composedFiles';
import { compositionCacheIn, compositionKey } from '../compositionCache';
import { composeSupergraph, describeCompositionError } from '../composeSupergraph';
import { readCompositionManifest } from '../compositionManifest';
import { explainBreakingChanges, explainCompositionErrors, formatFindings } from '../explainCheck';
import { publishedSchemaOf } from '../publishedSchema';
import { runSubgraphCheck } from '../subgraphCheckCommand';

/*
 * The composition tools: `npm run compose` (composeSupergraph, the published schema) and the offline subgraph check,
 * from the command a team runs down to its parts. One file, because composing and building supergraphs is the slow
 * part: the composition code is loaded and warmed up once. The candidates here are the same on every run, so they
 * are composed through a cache keyed by their content and the composing packages' versions; the current supergraph
 * is composed fresh on every run and compared with the committed files and with the cache.
 */
const ROOT = join(__dirname, '..', '..', '..');
const TEMPLATE = readFileSync(join(ROOT, 'subgraphs', 'province', 'schema.graphql'), 'utf8');
const manifest = readCompositionManifest();
const cache = compositionCacheIn(join(tmpdir(), 'shuangcheng-composition-cache'));
const committed = readFileSync(manifest.supergraphFile, 'utf8');
const others = manifest.subgraphs.filter((s) => s.name !== 'chongqing').map((s) => ({ name: s.name, sdl: s.sdl() }));
const chongqingSdl = renderProvinceSchema(PROVINCES.chongqing, PROVINCES.sichuan);
/** Edits only inside `type <name> … { … }` of Chongqing's SDL. */
const editType = (name: string, edit: (block: string) => string) =>
  chongqingSdl.replace(new RegExp(`type ${name} @key[^}]*\\}`), (block) => edit(block));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'subgraph-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('composeSupergraph', () => {
  it('composes the three subgraphs into exactly the committed supergraph and published schema', () => {
    const result = composedFiles(manifest);
    if (result.kind === 'failed') throw new Error(result.errors.map(describeCompositionError).join('\n'));
    expect(result.files.map(({ file }) => relative(ROOT, file))).toEqual([
      'gateway/supergraph.graphql', 'gateway/api/schema.graphql', 'gateway/api/possibleTypes.json',
    ]);
    // When this fails: run `npm run compose` and commit what it wrote.
    for (const { file, text } of result.files) expect(text).toBe(readFileSync(file, 'utf8'));
    // And the cache holds what composing the same subgraphs gives today (a miss composes and fills it), with the
    // API schema that the check compares candidates by.
    const cached = composeSupergraph(undefined, manifest, cache);
    expect(cached.kind === 'composed' && cached.supergraphSdl).toBe(result.files[0]!.text);
    expect(cached.kind === 'composed' && `${cached.apiSchemaSdl}\n`).toBe(result.files[1]!.text);
  });

  it('reports a composition error for a candidate that breaks the contract', () => {
    const broken = renderPlatformSchema().replace('name: String! @external', 'name: Int! @external');
    const result = composeSupergraph({ name: 'platform', sdl: broken }, manifest, cache);
    expect(result.kind).toBe('failed');
    if (result.kind === 'failed') expect(result.errors.map(describeCompositionError).join('\n')).toMatch(/name/);
  });
});

describe('compositionCacheIn', () => {
  const input = [{ name: 'users', url: 'http://users:4000/graphql', sdl: 'type Query { me: String }' }];

  it('keys a composition by every subgraph\'s name, URL and SDL', () => {
    expect(compositionKey(input)).toBe(compositionKey([{ ...input[0]! }]));
    expect(compositionKey([{ ...input[0]!, sdl: 'type Query { me: ID }' }])).not.toBe(compositionKey(input));
    expect(compositionKey([{ ...input[0]!, url: 'http://users:4001/graphql' }])).not.toBe(compositionKey(input));
    expect(compositionKey([{ ...input[0]!, name: 'people' }])).not.toBe(compositionKey(input));
  });

  it('answers what was written for the same subgraphs, and nothing for others', () => {
    const own = compositionCacheIn(join(dir, 'cache'));
    expect(own.read(input)).toBeUndefined();
    own.write(input, { supergraphSdl: 'schema { query: Query }', hints: ['a hint'] });
    expect(own.read(input)).toEqual({ supergraphSdl: 'schema { query: Query }', hints: ['a hint'] });
    expect(own.read([{ ...input[0]!, sdl: 'type Query { me: ID }' }])).toBeUndefined();
  });
});

describe('publishedSchemaOf', () => {
  const published = publishedSchemaOf(committed);
  let built: GraphQLSchema | undefined;
  const publishedSchema = () => (built ??= buildSchema(published.sdl));

  it('is the API schema: no federation machinery, no subgraph addresses, descriptions kept', () => {
    expect(published.sdl).not.toMatch(/join__|link__|@policy|@authenticated|localhost/);
    expect(published.sdl).toMatch(/"""Who acted: a person, or null for a partner client \(see actorName\)\."""/);
    expect(publishedSchema).not.toThrow();
  });

  it('maps every interface and union to exactly the object types that can stand for it', () => {
    const schema = publishedSchema();
    const abstractTypes = Object.values(schema.getTypeMap()).filter((type) => isAbstractType(type) && !type.name.startsWith('__'));
    expect(Object.keys(published.possibleTypes).sort()).toEqual(abstractTypes.map((type) => type.name).sort());
    expect(published.possibleTypes['Instrument']).toEqual(['ChongqingInstrument', 'SichuanInstrument']);
  });
});

async function check(template: string, ...extra: string[]): Promise<{ code: number; stdout: string }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, template);
  let stdout = '';
  const code = await runSubgraphCheck(['--province', 'chongqing', '--schema', file, ...extra], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    env: {},
  }, cache);
  return { code, stdout };
}

describe('npm run subgraph:check', () => {
  it('says a passing change must be recomposed and committed, and that an unchanged one need not be', async () => {
    const added = TEMPLATE.replace(/(type \{\{P\}\}Lab @key[^}]*?\n\s*city: String!)/, '$1\n  website: String');
    expect(added).not.toBe(TEMPLATE);
    const changed = await check(added);
    const unchanged = await check(TEMPLATE);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/^✓ chongqing: composes, and no breaking changes against the committed supergraph\.\nNext: run `npm run compose` and commit what it writes \(gateway\/supergraph\.graphql, /);
    expect(unchanged).toEqual({ code: 0, stdout: expect.stringMatching(/\nThe committed supergraph already has this schema: nothing to recompose\.\n$/) });
  });

  it('explains why a change does not compose, in the provinces\' terms, exit code 1', async () => {
    const withoutTier = TEMPLATE.replace(/(type \{\{P\}\}TalentCard @key[^{]*\{[\s\S]*?)\n\s*tier: TalentTier!/, '$1');
    const { code, stdout } = await check(withoutTier);
    expect(code).toBe(1);
    expect(stdout).toContain('ChongqingTalentCard.tier: no subgraph serves it any more, and others count on it (EXTERNAL_MISSING_ON_BASE).');
    expect(stdout).toContain("- Sichuan's `partnerRecognitions` requires `ChongqingTalentCard.tier`");
  });

  it('prints the rendered SDL with --print-sdl', async () => {
    const { code, stdout } = await check(TEMPLATE, '--print-sdl');
    expect(code).toBe(0);
    expect(stdout).toMatch(/type ChongqingTalentCard @key/);
    expect(stdout).not.toMatch(/\{\{P\}\}/);
  });
});

describe('npm run subgraph:check usage', () => {
  it('names the subgraphs and exits 2 for an unknown one', async () => {
    let stderr = '';
    const code = await runSubgraphCheck(['--province', 'hubei', '--schema', 'x.graphql'], {
      stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: {},
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^--subgraph must be one of platform, sichuan, chongqing\nusage: npm run subgraph:check/);
  });
});

describe('checkSubgraph', () => {
  // One candidate with three breaking edits: composition is the slow part, and each must be reported on its own.
  it('reports each breaking change: a removed field, a changed type, a new required argument', () => {
    const sdl = editType('ChongqingLab', (block) => block.replace(/\n\s*partnerInstitutions: \[String!\]!/, '').replace('city: String!', 'city: Int!'))
      .replace('labs(jointOnly: Boolean = false)', 'labs(jointOnly: Boolean = false, city: String!)');
    const result = checkSubgraph('chongqing', sdl, committed, manifest, cache);
    if (result.kind !== 'checked') throw new Error(result.errors.map(describeCompositionError).join('\n'));
    expect(result.breakingChanges).toHaveLength(3);
    const report = result.breakingChanges.map((change) => `${change.type}: ${change.description}`).join('\n');
    expect(report).toMatch(/FIELD_REMOVED: ChongqingLab.partnerInstitutions/);
    expect(report).toMatch(/FIELD_CHANGED_KIND: ChongqingLab.city/);
    expect(report).toMatch(/REQUIRED_ARG_ADDED: A required arg city on ChongqingRegistry.labs was added/);
  });

  it('reports composition errors, e.g. a contract field the province stops serving', () => {
    const withoutBookable = chongqingSdl.replace(/\n\s*"Open for sharing and in service."\n\s*bookable: Boolean!/, '');
    const result = checkSubgraph('chongqing', withoutBookable, committed, manifest, cache);
    expect(result.kind).toBe('composition-failed');
    if (result.kind === 'composition-failed') expect(result.errors.map(describeCompositionError).join('\n')).toMatch(/bookable/);
  });

  it('reports SDL that does not parse as a failed composition', () => {
    const result = checkSubgraph('chongqing', 'type Broken {', committed, manifest, cache);
    expect(result.kind).toBe('composition-failed');
    if (result.kind === 'composition-failed') expect(describeCompositionError(result.errors[0]!)).toMatch(/invalid SDL: Syntax Error/);
  });
});

function compositionFindings(sdl: string) {
  const result = checkSubgraph('chongqing', sdl, committed, manifest, cache);
  if (result.kind !== 'composition-failed') throw new Error('expected the candidate not to compose');
  return explainCompositionErrors({ name: 'chongqing', sdl }, result.errors, others);
}

describe('explainCompositionErrors', () => {
  it('names who uses a field Chongqing stops serving, and why: Sichuan requires the tier, the platform declares it in an interface', () => {
    const [finding, ...rest] = compositionFindings(editType('ChongqingTalentCard', (block) => block.replace(/\n\s*tier: TalentTier!/, '')));
    expect(rest).toEqual([]);
    expect(finding!.problem).toBe('ChongqingTalentCard.tier: no subgraph serves it any more, and others count on it (EXTERNAL_MISSING_ON_BASE)');
    expect(finding!.usages).toEqual(expect.arrayContaining([
      'Sichuan\'s `partnerRecognitions` requires `ChongqingTalentCard.tier`: "Sichuan services (out of the eight items) that recognise this Chongqing-issued card at its tier"',
      'The platform\'s shared interface `TalentCard` declares `tier`, so every `TalentCard`, `ChongqingTalentCard` included, serves it',
    ]));
    expect(finding!.advice).toMatch(/change them first/);
    expect(formatFindings([finding!])).not.toMatch(/is marked @external on all the subgraphs/);
  });

  it('names the subgraph that refers to a type by a key Chongqing drops', () => {
    const [finding] = compositionFindings(chongqingSdl.replace(/(type ChongqingLab @key\(fields: "id"\)) @key\(fields: "ref"\)/, '$1'));
    expect(finding!.problem).toMatch(/^ChongqingLab\.ref: more than one subgraph resolves it/);
    expect(finding!.usages).toEqual(['The platform refers to `ChongqingLab` by its key `ref`']);
  });

  it('keeps the composition message when it names no field', () => {
    const result = checkSubgraph('chongqing', 'type Broken {', committed, manifest, cache);
    if (result.kind !== 'composition-failed') throw new Error('expected a failure');
    expect(explainCompositionErrors({ name: 'chongqing', sdl: 'type Broken {' }, result.errors, others)).toEqual([
      { problem: expect.stringMatching(/^\[INVALID_GRAPHQL\] invalid SDL: Syntax Error/), usages: [], advice: undefined },
    ]);
  });
});

describe('explainBreakingChanges', () => {
  it('says when no other subgraph uses a removed field, and how to remove it without breaking partners', () => {
    const sdl = editType('ChongqingLab', (block) => block.replace(/\n\s*city: String!/, ''));
    const result = checkSubgraph('chongqing', sdl, committed, manifest, cache);
    if (result.kind !== 'checked') throw new Error('expected the candidate to compose');
    expect(explainBreakingChanges(result.breakingChanges, others)).toEqual([{
      problem: 'ChongqingLab.city was removed (FIELD_REMOVED)',
      usages: [],
      advice: expect.stringMatching(/^No other subgraph uses it, but partners' and the dashboard's queries may.*@deprecated/),
    }]);
  });
});
