import type { ProvinceDefinition } from '../../../../shared/src';
import { authorized } from '../domain/access';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { TalentTier } from '../domain/registryTypes';
import type { RecognitionItemInput } from '../recognitions/RecognitionCatalogService';
import type { IssueTalentCardInput } from './TalentCardService';
import { toRecognizedService } from './talentCardResolvers';

/** The card lifecycle and recognition-catalogue mutations, named for the province; `@policy` admits admins of this province only. */
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

    [`set${P}RecognitionItem`]: authorized.policy(PROVINCE_ADMIN, async (_: unknown, args: { input: RecognitionItemInput }, { viewer, services }) =>
      (await services.recognitions.setItem(viewer, args.input)).map((row) => toRecognizedService(row, province))),

    [`remove${P}RecognitionItem`]: authorized.policy(PROVINCE_ADMIN, async (_: unknown, args: { code: string }, { viewer, services }) =>
      (await services.recognitions.removeItem(viewer, args.code)).map((row) => toRecognizedService(row, province))),
  };
}
