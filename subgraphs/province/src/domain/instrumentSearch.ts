import { badUserInput, decodeOwnGlobalId, type ProvinceDefinition } from '../../../../shared/src';
import type { InstrumentCursor, InstrumentSearch } from '../repositories';
import type { InstrumentStatus } from './registryTypes';

export interface InstrumentFilterInput {
  category?: string | null;
  keyword?: string | null;
  status?: InstrumentStatus | null;
  labId?: string | null;
  bookableOnly?: boolean | null;
}

export const MAX_PAGE_SIZE = 100;
const MAX_KEYWORD_LENGTH = 100;

/** Turns the GraphQL filter into a repository search, refusing what cannot be meant. */
export function toInstrumentSearch(filter: InstrumentFilterInput | null | undefined, province: ProvinceDefinition): InstrumentSearch {
  if (!filter) return {};
  const search: { -readonly [K in keyof InstrumentSearch]: InstrumentSearch[K] } = {};
  if (filter.category != null) {
    if (!/^[A-Z][A-Z0-9_]{1,39}$/.test(filter.category)) {
      throw badUserInput(`filter.category must be a category code such as GENE_SEQUENCER (see "categories"); got "${filter.category.slice(0, 40)}".`, { argument: 'filter.category' });
    }
    search.category = filter.category;
  }
  if (filter.keyword != null) {
    const keyword = filter.keyword.trim().toLowerCase();
    if (keyword.length < 2 || keyword.length > MAX_KEYWORD_LENGTH) {
      throw badUserInput(`filter.keyword must be 2–${MAX_KEYWORD_LENGTH} characters.`, { argument: 'filter.keyword' });
    }
    search.keywords = keyword.split(/\s+/).slice(0, 5);
  }
  if (filter.status != null) search.status = filter.status;
  if (filter.labId != null) search.labId = decodeOwnGlobalId(filter.labId, 'lab', province).localId;
  if (filter.bookableOnly) search.bookableOnly = true;
  return search;
}

export function checkPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}; got ${first}.`, { argument: 'first' });
  }
  return first;
}

/** Cursors are opaque to clients: base64url of the (name, id) position. */
export function encodeCursor(cursor: InstrumentCursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString('base64url');
}

export function decodeCursor(after: string | null | undefined): InstrumentCursor | null {
  if (after == null) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[1])
    ) {
      return { name: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badUserInput('after must be a cursor returned by this list (pageInfo.endCursor or an edge cursor).', { argument: 'after' });
}
