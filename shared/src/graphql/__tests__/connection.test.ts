import { DomainError } from '../../errors/DomainError';

function expectBadUserInput(fn: () => unknown, argument: string): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).details).toMatchObject({ argument });
    return error as DomainError;
  }
  throw new Error('expected a BAD_USER_INPUT DomainError, but the call returned');
}
import { checkPageSize, MAX_PAGE_SIZE, toConnection } from '../connection';

describe('toConnection', () => {
  it('gives each row its cursor and ends at the last one', () => {
    expect(toConnection(['a', 'b'], true, (row) => `at-${row}`)).toEqual({
      edges: [{ cursor: 'at-a', node: 'a' }, { cursor: 'at-b', node: 'b' }],
      pageInfo: { hasNextPage: true, endCursor: 'at-b' },
    });
  });

  it('encodes a cursor only when it is read', () => {
    const encoded: string[] = [];
    const page = toConnection(['a', 'b', 'c'], false, (row) => {
      encoded.push(row);
      return `at-${row}`;
    });
    expect(encoded).toEqual([]);
    expect(page.pageInfo.endCursor).toBe('at-c');
    expect(page.edges[1]!.cursor).toBe('at-b');
    expect(encoded).toEqual(['c', 'b']);
  });

  it('shapes each node with nodeOf, and still encodes a cursor from its row only when it is read', () => {
    const encoded: number[] = [];
    const page = toConnection([1, 2, 3], true, (row) => {
      encoded.push(row);
      return `at-${row}`;
    }, (row) => ({ value: row * 10 }));
    expect(page.edges.map((edge) => edge.node)).toEqual([{ value: 10 }, { value: 20 }, { value: 30 }]);
    expect(encoded).toEqual([]);
    expect(page.edges[0]!.cursor).toBe('at-1');
    expect(page.pageInfo.endCursor).toBe('at-3');
    expect(encoded).toEqual([1, 3]);
  });

  it('has no end cursor for an empty page', () => {
    expect(toConnection([], false, String)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('checkPageSize', () => {
  it.each([[1], [50], [MAX_PAGE_SIZE]])('accepts %p', (first) => {
    expect(checkPageSize(first)).toBe(first);
  });

  it('allows at most 100', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
  });

  it.each([[0], [101], [1.5], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects %p', (first) => {
    const error = expectBadUserInput(() => checkPageSize(first), 'first');
    expect(error.message).toContain('between 1 and 100');
    expect(error.message).toContain(`got ${first}`);
  });
});
