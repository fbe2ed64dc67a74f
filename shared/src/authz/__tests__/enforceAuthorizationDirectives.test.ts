import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import type { Viewer } from '../../auth/claims';
import { DomainError } from '../../errors/DomainError';
import { enforceAuthorizationDirectives, type Policy } from '../enforceAuthorizationDirectives';

type Context = { viewer: Viewer | null; ownProvince: 'sichuan' };

const schema = enforceAuthorizationDirectives<Context>(
  buildSubgraphSchema([{
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])
      type Query {
        open: String
        signedIn: String @authenticated
        verify: String @requiresScopes(scopes: [["card:verify"], ["identity:admin", "catalog:read"]])
        adminOnly: String @policy(policies: [["province_admin"]])
        card: Card
      }
      type Card @authenticated {
        number: String
        secret: String @policy(policies: [["province_admin"]])
      }
    `),
    resolvers: {
      Query: { open: () => 'open', signedIn: () => 'in', verify: () => 'verified', adminOnly: () => 'admin', card: () => ({ number: 'TF-1', secret: 's' }) },
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
});
