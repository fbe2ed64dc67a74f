/** The two media types a GraphQL response is served as (GraphQL over HTTP). */
export const GRAPHQL_MEDIA_TYPES = ['application/json', 'application/graphql-response+json'] as const;
export type GraphQLMediaType = (typeof GRAPHQL_MEDIA_TYPES)[number];

/** One media range of an Accept header. */
interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  /** Its place in the header. */
  readonly order: number;
}

/** The ranges of an Accept header; a range it cannot read is left out. */
export function mediaRanges(accept: string): readonly MediaRange[] {
  return accept.split(',').flatMap((part, order) => {
    const [mediaType = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype, extra] = mediaType.split('/');
    if (!type || !subtype || extra !== undefined) return [];
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q, order }] : [];
  });
}

/**
 * Which GraphQL media type an Accept header prefers, by the rules Apollo Server
 * negotiates with (the `negotiator` package's): for each type the most specific
 * range that matches it gives its q; the higher q wins, then the more specific
 * range, then the range listed first, then `application/json`. No Accept header:
 * `application/json`, as Apollo Server answers. Null when neither is acceptable.
 * Answers the HTTP layer writes itself use it, so that they match Apollo's.
 */
export function negotiateResponseMediaType(accept: string | undefined): GraphQLMediaType | null {
  if (!accept) return 'application/json';
  const ranges = mediaRanges(accept);
  const ranked = GRAPHQL_MEDIA_TYPES.flatMap((mediaType, index) => {
    const [type, subtype] = mediaType.split('/');
    let best: { q: number; specificity: number; order: number } | undefined;
    for (const range of ranges) {
      if ((range.type !== type && range.type !== '*') || (range.subtype !== subtype && range.subtype !== '*')) continue;
      const specificity = (range.type === type ? 2 : 0) + (range.subtype === subtype ? 1 : 0);
      if (!best || specificity > best.specificity || (specificity === best.specificity && range.q > best.q)) best = { q: range.q, specificity, order: range.order };
    }
    return best && best.q > 0 ? [{ mediaType, index, ...best }] : [];
  });
  ranked.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.order - b.order || a.index - b.index);
  return ranked[0]?.mediaType ?? null;
}
