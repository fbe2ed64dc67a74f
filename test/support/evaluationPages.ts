import type { ProvinceKey } from '../../shared/src';
import { gateway } from './system';

/**
 * Every instrument row of a province's evaluation, walked page by page through the gateway with the cursors it
 * hands out (`selection` is the node's fields), and the number of pages it took.
 */
export async function evaluationInstruments<T = Record<string, any>>(
  province: ProvinceKey, period: { from: string; to: string }, selection: string, { token, first = 100 }: { token?: string; first?: number } = {},
): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages += 1) {
    const { body } = await gateway(
      `query($from: DateTime!, $to: DateTime!, $first: Int!, $after: String) { ${province} { evaluation(from: $from, to: $to) {
        instruments(first: $first, after: $after) { edges { cursor node { ${selection} } } pageInfo { hasNextPage endCursor } } } } }`,
      { token, variables: { ...period, first, after } },
    );
    if (body.errors) throw new Error(`page ${pages}: ${JSON.stringify(body.errors)}`);
    const { edges, pageInfo } = body.data[province].evaluation.instruments as { edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    rows.push(...edges.map((edge) => edge.node));
    if (edges.length > 0 && pageInfo.endCursor !== edges.at(-1)!.cursor) throw new Error('endCursor is not the last edge’s cursor');
    if (!pageInfo.hasNextPage) return { rows, pages };
    after = pageInfo.endCursor;
  }
}
