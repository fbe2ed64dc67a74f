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
 * no edge's cursor, and encoding every one cost each page as many encodings as rows. `nodeOf` shapes each row's node
 * (the cursor is still the row's), so that a page of another shape keeps its cursors lazy: mapping the edges afterwards
 * reads every cursor.
 */
export function toConnection<TRow, TNode = TRow>(
  rows: readonly TRow[],
  hasNextPage: boolean,
  cursorOf: (row: TRow) => string,
  nodeOf?: (row: TRow) => TNode,
): Connection<TNode> {
  const edges = rows.map((row) => ({
    node: nodeOf ? nodeOf(row) : (row as unknown as TNode),
    get cursor() {
      return cursorOf(row);
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
