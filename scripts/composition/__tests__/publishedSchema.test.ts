import { readFileSync } from 'node:fs';
import { buildSchema, isAbstractType } from 'graphql';
import { readCompositionManifest } from '../compositionManifest';
import { publishedSchemaOf } from '../publishedSchema';

const supergraphSdl = readFileSync(readCompositionManifest().supergraphFile, 'utf8');

describe('publishedSchemaOf', () => {
  const published = publishedSchemaOf(supergraphSdl);

  it('is the API schema: no federation machinery, no subgraph addresses, descriptions kept', () => {
    expect(published.sdl).not.toMatch(/join__|link__|@policy|@authenticated|localhost/);
    expect(published.sdl).toMatch(/"""Who acted: a person, or null for a partner client \(see actorName\)\."""/);
    expect(() => buildSchema(published.sdl)).not.toThrow();
  });

  it('maps every interface and union to exactly the object types that can stand for it', () => {
    const schema = buildSchema(published.sdl);
    const abstractTypes = Object.values(schema.getTypeMap()).filter((type) => isAbstractType(type) && !type.name.startsWith('__'));
    expect(Object.keys(published.possibleTypes).sort()).toEqual(abstractTypes.map((type) => type.name).sort());
    expect(published.possibleTypes['Instrument']).toEqual(['ChongqingInstrument', 'SichuanInstrument']);
  });
});
