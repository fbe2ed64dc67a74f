import { DomainError } from '../../errors/DomainError';
import { cursorCodec } from '../cursorCodec';

/** A list whose position is a name and a number. */
const codec = cursorCodec<{ name: string; rank: number }>(
  ({ name, rank }) => [name, String(rank)],
  ([name, rank, ...rest]) => (name !== undefined && rank !== undefined && /^\d+$/.test(rank) && rest.length === 0 ? { name, rank: Number(rank) } : null),
);
const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** What `decode` throws, or null when it reads the cursor. */
function decodeError(after: string): unknown {
  try {
    codec.decode(after);
    return null;
  } catch (error) {
    return error;
  }
}

describe('cursorCodec', () => {
  it('reads back the position it wrote', () => {
    const position = { name: 'Cryo-EM "Titan" / 冷冻电镜', rank: 7 };
    expect(codec.decode(codec.encode(position))).toEqual(position);
  });

  it('writes an opaque, URL-safe cursor', () => {
    const cursor = codec.encode({ name: 'Titan', rank: 1 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('Titan');
  });

  it('reads no cursor as the first page', () => {
    expect(codec.decode(null)).toBeNull();
    expect(codec.decode(undefined)).toBeNull();
  });

  it.each([
    ['text that is no cursor', '!!!not a cursor!!!'],
    ['base64 of text that is no JSON', base64url('audit:1')],
    ['a JSON object', base64url('{"name":"a","rank":"1"}')],
    ['an array holding a number', base64url('["a", 1]')],
    ['parts the list refuses', base64url('["a", "one"]')],
    ['too many parts', base64url('["a", "1", "2"]')],
  ])('refuses %s as BAD_USER_INPUT naming the argument', (_, after) => {
    const error = decodeError(after);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'after' }, message: expect.stringContaining('endCursor') });
  });
});
