import { randomUUID } from 'node:crypto';
import { instrumentCursor, toInstrumentSearch } from '../instrumentSearch';
import { DomainError, PROVINCES } from '../../../../../shared/src';

function expectBadUserInput(fn: () => unknown, argument?: string): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    if (argument) expect((error as DomainError).details).toMatchObject({ argument });
    return error as DomainError;
  }
  throw new Error('expected a BAD_USER_INPUT DomainError, but the call returned');
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const UUID = '0b8f9a3e-4c2d-4e1f-9a7b-123456789abc';

describe('instrumentCursor.encode', () => {
  it('produces an opaque base64url string', () => {
    const cursor = instrumentCursor.encode({ name: 'Cryo-EM "Titan" / 冷冻电镜', id: UUID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('Titan');
  });
});

describe('instrumentCursor.decode', () => {
  it.each([['Gene sequencer'], ['Cryo-EM "Titan" / 冷冻电镜'], ['']])('round-trips the position (name %j)', (name) => {
    const position = { name, id: randomUUID() };
    expect(instrumentCursor.decode(instrumentCursor.encode(position))).toEqual(position);
  });

  it('returns null when there is no cursor', () => {
    expect(instrumentCursor.decode(null)).toBeNull();
    expect(instrumentCursor.decode(undefined)).toBeNull();
  });

  it.each([
    ['garbage', '!!!not a cursor!!!'],
    ['an empty string', ''],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['an object', b64url({ name: 'x', id: UUID })],
    ['a one-element array', b64url(['x'])],
    ['a three-element array', b64url(['x', UUID, 'y'])],
    ['a non-string name', b64url([1, UUID])],
    ['an id that is not a UUID', b64url(['x', 'not-a-uuid'])],
    ['an id with SQL in it', b64url(['x', "' OR 1=1 --"])],
  ])('rejects %s with BAD_USER_INPUT on "after"', (_label, after) => {
    const error = expectBadUserInput(() => instrumentCursor.decode(after), 'after');
    expect(error.message).toContain('endCursor');
  });
});

describe('toInstrumentSearch', () => {
  const sichuan = PROVINCES.sichuan;

  it('returns an empty search for no filter', () => {
    expect(toInstrumentSearch(null, sichuan)).toEqual({});
    expect(toInstrumentSearch(undefined, sichuan)).toEqual({});
    expect(toInstrumentSearch({}, sichuan)).toEqual({});
  });

  it('lower-cases, trims and splits the keyword into words', () => {
    expect(toInstrumentSearch({ keyword: '  Gene   SEQUENCER\tIllumina ' }, sichuan)).toEqual({ keywords: ['gene', 'sequencer', 'illumina'] });
  });

  it('keeps at most five keywords', () => {
    expect(toInstrumentSearch({ keyword: 'a1 b2 c3 d4 e5 f6 g7' }, sichuan).keywords).toEqual(['a1', 'b2', 'c3', 'd4', 'e5']);
  });

  it.each([['x'], ['  x  '], ['']])('rejects the too-short keyword %j', (keyword) => {
    const error = expectBadUserInput(() => toInstrumentSearch({ keyword }, sichuan), 'filter.keyword');
    expect(error.message).toContain('2–100');
  });

  it('accepts a keyword of 100 characters and rejects 101', () => {
    expect(toInstrumentSearch({ keyword: 'k'.repeat(100) }, sichuan).keywords).toEqual(['k'.repeat(100)]);
    expectBadUserInput(() => toInstrumentSearch({ keyword: 'k'.repeat(101) }, sichuan), 'filter.keyword');
  });

  it('passes a category code through', () => {
    expect(toInstrumentSearch({ category: 'GENE_SEQUENCER' }, sichuan)).toEqual({ category: 'GENE_SEQUENCER' });
  });

  it.each([['gene_sequencer'], ['G'], ['GENE SEQUENCER'], ['1GENE'], ['X'.repeat(41)], ["GENE'; DROP TABLE"]])(
    'rejects the category %j, quoting it',
    (category) => {
      const error = expectBadUserInput(() => toInstrumentSearch({ category }, sichuan), 'filter.category');
      expect(error.message).toContain('GENE_SEQUENCER');
      expect(error.message).toContain(category.slice(0, 40));
    },
  );

  it("turns the province's own lab id into its local id", () => {
    expect(toInstrumentSearch({ labId: `sc:lab:${UUID}` }, sichuan)).toEqual({ labId: UUID });
    expect(toInstrumentSearch({ labId: `cq:lab:${UUID}` }, PROVINCES.chongqing)).toEqual({ labId: UUID });
  });

  it("rejects a lab id of the partner province, naming the owner", () => {
    const error = expectBadUserInput(() => toInstrumentSearch({ labId: `cq:lab:${UUID}` }, sichuan));
    expect(error.message).toContain('belongs to Chongqing');
  });

  it('rejects an id of another kind as labId', () => {
    expectBadUserInput(() => toInstrumentSearch({ labId: `sc:instrument:${UUID}` }, sichuan));
  });

  it('sets bookableOnly only when it is true', () => {
    expect(toInstrumentSearch({ bookableOnly: true }, sichuan)).toEqual({ bookableOnly: true });
    expect(toInstrumentSearch({ bookableOnly: false }, sichuan)).toEqual({});
    expect(toInstrumentSearch({ bookableOnly: null }, sichuan)).toEqual({});
  });

  it('ignores null fields and passes status through', () => {
    expect(toInstrumentSearch({ category: null, keyword: null, labId: null, status: 'MAINTENANCE' }, sichuan)).toEqual({ status: 'MAINTENANCE' });
  });

  it('combines all fields', () => {
    expect(
      toInstrumentSearch({ category: 'MASS_SPEC', keyword: 'Orbitrap', status: 'IN_SERVICE', labId: `sc:lab:${UUID}`, bookableOnly: true }, sichuan),
    ).toEqual({ category: 'MASS_SPEC', keywords: ['orbitrap'], status: 'IN_SERVICE', labId: UUID, bookableOnly: true });
  });
});
