import { badUserInput } from '../errors/DomainError';

/** The most rows one page of any list may ask for (`first`). */
export const MAX_PAGE_SIZE = 100;

export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, { argument: 'first' });
  }
  return first;
}

/** A Relay-style page: each row with its cursor, and where the next page starts. */
export interface Connection<TNode> {
  readonly edges: { cursor: string; node: TNode }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * The page's connection. Cursors are encoded only when read (getters): most pages select `pageInfo.endCursor` and
 * no edge's cursor, and encoding every one cost each page as many encodings as rows.
 */
export function toConnection<TNode>(rows: readonly TNode[], hasNextPage: boolean, cursorOf: (row: TNode) => string): Connection<TNode> {
  const edges = rows.map((node) => ({
    node,
    get cursor() {
      return cursorOf(node);
    },
  }));
  const last = rows.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage,
      get endCursor() {
        return last === undefined ? null : cursorOf(last);
      },
    },
  };
}
