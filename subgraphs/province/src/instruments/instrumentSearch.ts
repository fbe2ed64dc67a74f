import { badUserInput, cursorCodec, decodeOwnGlobalId, isUuid, type ProvinceDefinition } from '../../../../shared/src';
import type { InstrumentCursor, InstrumentSearch } from './InstrumentRepository';
import type { InstrumentStatus } from '../domain/registryTypes';
import { classificationPrefixProblem } from './nationalClassification';

export interface InstrumentFilterInput {
  category?: string | null;
  keyword?: string | null;
  status?: InstrumentStatus | null;
  labId?: string | null;
  bookableOnly?: boolean | null;
  classificationCode?: string | null;
}

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
  if (filter.classificationCode != null) {
    const problem = classificationPrefixProblem(filter.classificationCode);
    if (problem) throw badUserInput(`filter.classificationCode ${problem}; got "${filter.classificationCode.slice(0, 10)}".`, { argument: 'filter.classificationCode' });
    search.classificationPrefix = filter.classificationCode;
  }
  return search;
}

/** Position in the (name, id) order instrument pages are cut from. */
export const instrumentCursor = cursorCodec<InstrumentCursor>(
  ({ name, id }) => [name, id],
  ([name, id, ...rest]) => (name !== undefined && id !== undefined && isUuid(id) && rest.length === 0 ? { name, id } : null),
);
