import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse, type GraphQLError } from 'graphql';
import type { Viewer } from '../../auth/claims';
import { DomainError } from '../../errors/DomainError';
import { enforceAuthorizationDirectives, type Policy } from '../enforceAuthorizationDirectives';

type Context = { viewer: Viewer | null; ownProvince: 'sichuan' };

const schema = enforceAuthorizationDirectives<Context>(
  buildSubgraphSchema([{
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])
      directive @delegable(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
      type Query {
        open: String
        signedIn: String @authenticated
        myCard: Card @authenticated @delegable(scopes: [["person:read"]])
        myCardNumber: String @authenticated @delegable(scopes: [["person:read"]])
        myBooking: Booking @authenticated
        book: String @requiresScopes(scopes: [["booking:write"]])
        spend: String @authenticated @delegable(scopes: [["voucher:spend", "person:read"]])
        verify: String @requiresScopes(scopes: [["card:verify"], ["identity:admin", "catalog:read"]])
        adminOnly: String @policy(policies: [["province_admin"]])
        card: Card
      }
      type Card @authenticated {
        number: String
        secret: String @policy(policies: [["province_admin"]])
      }
      type Booking @authenticated @delegable(scopes: [["booking:write"], ["person:read"]]) {
        id: String
        charge: String @delegable(scopes: [["person:read"]])
      }
    `),
    resolvers: {
      Query: {
        myCard: () => ({ number: 'TF-1', secret: 's' }), myCardNumber: () => 'TF-1', myBooking: () => ({ id: 'b', charge: 'c' }), book: () => 'booked', spend: () => 'spent',
        open: () => 'open', signedIn: () => 'in', verify: () => 'verified', adminOnly: () => 'admin', card: () => ({ number: 'TF-1', secret: 's' }) },
    },
  }]),
  {
    province_admin: {
      describe: () => 'a Sichuan admin',
      allows: ({ viewer, ownProvince }) => !!viewer?.roles.includes('province_admin') && viewer.province === ownProvince,
    } satisfies Policy<Context>,
  },
);

const viewer = (overrides: Partial<Viewer>): Viewer => ({
  subject: 'u', kind: 'user', province: 'sichuan', roles: ['researcher'], scopes: [], displayName: null, institution: null, affiliation: null, quota: null, delegation: null, ...overrides,
});
const people = {
  anonymous: null,
  researcher: viewer({}),
  sichuanAdmin: viewer({ roles: ['province_admin'] }),
  chongqingAdmin: viewer({ roles: ['province_admin'], province: 'chongqing' }),
  partnerWithScope: viewer({ kind: 'client', roles: ['partner'], province: null, scopes: ['card:verify'] }),
  partnerWithout: viewer({ kind: 'client', roles: ['partner'], province: null, scopes: ['catalog:read'] }),
};

async function outcome(field: string, who: Viewer | null): Promise<string> {
  const result = await graphql({ schema, source: `{ ${field} }`, contextValue: { viewer: who, ownProvince: 'sichuan' } });
  const error = result.errors?.[0]?.originalError;
  if (error instanceof DomainError) return error.code;
  if (result.errors) throw result.errors[0];
  return 'ok';
}

describe('enforceAuthorizationDirectives', () => {
  it.each([
    ['open', { anonymous: 'ok', researcher: 'ok', sichuanAdmin: 'ok', chongqingAdmin: 'ok', partnerWithScope: 'ok', partnerWithout: 'ok' }],
    ['signedIn', { anonymous: 'UNAUTHENTICATED', researcher: 'ok', sichuanAdmin: 'ok', chongqingAdmin: 'ok', partnerWithScope: 'ok', partnerWithout: 'ok' }],
    // Researchers hold no card:verify: service providers check cards, as clients, and admins do.
    ['verify', { anonymous: 'UNAUTHENTICATED', researcher: 'FORBIDDEN', sichuanAdmin: 'ok', chongqingAdmin: 'ok', partnerWithScope: 'ok', partnerWithout: 'FORBIDDEN' }],
    ['adminOnly', { anonymous: 'UNAUTHENTICATED', researcher: 'FORBIDDEN', sichuanAdmin: 'ok', chongqingAdmin: 'FORBIDDEN', partnerWithScope: 'FORBIDDEN', partnerWithout: 'FORBIDDEN' }],
    ['card { number }', { anonymous: 'UNAUTHENTICATED', researcher: 'ok', sichuanAdmin: 'ok', chongqingAdmin: 'ok', partnerWithScope: 'ok', partnerWithout: 'ok' }],
    ['card { secret }', { anonymous: 'UNAUTHENTICATED', researcher: 'FORBIDDEN', sichuanAdmin: 'ok', chongqingAdmin: 'FORBIDDEN', partnerWithScope: 'FORBIDDEN', partnerWithout: 'FORBIDDEN' }],
  ])('enforces the rules on %s for every kind of caller', async (field, expected) => {
    const actual: Record<string, string> = {};
    for (const [name, who] of Object.entries(people)) actual[name] = await outcome(field, who);
    expect(actual).toEqual(expected);
  });

  it('says who may, in the error message', async () => {
    const result = await graphql({ schema, source: '{ adminOnly }', contextValue: { viewer: people.chongqingAdmin, ownProvince: 'sichuan' } });
    expect(result.errors?.[0]?.message).toBe('Only a Sichuan admin may use Query.adminOnly.');
  });

  it('refuses to start when the SDL names a policy the subgraph does not define', () => {
    const sdl = parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@policy"])
      type Query { x: String @policy(policies: [["nobody_defined_this"]]) }`);
    expect(() => enforceAuthorizationDirectives(buildSubgraphSchema([{ typeDefs: sdl }]), {})).toThrow(/nobody_defined_this/);
  });

  describe('a token a partner client holds for a person', () => {
    const delegated = (scopes: string[]) => viewer({ scopes, delegation: { clientId: 'portal', consentId: 'consent-1' } });
    const acting = {
      bookingOnly: delegated(['booking:write']),
      personRead: delegated(['person:read']),
      spender: delegated(['voucher:spend', 'person:read']),
      // The same person signed in themselves: scopes from the researcher role, no delegation.
      themselves: viewer({}),
    };
    /** What the server's error formatter puts in `extensions` beside the code. */
    const detailsOf = (error: GraphQLError | undefined) => (error?.originalError as DomainError | undefined)?.details ?? {};
    const run = async (field: string, who: Viewer) => {
      const result = await graphql({ schema, source: `{ ${field} }`, contextValue: { viewer: who, ownProvince: 'sichuan' } });
      return result.errors?.[0];
    };
    const outcomes = async (field: string) => {
      const found: Record<string, string> = {};
      for (const [name, who] of Object.entries(acting)) {
        const error = await run(field, who);
        found[name] = error ? `${(error.originalError as DomainError).code} ${String(detailsOf(error)['reason'] ?? '')}`.trim() : 'ok';
      }
      return found;
    };

    it.each([
      // @authenticated alone is the person's own session's: refused whatever the token carries.
      ['signedIn', { bookingOnly: 'FORBIDDEN NOT_OWN_SESSION', personRead: 'FORBIDDEN NOT_OWN_SESSION', spender: 'FORBIDDEN NOT_OWN_SESSION', themselves: 'ok' }],
      ['card { number }', { bookingOnly: 'FORBIDDEN NOT_OWN_SESSION', personRead: 'FORBIDDEN NOT_OWN_SESSION', spender: 'FORBIDDEN NOT_OWN_SESSION', themselves: 'ok' }],
      // @policy is never the client's, even where the person would pass it.
      ['adminOnly', { bookingOnly: 'FORBIDDEN NOT_OWN_SESSION', personRead: 'FORBIDDEN NOT_OWN_SESSION', spender: 'FORBIDDEN NOT_OWN_SESSION', themselves: 'FORBIDDEN' }],
      // @delegable names the scope the consent must carry; the person themselves needs none of it.
      ['myCardNumber', { bookingOnly: 'FORBIDDEN CONSENT_SCOPE_MISSING', personRead: 'ok', spender: 'ok', themselves: 'ok' }],
      // ... yet the fields of a type guarded by @authenticated alone stay closed: each field is checked on its own.
      ['myCard { number }', { bookingOnly: 'FORBIDDEN CONSENT_SCOPE_MISSING', personRead: 'FORBIDDEN NOT_OWN_SESSION', spender: 'FORBIDDEN NOT_OWN_SESSION', themselves: 'ok' }],
      ['spend', { bookingOnly: 'FORBIDDEN CONSENT_SCOPE_MISSING', personRead: 'FORBIDDEN CONSENT_SCOPE_MISSING', spender: 'ok', themselves: 'ok' }],
      // A type's @delegable and a field's both hold: a booking consent reads the booking, not its charge.
      ['myBooking { id }', { bookingOnly: 'FORBIDDEN NOT_OWN_SESSION', personRead: 'FORBIDDEN NOT_OWN_SESSION', spender: 'FORBIDDEN NOT_OWN_SESSION', themselves: 'ok' }],
      // @requiresScopes is checked against the token's own scopes, never the person's whole role.
      ['book', { bookingOnly: 'ok', personRead: 'FORBIDDEN CONSENT_SCOPE_MISSING', spender: 'FORBIDDEN CONSENT_SCOPE_MISSING', themselves: 'ok' }],
    ])('%s', async (field, expected) => {
      expect(await outcomes(field)).toEqual(expected);
    });

    it('reads a type guarded by @delegable with any of its scope lists, and a field of it with its own too', async () => {
      const bookingSchema = enforceAuthorizationDirectives<Context>(
        buildSubgraphSchema([{
          typeDefs: parse(`
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@authenticated"])
            directive @delegable(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
            type Query { myBooking: Booking @authenticated @delegable(scopes: [["booking:write"], ["person:read"]]) }
            type Booking @authenticated @delegable(scopes: [["booking:write"], ["person:read"]]) {
              id: String
              charge: String @delegable(scopes: [["person:read"]])
            }`),
          resolvers: { Query: { myBooking: () => ({ id: 'b', charge: 'c' }) } },
        }]),
        {},
      );
      const ask = (field: string, who: Viewer) => graphql({ schema: bookingSchema, source: `{ myBooking { ${field} } }`, contextValue: { viewer: who, ownProvince: 'sichuan' } });
      expect((await ask('id', acting.bookingOnly)).data).toEqual({ myBooking: { id: 'b' } });
      expect((await ask('id', acting.personRead)).data).toEqual({ myBooking: { id: 'b' } });
      const charge = await ask('charge', acting.bookingOnly);
      expect(detailsOf(charge.errors?.[0])).toMatchObject({ reason: 'CONSENT_SCOPE_MISSING', missingScopes: ['person:read'] });
      expect((await ask('charge', acting.personRead)).data).toEqual({ myBooking: { charge: 'c' } });
      expect((await ask('charge', acting.themselves)).data).toEqual({ myBooking: { charge: 'c' } });
    });

    it('names the missing scopes and the consent to ask for', async () => {
      const error = await run('spend', acting.personRead);
      expect(detailsOf(error)).toMatchObject({ reason: 'CONSENT_SCOPE_MISSING', missingScopes: ['voucher:spend'] });
      expect(error?.message).toBe(
        'Query.spend needs the person\'s consent for voucher:spend + person:read, which this token does not carry. Partner client portal asks the person to approve it for '
        + 'voucher:spend (approvePartnerClient; consent consent-1 does not name it), and the owner of the data to grant it that scope.',
      );
      const scoped = await run('book', acting.personRead);
      expect(detailsOf(scoped)).toMatchObject({ missingScopes: ['booking:write'] });
      expect(scoped?.message).toContain('approve it for booking:write');
    });

    it('refuses to start when @delegable names an empty scope list', () => {
      const sdl = parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@authenticated"])
        directive @delegable(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
        type Query { x: String @authenticated @delegable(scopes: [[]]) y: String @authenticated @delegable(scopes: []) }`);
      expect(() => enforceAuthorizationDirectives(buildSubgraphSchema([{ typeDefs: sdl }]), {})).toThrow(/Query.x has an empty scope list/);
      const none = parse(`
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@authenticated"])
        directive @delegable(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
        type Query { y: String @authenticated @delegable(scopes: []) }`);
      expect(() => enforceAuthorizationDirectives(buildSubgraphSchema([{ typeDefs: none }]), {})).toThrow(/Query.y has an empty scope list/);
    });
  });
});
