import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import type { Viewer } from '../../auth/claims';
import { authorizedResolvers, requirementOf, type PolicyViewer } from '../authorizedResolvers';
import { enforceAuthorizationDirectives } from '../enforceAuthorizationDirectives';

type Context = { viewer: Viewer | null };
const authorized = authorizedResolvers<Context>();
const policies = { province_admin: { describe: () => 'an admin', allows: ({ viewer }: Context) => !!viewer?.roles.includes('province_admin') } };

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@authenticated", "@policy"])';
const schemaOf = (fields: string, resolvers: Record<string, unknown>) =>
  enforceAuthorizationDirectives<Context>(buildSubgraphSchema([{ typeDefs: parse(`${LINK}\ntype Query { ${fields} }`), resolvers: { Query: resolvers } as never }]), policies);

const admin: Viewer = { subject: 'a', kind: 'user', province: 'sichuan', roles: ['province_admin'], scopes: [], displayName: null, institution: null, affiliation: null, quota: null, delegation: null };

/** A service operation that only an admin may call: its parameter type says so. */
const adminOnlyGreeting = (viewer: PolicyViewer<'province_admin'>) => `hello ${viewer.subject}`;

describe('authorizedResolvers', () => {
  it('hands the resolver the checked viewer, typed by what was checked', async () => {
    const schema = schemaOf('greet: String @policy(policies: [["province_admin"]])', {
      greet: authorized.policy('province_admin', (_: unknown, __: unknown, { viewer }) => adminOnlyGreeting(viewer)),
    });
    const result = await graphql({ schema, source: '{ greet }', contextValue: { viewer: admin } });
    expect(result).toEqual({ data: { greet: 'hello a' } });
  });

  it('still lets the directive refuse before the resolver runs', async () => {
    const resolve = jest.fn(() => 'never');
    const schema = schemaOf('greet: String @policy(policies: [["province_admin"]])', { greet: authorized.policy('province_admin', resolve) });
    const result = await graphql({ schema, source: '{ greet }', contextValue: { viewer: null } });
    expect(result.errors?.[0]?.originalError).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(resolve).not.toHaveBeenCalled();
  });

  it('records what each resolver relies on', () => {
    expect(requirementOf(authorized.authenticated(() => 1))).toEqual({ kind: 'authenticated' });
    expect(requirementOf(authorized.policy('province_admin', () => 1))).toEqual({ kind: 'policy', policy: 'province_admin' });
    expect(requirementOf(() => 1)).toBeUndefined();
  });

  it.each([
    ['a policy resolver on an open field', 'greet: String', authorized.policy('province_admin', () => 'x'), /relies on @policy "province_admin"/],
    ['a policy resolver on a field that only needs a sign-in', 'greet: String @authenticated', authorized.policy('province_admin', () => 'x'), /relies on @policy/],
    ['a signed-in resolver on an open field', 'greet: String', authorized.authenticated(() => 'x'), /relies on a signed-in viewer/],
  ])('refuses to build a schema with %s', (_, field, resolve, message) => {
    expect(() => schemaOf(field, { greet: resolve })).toThrow(message);
  });

  it('accepts a signed-in resolver on a field under a policy (a policy implies a sign-in)', () => {
    expect(() => schemaOf('greet: String @policy(policies: [["province_admin"]])', { greet: authorized.authenticated(() => 'x') })).not.toThrow();
  });
});
