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
