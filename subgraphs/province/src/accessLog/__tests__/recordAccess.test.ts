import { buildSchema, execute, parse, type GraphQLSchema } from 'graphql';
import { PROVINCES } from '../../../../../shared/src';
import { AccessRecorder } from '../AccessRecorder';
import { recordAccess } from '../recordAccess';

/** A catalogue shaped like a province's: instruments behind an interface, each with its lab, and a partner's type. */
const TYPE_DEFS = `
  interface Instrument { id: ID! name: String! }
  type SichuanInstrument implements Instrument { id: ID! name: String! model: String lab: SichuanLab }
  type ChongqingInstrument implements Instrument { id: ID! name: String! }
  type SichuanLab { id: ID! name: String! instruments: [Instrument!]! }
  type Query { instruments: [SichuanInstrument!]! anyInstruments: [Instrument!]! lab: SichuanLab }
`;

function catalogueSchema(): GraphQLSchema {
  const lab = { id: 'l1', name: 'Lab' };
  const instruments = [1, 2, 3].map((n) => ({ id: `i${n}`, name: `Instrument ${n}`, model: 'M', lab }));
  const partner = { __typename: 'ChongqingInstrument', id: 'c1', name: 'Partner' };
  const schema = buildSchema(TYPE_DEFS);
  const query = schema.getQueryType()!.getFields();
  query['instruments']!.resolve = () => instruments;
  query['anyInstruments']!.resolve = () => [...instruments, partner];
  query['lab']!.resolve = () => ({ ...lab, instruments: [instruments[0], partner] });
  const instrument = schema.getType('Instrument') as unknown as { resolveType: (value: { __typename?: string }) => string };
  instrument.resolveType = (value) => value.__typename ?? 'SichuanInstrument';
  return recordAccess(schema, PROVINCES.sichuan);
}

const schema = catalogueSchema();

/** The catalogue records one request reads, as the access log counts them. */
async function countedReads(query: string, variableValues?: Record<string, unknown>): Promise<number> {
  const accessLog = new AccessRecorder(null, 'request-1');
  const result = await execute({ schema, document: parse(query), contextValue: { accessLog }, variableValues });
  expect(result.errors).toBeUndefined();
  return accessLog.catalogueReads;
}

describe('recordAccess: public catalogue reads', () => {
  it('counts each instrument and lab once, however many of its fields are asked', async () => {
    expect(await countedReads('{ instruments { id name model } }')).toBe(3);
    // The lab every instrument shares is one record.
    expect(await countedReads('{ instruments { id lab { name } } }')).toBe(4);
    expect(await countedReads('{ a: instruments { id } b: instruments { name } }')).toBe(3);
  });

  it('does not count an object asked only for its __typename', async () => {
    expect(await countedReads('{ instruments { __typename } }')).toBe(0);
    // Each instrument is asked for its lab (a read of the instrument); the lab only for its __typename.
    expect(await countedReads('{ instruments { __typename lab { __typename } } }')).toBe(3);
    expect(await countedReads('{ instruments { __typename lab { id } } }')).toBe(4);
  });

  it('reads the selection as graphql-js does: fragments, type conditions, @skip and @include', async () => {
    expect(await countedReads('{ anyInstruments { __typename ... on ChongqingInstrument { name } } }')).toBe(0);
    expect(await countedReads('{ anyInstruments { __typename ... on SichuanInstrument { model } } }')).toBe(3);
    expect(await countedReads('{ anyInstruments { ...card } } fragment card on Instrument { name }')).toBe(3);
    expect(await countedReads('query ($skip: Boolean!) { instruments { __typename name @skip(if: $skip) } }', { skip: true })).toBe(0);
    expect(await countedReads('query ($skip: Boolean!) { instruments { __typename name @skip(if: $skip) } }', { skip: false })).toBe(3);
    // The lab and its own instrument; the partner's instrument is asked nothing.
    expect(await countedReads('{ lab { instruments { ... on SichuanInstrument { name } } } }')).toBe(2);
    expect(await countedReads('{ lab { instruments { __typename ... on ChongqingInstrument { name } } } }')).toBe(1);
  });
});
