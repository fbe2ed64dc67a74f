import {
  defaultFieldResolver, isObjectType, Kind, type ConstDirectiveNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import type { Delegation, Viewer } from '../auth/claims';
import { forbidden, unauthenticated } from '../errors/DomainError';
import { requirementOf, type Requirement } from './authorizedResolvers';
import { effectiveScopes } from './scopes';

/** A named rule for `@policy`, evaluated with the request context (e.g. "admin of THIS province"). */
export interface Policy<TContext> {
  /** Who passes, for messages: "a Sichuan admin". */
  readonly describe: (context: TContext) => string;
  readonly allows: (context: TContext) => boolean;
}

interface Rules {
  authenticated: boolean;
  /** Any one inner list, all of whose scopes the caller holds. */
  scopes: string[][] | null;
  /** Any one inner list, all of whose policies allow. */
  policies: string[][] | null;
  /** `@delegable`: for a token a client holds for a person, any one inner list of scopes the token carries. */
  delegable: string[][] | null;
}

/**
 * Enforces the federation authorization directives (`@authenticated`,
 * `@requiresScopes`, `@policy`) declared in a subgraph's SDL, in the subgraph
 * itself: @apollo/gateway carries them in the supergraph but does not enforce
 * them, and a caller may skip the gateway. Directives on a type apply to all
 * its fields. Each protected field's resolver is wrapped to check first.
 *
 * A token a partner client holds for a person (`viewer.delegation`) reaches a
 * guarded field only through a scope it carries: the field's `@requiresScopes`,
 * or its `@delegable(scopes: …)`, which names what the person's consent (and the
 * owner's grant to the client) must include there. Everything else guarded —
 * `@authenticated` alone, `@policy` — is for the person's own session, so a new
 * field is closed to clients acting for people until its SDL says otherwise.
 *
 * A resolver declared with `authorizedResolvers()` relies on the check (its
 * context's viewer is narrowed): building the schema fails when the field's
 * directives do not imply what it relies on, so the narrowing cannot lie.
 */
export function enforceAuthorizationDirectives<TContext extends { viewer: Viewer | null }>(
  schema: GraphQLSchema,
  policies: Readonly<Record<string, Policy<TContext>>>,
): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRules = rulesOf(typeDirectives(type));
    for (const field of Object.values(type.getFields())) {
      const rules = merge(typeRules, rulesOf(field.astNode?.directives ?? []));
      checkRequirement(requirementOf(field.resolve), rules, `${type.name}.${field.name}`);
      if (!rules.authenticated && !rules.scopes && !rules.policies) continue;
      if (rules.delegable && (rules.delegable.length === 0 || rules.delegable.some((all) => all.length === 0))) {
        throw new Error(`${type.name}.${field.name} has an empty scope list in @delegable`);
      }
      for (const name of (rules.policies ?? []).flat()) {
        if (!policies[name]) throw new Error(`${type.name}.${field.name} names the policy "${name}", which this subgraph does not define`);
      }
      guard(field, rules, policies, `${type.name}.${field.name}`);
    }
  }
  return schema;
}

function guard<TContext extends { viewer: Viewer | null }>(
  field: GraphQLField<unknown, TContext>,
  rules: Rules,
  policies: Readonly<Record<string, Policy<TContext>>>,
  coordinate: string,
): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    const { viewer } = context;
    if (!viewer) throw unauthenticated(`Sign in to use ${coordinate}: send the token from login as "Authorization: Bearer <token>".`);
    const held = effectiveScopes(viewer);
    if (viewer.delegation) checkDelegated(viewer.delegation, held, rules, coordinate);
    if (rules.scopes) {
      const missing = missingScopes(rules.scopes, held);
      if (missing) {
        throw forbidden(`${coordinate} needs the scope ${alternatives(rules.scopes)}, which this token does not carry.${viewer.delegation ? consentHint(viewer.delegation, missing) : ''}`, {
          ...(viewer.delegation ? { reason: 'CONSENT_SCOPE_MISSING' } : {}), missingScopes: missing,
        });
      }
    }
    if (rules.policies) {
      const allowed = rules.policies.some((all) => all.every((name) => policies[name]!.allows(context)));
      if (!allowed) {
        const needs = rules.policies.map((all) => all.map((name) => policies[name]!.describe(context)).join(' who is also ')).join(' or ');
        throw forbidden(`Only ${needs} may use ${coordinate}.`);
      }
    }
    return resolve(source, args, context, info);
  };
}

