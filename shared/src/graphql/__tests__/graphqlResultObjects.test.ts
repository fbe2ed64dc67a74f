import { buildSchema, graphql } from 'graphql';

/**
 * graphql-js as patched (patches/graphql+16.15.0.patch): results and arguments are built by constructors whose
 * prototype has no properties, rather than with Object.create(null), for V8's fast properties. The meaning must not
 * change: nothing inherited, and every name a client or schema can give is an own property.
 */
const schema = buildSchema(`
  type Item { name: String }
  type Query { item: Item later: Item echo(constructor: String, toString: String, valueOf: Int): [String!]! scribble: [String!]! }
  type Mutation { rename(name: String!): Item }
`);
const item = { name: 'cryo-EM' };
const rootValue = {
  item: () => item,
  later: async () => item,
  rename: async ({ name }: { name: string }) => ({ name }),
  // The arguments as the resolver received them, by their own names.
  echo: (args: Record<string, unknown>) => Object.keys(args).map((key) => `${key}=${String(args[key])}`),
  // A field without arguments that writes into the object it was given: what an earlier call wrote must not show.
  scribble: (args: Record<string, unknown>) => {
    const before = [...Object.keys(args), String(Object.getPrototypeOf(args) === Object.prototype)];
    args['written'] = true;
    return before;
  },
};

const INHERITED_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** Aliases named like what plain objects inherit, each one asking the item's name. */
const aliasesOf = (field: string) => INHERITED_NAMES.map((alias) => `${alias}: ${field} { name }`).join(' ');

/** The prototype chain inherits nothing: the object's prototype, if any, has no properties and no prototype. */
function inheritsNothing(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || (Object.getOwnPropertyNames(prototype).length === 0 && Object.getPrototypeOf(prototype) === null);
}

describe('graphql-js result and argument objects (patched)', () => {
  it.each([
    ['fields resolved at once', `{ ${aliasesOf('item')} }`],
    ['fields resolved later (promises)', `{ ${aliasesOf('later')} }`],
    ['mutations, one after the other', `mutation { ${INHERITED_NAMES.map((alias) => `${alias}: rename(name: "cryo-EM") { name }`).join(' ')} }`],
  ])('answers aliases named like inherited properties as the client named them: %s', async (_, source) => {
    const result = await graphql({ schema, source, rootValue });
    expect(result.errors).toBeUndefined();
    const data = result.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(INHERITED_NAMES);
    for (const alias of INHERITED_NAMES) expect(Object.getOwnPropertyDescriptor(data, alias)?.value).toEqual({ name: 'cryo-EM' });
    expect(JSON.parse(JSON.stringify(result))).toEqual({ data: Object.fromEntries(INHERITED_NAMES.map((alias) => [alias, { name: 'cryo-EM' }])) });
    expect(inheritsNothing(data)).toBe(true);
  });

  it('gives resolvers the arguments asked, as own properties of a plain object, whatever their names', async () => {
    const asked = await graphql({ schema, source: '{ a: echo(constructor: "c", toString: "t", valueOf: 1) b: echo(valueOf: 2) c: echo }', rootValue });
    expect(asked.errors).toBeUndefined();
    expect(asked.data).toEqual({ a: ['constructor=c', 'toString=t', 'valueOf=1'], b: ['valueOf=2'], c: [] });
  });

  it('gives a field without arguments a plain object of its own, every time', async () => {
    const asked = await graphql({ schema, source: '{ a: scribble b: scribble }', rootValue });
    expect(asked.errors).toBeUndefined();
    expect(asked.data).toEqual({ a: ['true'], b: ['true'] });
  });

  it('is the patched graphql-js: its objects have a prototype, one without properties (npm install applies the patch)', async () => {
    const result = await graphql({ schema, source: '{ item { name } }', rootValue });
    const data = result.data as Record<string, Record<string, unknown>>;
    for (const object of [data, data['item']!]) {
      expect(Object.getPrototypeOf(object)).not.toBeNull();
      expect(inheritsNothing(object)).toBe(true);
    }
  });
});
