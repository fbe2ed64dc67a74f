import { readFileSync } from 'node:fs';
import { PROVINCES } from '../../../shared/src';
import { renderProvinceSchema } from '../../../subgraphs/province/src';
import { checkSubgraph } from '../checkSubgraph';
import { describeCompositionError } from '../composeSupergraph';
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

  // One candidate with three breaking edits: composition is the slow part, and each must be reported on its own.
  it('reports each breaking change: a removed field, a changed type, a new required argument', () => {
    const sdl = editLab((block) => block.replace(/\n\s*partnerInstitutions: \[String!\]!/, '').replace('city: String!', 'city: Int!'))
      .replace('labs(jointOnly: Boolean = false)', 'labs(jointOnly: Boolean = false, city: String!)');
    const result = checkSubgraph('chongqing', sdl, committed);
    if (result.kind !== 'checked') throw new Error(result.errors.map(describeCompositionError).join('\n'));
    expect(result.breakingChanges).toHaveLength(3);
    const report = result.breakingChanges.map((change) => `${change.type}: ${change.description}`).join('\n');
    expect(report).toMatch(/FIELD_REMOVED: ChongqingLab.partnerInstitutions/);
    expect(report).toMatch(/FIELD_CHANGED_KIND: ChongqingLab.city/);
    expect(report).toMatch(/REQUIRED_ARG_ADDED: A required arg city on ChongqingRegistry.labs was added/);
  });

  it('reports composition errors, e.g. a contract field the province stops serving', () => {
    const withoutBookable = chongqingSdl().replace(/\n\s*"Open for sharing and in service."\n\s*bookable: Boolean!/, '');
    const result = checkSubgraph('chongqing', withoutBookable, committed);
    expect(result.kind).toBe('composition-failed');
    if (result.kind === 'composition-failed') expect(result.errors.map(describeCompositionError).join('\n')).toMatch(/bookable/);
  });

  it('reports SDL that does not parse as a failed composition', () => {
    const result = checkSubgraph('chongqing', 'type Broken {', committed);
    expect(result.kind).toBe('composition-failed');
    if (result.kind === 'composition-failed') expect(describeCompositionError(result.errors[0]!)).toMatch(/invalid SDL: Syntax Error/);
  });
});
