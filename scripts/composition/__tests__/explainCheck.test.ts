import { readFileSync } from 'node:fs';
import { PROVINCES } from '../../../shared/src';
import { renderProvinceSchema } from '../../../subgraphs/province/src';
import { checkSubgraph } from '../checkSubgraph';
import { readCompositionManifest } from '../compositionManifest';
import { explainBreakingChanges, explainCompositionErrors, formatFindings } from '../explainCheck';

const manifest = readCompositionManifest();
const committed = readFileSync(manifest.supergraphFile, 'utf8');
const others = manifest.subgraphs.filter((s) => s.name !== 'chongqing').map((s) => ({ name: s.name, sdl: s.sdl() }));
const chongqingSdl = renderProvinceSchema(PROVINCES.chongqing, PROVINCES.sichuan);
/** Edits only inside `type <name> … { … }` of Chongqing's SDL. */
const editType = (name: string, edit: (block: string) => string) =>
  chongqingSdl.replace(new RegExp(`type ${name} @key[^}]*\\}`), (block) => edit(block));

function compositionFindings(sdl: string) {
  const result = checkSubgraph('chongqing', sdl, committed, manifest);
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
    const result = checkSubgraph('chongqing', 'type Broken {', committed, manifest);
    if (result.kind !== 'composition-failed') throw new Error('expected a failure');
    expect(explainCompositionErrors({ name: 'chongqing', sdl: 'type Broken {' }, result.errors, others)).toEqual([
      { problem: expect.stringMatching(/^\[INVALID_GRAPHQL\] invalid SDL: Syntax Error/), usages: [], advice: undefined },
    ]);
  });
});

describe('explainBreakingChanges', () => {
  it('says when no other subgraph uses a removed field, and how to remove it without breaking partners', () => {
    const sdl = editType('ChongqingLab', (block) => block.replace(/\n\s*city: String!/, ''));
    const result = checkSubgraph('chongqing', sdl, committed, manifest);
    if (result.kind !== 'checked') throw new Error('expected the candidate to compose');
    expect(explainBreakingChanges(result.breakingChanges, others)).toEqual([{
      problem: 'ChongqingLab.city was removed (FIELD_REMOVED)',
      usages: [],
      advice: expect.stringMatching(/^No other subgraph uses it, but partners' and the dashboard's queries may.*@deprecated/),
    }]);
  });
});
