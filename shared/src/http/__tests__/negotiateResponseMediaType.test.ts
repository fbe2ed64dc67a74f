import { negotiateResponseMediaType } from '../negotiateResponseMediaType';

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

describe('negotiateResponseMediaType', () => {
  it.each([
    [undefined, JSON_TYPE],
    ['', JSON_TYPE],
    ['*/*', JSON_TYPE],
    ['application/*', JSON_TYPE],
    [JSON_TYPE, JSON_TYPE],
    [GRAPHQL_RESPONSE, GRAPHQL_RESPONSE],
    // What Apollo Client and the specification recommend.
    [`${GRAPHQL_RESPONSE}, ${JSON_TYPE};q=0.9`, GRAPHQL_RESPONSE],
    [`${JSON_TYPE};q=0.5, ${GRAPHQL_RESPONSE}`, GRAPHQL_RESPONSE],
    // Equal q: the range listed first.
    [`${JSON_TYPE}, ${GRAPHQL_RESPONSE}`, JSON_TYPE],
    [`${GRAPHQL_RESPONSE}; charset=utf-8, ${JSON_TYPE}; charset=utf-8`, GRAPHQL_RESPONSE],
    // A specific range decides its type's q before a wildcard does.
    [`${JSON_TYPE};q=0, */*`, GRAPHQL_RESPONSE],
    [`${JSON_TYPE};q=0.5, */*`, GRAPHQL_RESPONSE],
    ['text/html, */*;q=0.8', JSON_TYPE],
  ])('answers Accept %j with %s', (accept, expected) => {
    expect(negotiateResponseMediaType(accept)).toBe(expected);
  });

  it.each(['image/png', 'text/*', `${JSON_TYPE};q=0, ${GRAPHQL_RESPONSE};q=0`, 'nonsense'])('finds neither acceptable in %j', (accept) => {
    expect(negotiateResponseMediaType(accept)).toBeNull();
  });
});
