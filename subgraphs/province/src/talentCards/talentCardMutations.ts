import type { ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { TalentTier } from '../domain/registryTypes';
import { authorized } from './TalentCardContext';
import type { IssueTalentCardInput } from './TalentCardService';

/** The card lifecycle mutations, named for the province; `@policy` admits admins of this province only. */
export function talentCardMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`issue${P}TalentCard`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { input: IssueTalentCardInput }, { viewer, services }) =>
      services.talentCards.issue(viewer, args.input)),

    [`renew${P}TalentCard`]: authorized.policy(
      PROVINCE_ADMIN,
      (_: unknown, args: { id: string; validUntil: Date; tier?: TalentTier | null }, { viewer, services }) =>
        services.talentCards.renew(viewer, args.id, args.validUntil, args.tier),
    ),

    [`revoke${P}TalentCard`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, args: { id: string; reason: string }, { viewer, services }) =>
      services.talentCards.revoke(viewer, args.id, args.reason)),
  };
}
