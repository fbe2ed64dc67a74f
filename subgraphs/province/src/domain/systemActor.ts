import type { ProvinceDefinition, Viewer } from '../../../../shared/src';

/**
 * Who a change the province makes by itself is recorded as (a booking confirmed by its instrument's rules, a no-show
 * found by the sweeper): never a person, so histories and the audit log do not credit the requester or an admin.
 */
export function systemActor(province: ProvinceDefinition, job: string, displayName: string): Viewer {
  return Object.freeze({
    subject: `system:${province.key}-${job}`,
    kind: 'client',
    province: province.key,
    roles: [],
    scopes: [],
    displayName,
    institution: null,
    affiliation: null,
    quota: null, delegation: null,
  });
}
