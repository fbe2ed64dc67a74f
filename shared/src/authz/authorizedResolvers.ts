import type { GraphQLResolveInfo } from 'graphql';
import type { Viewer } from '../auth/claims';

declare const checkedPolicy: unique symbol;

/**
 * A viewer the schema's directives have checked before the resolver ran:
 * `PolicyViewer<'province_admin'>` can only come from a resolver declared with
 * `authorized.policy('province_admin', …)`, whose field the SDL guards with
 * that `@policy` (checked when the schema is built). Services that take one
 * need not check the role again.
 */
export type PolicyViewer<TPolicy extends string> = Viewer & { readonly [checkedPolicy]: TPolicy };

/** The context a guarded resolver receives: the viewer is known, and the type says what was checked. */
export type Guarded<TContext, TViewer extends Viewer = Viewer> = Omit<TContext, 'viewer'> & { readonly viewer: TViewer };

/** What a resolver declares it relies on; the SDL directives of its field must imply it. */
export type Requirement = { readonly kind: 'authenticated' } | { readonly kind: 'policy'; readonly policy: string };

const REQUIREMENT = Symbol('authorization requirement');

type Resolver<TSource, TArgs, TContext, TResult> = (source: TSource, args: TArgs, context: TContext, info: GraphQLResolveInfo) => TResult;

/** The requirement a resolver was declared with, if any. */
export function requirementOf(resolve: unknown): Requirement | undefined {
  return typeof resolve === 'function' ? (resolve as { [REQUIREMENT]?: Requirement })[REQUIREMENT] : undefined;
}

function declare<TSource, TArgs, TContext, TResult>(
  resolve: Resolver<TSource, TArgs, never, TResult>,
  requirement: Requirement,
): Resolver<TSource, TArgs, TContext, TResult> {
  // The guard that enforceAuthorizationDirectives puts in front of this resolver is what makes the narrowing true.
  const declared = resolve as unknown as Resolver<TSource, TArgs, TContext, TResult>;
  return Object.assign(declared, { [REQUIREMENT]: requirement });
}

/**
 * Resolvers of fields the SDL protects, for one subgraph's context. Each
 * receives a narrowed context (its viewer checked) and carries its
 * requirement, so `enforceAuthorizationDirectives` refuses to build a schema
 * where the SDL does not guard the field as the resolver assumes.
 */
export function authorizedResolvers<TContext extends { viewer: Viewer | null }>() {
  return {
    /** For fields under `@authenticated`, `@requiresScopes` or `@policy`: someone signed in. */
    authenticated: <TSource, TArgs, TResult>(resolve: Resolver<TSource, TArgs, Guarded<TContext>, TResult>) =>
      declare<TSource, TArgs, TContext, TResult>(resolve as Resolver<TSource, TArgs, never, TResult>, { kind: 'authenticated' }),

    /** For fields under `@policy` naming `policy` in every alternative: a viewer that policy allowed. */
    policy: <TPolicy extends string, TSource, TArgs, TResult>(
      policy: TPolicy,
      resolve: Resolver<TSource, TArgs, Guarded<TContext, PolicyViewer<TPolicy>>, TResult>,
    ) => declare<TSource, TArgs, TContext, TResult>(resolve as Resolver<TSource, TArgs, never, TResult>, { kind: 'policy', policy }),
  };
}