/** What a token a client holds for a person must carry here: a scope of `@requiresScopes` (checked by the caller) or of `@delegable`. */
function checkDelegated(delegation: Delegation, held: ReadonlySet<string>, rules: Rules, coordinate: string): void {
  if (!rules.delegable && !rules.scopes) {
    throw forbidden(`${coordinate} is for the person signed in themselves: partner client ${delegation.clientId}, acting for them, may not use it whatever their consent names.`, {
      reason: 'NOT_OWN_SESSION',
    });
  }
  if (!rules.delegable) return;
  const missing = missingScopes(rules.delegable, held);
  if (missing) {
    throw forbidden(`${coordinate} needs the person's consent for ${alternatives(rules.delegable)}, which this token does not carry.${consentHint(delegation, missing)}`, {
      reason: 'CONSENT_SCOPE_MISSING', missingScopes: missing,
    });
  }
}

const alternatives = (scopes: string[][]) => scopes.map((all) => all.join(' + ')).join(' or ');

const consentHint = (delegation: Delegation, missing: readonly string[]) =>
  ` Partner client ${delegation.clientId} asks the person to approve it for ${missing.join(' + ')} (approvePartnerClient; consent ${delegation.consentId} does not name it), and the owner of the data to grant it that scope.`;

/** Null when one alternative is all held; otherwise what the closest alternative (fewest missing, first on a tie) lacks. */
function missingScopes(scopes: string[][], held: ReadonlySet<string>): string[] | null {
  let closest: string[] | null = null;
  for (const all of scopes) {
    const missing = all.filter((scope) => !held.has(scope));
    if (missing.length === 0) return null;
    if (!closest || missing.length < closest.length) closest = missing;
  }
  return closest ?? [];
}

/** Refuses a resolver that relies on a check its field's directives do not make. */
function checkRequirement(requirement: Requirement | undefined, rules: Rules, coordinate: string): void {
  if (!requirement) return;
  if (requirement.kind === 'authenticated' && rules.authenticated) return;
  if (requirement.kind === 'policy' && rules.policies?.every((all) => all.includes(requirement.policy))) return;
  const relied = requirement.kind === 'authenticated' ? 'a signed-in viewer' : `@policy "${requirement.policy}"`;
  throw new Error(`${coordinate}'s resolver relies on ${relied}, which the SDL does not declare on that field`);
}

function typeDirectives(type: GraphQLObjectType): readonly ConstDirectiveNode[] {
  return [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
}

function rulesOf(directives: readonly ConstDirectiveNode[]): Rules {
  const rules: Rules = { authenticated: false, scopes: null, policies: null, delegable: null };
  for (const directive of directives) {
    const name = directive.name.value;
    if (name === 'authenticated') rules.authenticated = true;
    if (name === 'requiresScopes') rules.scopes = nestedStrings(directive, 'scopes');
    if (name === 'policy') rules.policies = nestedStrings(directive, 'policies');
    if (name === 'delegable') rules.delegable = nestedStrings(directive, 'scopes');
  }
  return rules;
}

function merge(outer: Rules, inner: Rules): Rules {
  return {
    authenticated: outer.authenticated || inner.authenticated || !!outer.scopes || !!inner.scopes || !!outer.policies || !!inner.policies
      || !!outer.delegable || !!inner.delegable,
    scopes: combine(outer.scopes, inner.scopes),
    policies: combine(outer.policies, inner.policies),
    delegable: combine(outer.delegable, inner.delegable),
  };
}

/** Both a type's and a field's requirement must hold: (a or b) and (c or d) = ac or ad or bc or bd. */
function combine(a: string[][] | null, b: string[][] | null): string[][] | null {
  if (!a) return b;
  if (!b) return a;
  return a.flatMap((left) => b.map((right) => [...left, ...right]));
}

function nestedStrings(directive: ConstDirectiveNode, argument: string): string[][] {
  const value = directive.arguments?.find((arg) => arg.name.value === argument)?.value;
  if (value?.kind !== Kind.LIST) return [];
  return value.values.map((inner) =>
    inner.kind === Kind.LIST ? inner.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : [])) : [],
  );
}
