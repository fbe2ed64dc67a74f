import { forbidden, isProvinceAdmin, unauthenticated, usageRecordScope, type Policy, type Viewer } from '../../../../shared/src';
import type { ProvinceRequest } from '../ProvinceRequest';
import { PROVINCE_ADMIN, USAGE_RECORDER } from './provinceAdmin';

/*
 * Role gates are the SDL's directives (`@authenticated`, `@requiresScopes`,
 * `@policy`), enforced before any resolver runs. Resolvers of guarded fields
 * are declared with each feature's `authorized` (shared authorizedResolvers),
 * which hands them the checked viewer; what is left here are the rules about
 * one record (whose booking, whose card).
 */

/** The `@policy` names the province SDL uses. */
export const PROVINCE_POLICIES: Record<string, Policy<ProvinceRequest>> = {
  [PROVINCE_ADMIN]: {
    describe: ({ province }) => `a ${province.nameEn} admin`,
    // An admin OF THIS PROVINCE: a Chongqing admin is refused in Sichuan's subgraph, whichever way the request arrives.
    allows: ({ viewer, province }) => isProvinceAdmin(viewer, province.key),
  },
  [USAGE_RECORDER]: {
    describe: ({ province }) => `a ${province.nameEn} admin or a kiosk client with the ${usageRecordScope(province.key)} scope`,
    // A kiosk's client is granted one province's scope, so a Chongqing kiosk cannot record Sichuan's use.
    allows: ({ viewer, province }) =>
      isProvinceAdmin(viewer, province.key) || (viewer?.kind === 'client' && viewer.scopes.includes(usageRecordScope(province.key))),
  },
};

/** For references the gateway resolves (`__resolveReference`), which no field directive guards. */
export function requireViewer(context: ProvinceRequest, what: string): Viewer {
  if (!context.viewer) throw unauthenticated(`Sign in to see ${what}: send the token from login as "Authorization: Bearer <token>".`);
  return context.viewer;
}

/** A person's cards and bookings are visible to that person, to this province's admins and to platform admins. */
export function requirePersonalAccess(context: ProvinceRequest, userId: string, what: string): Viewer {
  const viewer = requireViewer(context, what);
  const allowed =
    viewer.subject === userId || isProvinceAdmin(viewer, context.province.key) || viewer.roles.includes('platform_admin');
  if (!allowed) throw forbidden(`Only the person themselves or a ${context.province.nameEn} admin may see ${what}.`);
  return viewer;
}

/**
 * Whether the viewer may see who acted on a record as a platform account (its
 * id, and through it username and roles): this province's admins may, and so
 * may the person who acted. Anyone else, such as the researcher whose booking
 * a staff member decided, sees the actor's display name only.
 */
export function mayIdentifyActor(context: ProvinceRequest, actorId: string): boolean {
  const { viewer } = context;
  return !!viewer && (viewer.subject === actorId || isProvinceAdmin(viewer, context.province.key));
}

/**
 * A person with the researcher role, from either province. The `booking:write`
 * scope lets a partner client through the directive; booking is for people.
 */
export function requireResearcher(viewer: Viewer, action: string): Viewer {
  if (viewer.kind !== 'user' || !viewer.roles.includes('researcher')) {
    throw forbidden(`Only researchers may ${action}; sign in with a researcher account.`);
  }
  return viewer;
}

/**
 * A card shows its holder's name, employer and field: only the holder, an
 * admin of the issuing province and a platform admin see it. A service
 * provider checks a card with `verifyTalentCard`, which tells validity, tier
 * and the holder's name and nothing more. No card: null, as before.
 */
export function requireCardAccess<T extends { holderUserId: string | null }>(context: ProvinceRequest, card: T | null | undefined): T | null {
  if (!card) return null;
  const viewer = requireViewer(context, 'talent cards');
  const allowed =
    (card.holderUserId !== null && viewer.subject === card.holderUserId) ||
    isProvinceAdmin(viewer, context.province.key) ||
    viewer.roles.includes('platform_admin');
  if (!allowed) {
    throw forbidden(`Only the card's holder or a ${context.province.nameEn} admin may see this talent card; a service provider checks a card with verifyTalentCard.`);
  }
  return card;
}
