import { readFileSync } from 'node:fs';
import { SUPERGRAPH_FILE } from '../supergraphFile';
import { subgraphsOfSupergraph, urlVariableOf } from '../subgraphsOfSupergraph';

describe('subgraphsOfSupergraph', () => {
  it('lists the subgraphs the committed supergraph joins, with the URLs composition wrote', () => {
    expect(subgraphsOfSupergraph(readFileSync(SUPERGRAPH_FILE, 'utf8'))).toEqual([
      { name: 'chongqing', url: 'http://localhost:4003/graphql' },
      { name: 'platform', url: 'http://localhost:4001/graphql' },
      { name: 'sichuan', url: 'http://localhost:4002/graphql' },
    ]);
  });

  it('finds none in text that is not a supergraph', () => {
    expect(subgraphsOfSupergraph('type Query { a: Int }')).toEqual([]);
  });
});

describe('urlVariableOf', () => {
  it('names the variable after the subgraph, upper-cased, other characters as underscores', () => {
    expect(urlVariableOf('sichuan')).toBe('SICHUAN_URL');
    expect(urlVariableOf('talent-cards')).toBe('TALENT_CARDS_URL');
  });
});
