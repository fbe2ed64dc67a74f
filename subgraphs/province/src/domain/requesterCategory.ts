import type { ProvinceKey, Viewer } from '../../../../shared/src';
import type { RequesterCategory } from './registryTypes';

/** Institution names compared as people type them: case, spaces and full-width brackets aside. */
export function sameInstitution(a: string | null, b: string | null): boolean {
  const normal = (name: string) => name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return a !== null && b !== null && normal(a) !== '' && normal(a) === normal(b);
}

/**
 * Who asks, relative to the instrument's owner, for the evaluation: the owner's own people first (whatever their
 * kind), then enterprises, then academic callers by home province. A caller without a home province is never
 * "own province".
 */
export function requesterCategory(
  viewer: Pick<Viewer, 'institution' | 'affiliation' | 'province'>,
  ownerInstitution: string,
  servingProvince: ProvinceKey,
): RequesterCategory {
  if (sameInstitution(viewer.institution, ownerInstitution)) return 'OWN_INSTITUTION';
  if (viewer.affiliation === 'enterprise') return 'ENTERPRISE';
  return viewer.province === servingProvince ? 'OWN_PROVINCE' : 'OTHER_PROVINCE';
}
