import { readFileSync } from 'node:fs';
import { PROVINCES } from '../../../shared/src';
import { renderProvinceSchema } from '../../../subgraphs/province/src';
import { checkSubgraph } from '../checkSubgraph';
import { readCompositionManifest } from '../compositionManifest';

const committed = readFileSync(readCompositionManifest().supergraphFile, 'utf8');
const chongqingSdl = () => renderProvinceSchema(PROVINCES.chongqing, PROVINCES.sichuan);
/** Edits only inside `type ChongqingLab { … }`. */
const editLab = (edit: (block: string) => string) =>
  chongqingSdl().replace(/type ChongqingLab @key[^}]*\}/, (block) => edit(block));

describe('checkSubgraph', () => {
  it('passes the current SDL', () => {
    expect(checkSubgraph('chongqing', chongqingSdl(), committed)).toMatchObject({ kind: 'checked', breakingChanges: [] });
  });

  it('passes an additive change', () => {
    const result = checkSubgraph('chongqing', editLab((block) => block.replace('city: String!', 'city: String!\n  website: String')), committed);
    expect(result).toMatchObject({ kind: 'checked', breakingChanges: [] });
  });

  it.each([
    ['a removed field', (block: string) => block.replace(/\n\s*partnerInstitutions: \[String!\]!/, ''), /FIELD_REMOVED: ChongqingLab.partnerInstitutions/],
    ['a changed type', (block: string) => block.replace('city: String!', 'city: Int!'), /FIELD_CHANGED_KIND: ChongqingLab.city/],
  ])('reports %s as breaking', (_, edit, expected) => {
    const result = checkSubgraph('chongqing', editLab(edit), committed);
    if (result.kind !== 'checked') throw new Error(result.errors.join('\n'));
    expect(result.breakingChanges.join('\n')).toMatch(expected);
  });

  it('reports a new required argument as breaking', () => {
    const sdl = chongqingSdl().replace('labs(jointOnly: Boolean = false)', 'labs(jointOnly: Boolean = false, city: String!)');
    const result = checkSubgraph('chongqing', sdl, committed);
    if (result.kind !== 'checked') throw new Error(result.errors.join('\n'));
    expect(result.breakingChanges.join('\n')).toMatch(/REQUIRED_ARG_ADDED: A required arg city on ChongqingRegistry.labs was added/);
  });

  it('reports composition errors, e.g. a contract field the province stops serving', () => {
    const withoutBookable = chongqingSdl().replace(/\n\s*"Open for sharing and in service."\n\s*bookable: Boolean!/, '');
    const result = checkSubgraph('chongqing', withoutBookable, committed);
    expect(result.kind).toBe('composition-failed');
    if (result.kind === 'composition-failed') expect(result.errors.join('\n')).toMatch(/bookable/);
  });

  it('reports SDL that does not parse as a failed composition', () => {
    const result = checkSubgraph('chongqing', 'type Broken {', committed);
    expect(result.kind).toBe('composition-failed');
    if (result.kind === 'composition-failed') expect(result.errors[0]).toMatch(/invalid SDL: Syntax Error/);
  });
});
