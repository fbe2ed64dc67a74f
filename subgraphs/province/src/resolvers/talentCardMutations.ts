import type { ProvinceDefinition } from '../../../../shared/src';
import { requireProvinceAdmin } from '../domain/access';
import type { TalentTier } from '../domain/registryTypes';
import type { ProvinceContext } from '../ProvinceContext';
import type { RecognitionItemInput } from '../services/RecognitionCatalogService';
import type { IssueTalentCardInput } from '../services/TalentCardService';
import { toRecognizedService } from './talentCardResolvers';

/** The card lifecycle and recognition-catalogue mutations, named for the province; each needs an admin of this province. */
export function talentCardMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  const own = `${province.nameEn} talent cards`;
  return {
    [`issue${P}TalentCard`]: (_: unknown, args: { input: IssueTalentCardInput }, context: ProvinceContext) =>
      context.services.talentCards.issue(requireProvinceAdmin(context, `issue ${own}`), args.input),

    [`renew${P}TalentCard`]: (_: unknown, args: { id: string; validUntil: Date; tier?: TalentTier | null }, context: ProvinceContext) =>
      context.services.talentCards.renew(requireProvinceAdmin(context, `renew ${own}`), args.id, args.validUntil, args.tier),

    [`revoke${P}TalentCard`]: (_: unknown, args: { id: string; reason: string }, context: ProvinceContext) =>
      context.services.talentCards.revoke(requireProvinceAdmin(context, `revoke ${own}`), args.id, args.reason),

    [`set${P}RecognitionItem`]: async (_: unknown, args: { input: RecognitionItemInput }, context: ProvinceContext) => {
      const viewer = requireProvinceAdmin(context, `change ${province.nameEn}'s recognition catalogue`);
      return (await context.services.recognitions.setItem(viewer, args.input)).map((row) => toRecognizedService(row, province));
    },

    [`remove${P}RecognitionItem`]: async (_: unknown, args: { code: string }, context: ProvinceContext) => {
      const viewer = requireProvinceAdmin(context, `change ${province.nameEn}'s recognition catalogue`);
      return (await context.services.recognitions.removeItem(viewer, args.code)).map((row) => toRecognizedService(row, province));
    },
  };
}
