import { randomUUID } from 'node:crypto';
import { decodeGlobalId, decodeOwnGlobalId, encodeGlobalId, ENTITY_KINDS } from '../globalId';
import { PROVINCE_KEYS, PROVINCES } from '../../provinces';
import { DomainError } from '../../errors/DomainError';

const UUID = '0b8f9a3e-4c2d-4e1f-9a7b-123456789abc';
const EXAMPLE = 'sc:instrument:<uuid>';

/** Runs `fn`, expects it to throw, and returns the error for further checks. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

function expectBadUserInput(fn: () => unknown): DomainError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('BAD_USER_INPUT');
  return error as DomainError;
}

describe('encodeGlobalId', () => {
  it.each(PROVINCE_KEYS.map((key) => [key]))('prefixes the id with the %s id prefix and the kind', (key) => {
    const province = PROVINCES[key];
    expect(encodeGlobalId(province, 'lab', UUID)).toBe(`${province.idPrefix}:lab:${UUID}`);
  });
});

describe('decodeGlobalId', () => {
  describe.each(PROVINCE_KEYS.map((key) => [key]))('round trip for %s', (key) => {
    const province = PROVINCES[key];
    it.each(ENTITY_KINDS.map((kind) => [kind]))('decodes an encoded %s id back to its parts', (kind) => {
      const localId = randomUUID();
      const decoded = decodeGlobalId(encodeGlobalId(province, kind, localId));
      expect(decoded.province).toBe(province);
      expect(decoded.province.key).toBe(key);
      expect(decoded.kind).toBe(kind);
      expect(decoded.localId).toBe(localId);
    });
  });

  it('accepts the expected kind and lower-cases the UUID', () => {
    const decoded = decodeGlobalId(`cq:booking:${UUID.toUpperCase()}`, 'booking');
    expect(decoded.province).toBe(PROVINCES.chongqing);
    expect(decoded.kind).toBe('booking');
    expect(decoded.localId).toBe(UUID);
  });

  it.each([
    ['wrong prefix', `bj:instrument:${UUID}`],
    ['upper-case prefix', `SC:instrument:${UUID}`],
    ['empty string', ''],
    ['prefix only', 'sc'],
    ['missing local part', 'sc:instrument'],
    ['empty local part', 'sc:instrument:'],
    ['empty kind', `sc::${UUID}`],
    ['extra colons', `sc:instrument:${UUID}:extra`],
    ['trailing colon', `sc:instrument:${UUID}:`],
  ])('rejects an id with %s, quoting the id and giving an example', (_label, id) => {
    const error = expectBadUserInput(() => decodeGlobalId(id));
    expect(error.message).toContain(`"${id}"`);
    expect(error.message).toContain(EXAMPLE);
    expect(error.message).toContain('<province>:<kind>:<uuid>');
    expect(error.details).toEqual({ id });
  });

  it('uses the expected kind in the example of a malformed id', () => {
    const error = expectBadUserInput(() => decodeGlobalId('nonsense', 'lab'));
    expect(error.message).toContain('"sc:lab:<uuid>"');
  });

  it('rejects an unknown kind, listing the known kinds', () => {
    const id = `sc:robot:${UUID}`;
    const error = expectBadUserInput(() => decodeGlobalId(id));
    expect(error.message).toContain('unknown kind "robot"');
    for (const kind of ENTITY_KINDS) expect(error.message).toContain(kind);
  });

  it('rejects a local part that is not a UUID, naming the part that must be one', () => {
    const id = 'sc:instrument:12345';
    const error = expectBadUserInput(() => decodeGlobalId(id));
    expect(error.message).toContain(`"${id}"`);
    expect(error.message).toContain('"sc:instrument:"');
    expect(error.message).toContain('UUID');
  });

  it('rejects a UUID-like local part with a non-hex character', () => {
    expectBadUserInput(() => decodeGlobalId(`cq:lab:${UUID.replace('a', 'g')}`));
  });

  it('rejects an over-long id without echoing all of it', () => {
    const id = `sc:instrument:${UUID}${'x'.repeat(100)}`;
    const error = expectBadUserInput(() => decodeGlobalId(id));
    expect(error.message).toContain('too long');
    expect(error.message).not.toContain(id);
    expect(String(error.details.id).length).toBeLessThanOrEqual(40);
  });

  it('applies the length limit before parsing (101 characters)', () => {
    const id = `sc:instrument:${'a'.repeat(101 - 'sc:instrument:'.length)}`;
    expect(id).toHaveLength(101);
    const error = expectBadUserInput(() => decodeGlobalId(id));
    expect(error.message).toContain('too long');
  });

  // Every refusal shows what a valid id looks like.
  it('gives an example of a valid id for an unknown kind', () => {
    const error = expectBadUserInput(() => decodeGlobalId(`sc:robot:${UUID}`));
    expect(error.message).toContain(EXAMPLE);
  });

  it('gives an example of a valid id when the local part is not a UUID', () => {
    const error = expectBadUserInput(() => decodeGlobalId('sc:instrument:12345'));
    expect(error.message).toContain(EXAMPLE);
  });

  it('gives an example of a valid id when the id is too long', () => {
    const error = expectBadUserInput(() => decodeGlobalId(`sc:instrument:${'x'.repeat(200)}`));
    expect(error.message).toContain(EXAMPLE);
  });

  it('rejects an id of another kind, saying which kind it is and which is expected', () => {
    const id = `sc:lab:${UUID}`;
    const error = expectBadUserInput(() => decodeGlobalId(id, 'instrument'));
    expect(error.message).toContain(`"${id}" is a lab id`);
    expect(error.message).toContain('an instrument id is expected');
    expect(error.message).toContain('"sc:instrument:<uuid>"');
  });

  it('uses "an" before a kind that starts with a vowel and "a" otherwise', () => {
    const error = expectBadUserInput(() => decodeGlobalId(`cq:instrument:${UUID}`, 'talentcard'));
    expect(error.message).toContain('is an instrument id');
    expect(error.message).toContain('a talentcard id is expected');
  });
});

describe('decodeOwnGlobalId', () => {
  it("decodes the owner's own id", () => {
    const decoded = decodeOwnGlobalId(`sc:instrument:${UUID}`, 'instrument', PROVINCES.sichuan);
    expect(decoded.province).toBe(PROVINCES.sichuan);
    expect(decoded.localId).toBe(UUID);
  });

  it.each(PROVINCE_KEYS.map((key) => [key]))("refuses the partner's id when asked under %s, naming the owner", (key) => {
    const asked = PROVINCES[key];
    const owner = PROVINCES[asked.partner];
    const id = encodeGlobalId(owner, 'lab', UUID);
    const error = expectBadUserInput(() => decodeOwnGlobalId(id, 'lab', asked));
    expect(error.message).toContain(`belongs to ${owner.nameEn}, not ${asked.nameEn}`);
    expect(error.message).toContain(`under "${owner.key}"`);
    expect(error.message).toContain('lab(id:)');
    expect(error.details).toEqual({ id, owner: owner.code });
  });

  it('points talent cards to the talentCard(id:) lookup', () => {
    const error = expectBadUserInput(() => decodeOwnGlobalId(`cq:talentcard:${UUID}`, 'talentcard', PROVINCES.sichuan));
    expect(error.message).toContain('talentCard(id:)');
  });

  it('checks the kind before the owner', () => {
    const error = expectBadUserInput(() => decodeOwnGlobalId(`cq:lab:${UUID}`, 'instrument', PROVINCES.sichuan));
    expect(error.message).toContain('is a lab id');
    expect(error.message).not.toContain('belongs to');
  });
});
