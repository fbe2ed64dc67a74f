import { forbidden, isProvinceAdmin, unauthenticated, type Viewer } from '../../../../shared/src';
import type { ProvinceContext } from '../ProvinceContext';

export function requireViewer(context: ProvinceContext, what: string): Viewer {
  if (!context.viewer) throw unauthenticated(`Sign in to see ${what}: send the token from login as "Authorization: Bearer <token>".`);
  return context.viewer;
}

/** A person's cards and bookings are visible to that person, to this province's admins and to platform admins. */
export function requirePersonalAccess(context: ProvinceContext, userId: string, what: string): Viewer {
  const viewer = requireViewer(context, what);
  const allowed =
    viewer.subject === userId || isProvinceAdmin(viewer, context.province.key) || viewer.roles.includes('platform_admin');
  if (!allowed) throw forbidden(`Only the person themselves or a ${context.province.nameEn} admin may see ${what}.`);
  return viewer;
}

/**
 * Changing this province's data needs an admin OF THIS PROVINCE: a Chongqing
 * admin is refused in Sichuan's subgraph, whichever way the request arrives.
 */
export function requireProvinceAdmin(context: ProvinceContext, action: string): Viewer {
  if (!context.viewer) throw unauthenticated(`Sign in as a ${context.province.nameEn} admin to ${action}.`);
  if (!isProvinceAdmin(context.viewer, context.province.key)) {
    throw forbidden(`Only a ${context.province.nameEn} admin may ${action}; ${context.province.nameEn}'s data is changed only by ${context.province.nameEn}.`);
  }
  return context.viewer;
}

/** A signed-in person with the researcher role, from either province. */
export function requireResearcher(context: ProvinceContext, action: string): Viewer {
  if (!context.viewer) throw unauthenticated(`Sign in to ${action}.`);
  if (context.viewer.kind !== 'user' || !context.viewer.roles.includes('researcher')) {
    throw forbidden(`Only researchers may ${action}; sign in with a researcher account.`);
  }
  return context.viewer;
}

/**
 * A card shows its holder's name, employer and field: only the holder, an
 * admin of the issuing province and a platform admin see it. A service
 * provider checks a card with `verifyTalentCard`, which tells validity, tier
 * and the holder's name and nothing more. No card: null, as before.
 */
export function requireCardAccess<T extends { holderUserId: string | null }>(context: ProvinceContext, card: T | null | undefined): T | null {
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
