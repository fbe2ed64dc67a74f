import { usagesIn } from '../subgraphUsages';

/** A subgraph that uses another's `Card` and `Lab` in each way federation allows. */
const SDL = `
type Card @key(fields: "id") {
  id: ID!
  tier: String! @external
  status: String! @external
  "What the holder may use here."
  perks: [String!]! @requires(fields: "tier status")
}
type Lab @key(fields: "id", resolvable: false) { id: ID! }
type Query {
  "The lab of the week."
  featured: Lab @provides(fields: "id")
  labs: [Lab!]!
}
`;
const subgraph = { name: 'sichuan', sdl: SDL };

describe('usagesIn', () => {
  it('reads @requires field sets, with the requiring field\'s description as the reason', () => {
    expect(usagesIn(subgraph, { type: 'Card', field: 'status' }, 'Sichuan')).toEqual([
      'Sichuan\'s `perks` requires `Card.status`: "What the holder may use here"',
    ]);
  });

  it('reads @key and @provides field sets', () => {
    expect(usagesIn(subgraph, { type: 'Lab', field: 'id' }, 'Sichuan')).toEqual([
      'Sichuan refers to `Lab` by its key `id`',
      'Sichuan\'s `Query.featured` provides `Lab.id`',
    ]);
  });

  it('lists the fields that return a type', () => {
    expect(usagesIn(subgraph, { type: 'Lab' }, 'Sichuan')).toEqual([
      'Sichuan refers to `Lab` by its key `id`',
      'Sichuan\'s `Query.featured` returns `Lab`: "The lab of the week"',
      'Sichuan\'s `Query.labs` returns `Lab`',
    ]);
  });

  it('finds nothing for a field it does not use, and nothing in SDL that does not parse', () => {
    expect(usagesIn(subgraph, { type: 'Card', field: 'holderName' }, 'Sichuan')).toEqual([]);
    expect(usagesIn({ name: 'broken', sdl: 'type {' }, { type: 'Card', field: 'tier' }, 'Broken')).toEqual([]);
  });
});
