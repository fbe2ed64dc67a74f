import type { ProvinceDefinition } from '../../../../shared/src';
import { requireViewer } from '../domain/access';
import { tierMeets, type TalentTier } from '../domain/registryTypes';
import type { PartnerCardCheck } from './RecognitionCatalogService';
import { authorized, type RecognitionContext } from './RecognitionContext';
import type { RecognitionEntity } from './RecognitionEntity';

/** A catalogue row as the shared `RecognizedService` type. */
export function toRecognizedService(row: RecognitionEntity, province: ProvinceDefinition) {
  return {
    code: row.code,
    serviceProvince: province.code,
    name: row.name,
    nameZh: row.nameZh,
    provider: row.provider,
    minimumTier: row.minimumTier,
    howToApply: row.howToApply,
  };
}

/** This province's answer for a partner-issued card: its own services that the card's tier qualifies for. */
export async function partnerRecognitions(card: { tier: TalentTier }, _: unknown, { loaders, province }: RecognitionContext) {
  const catalog = await loaders.recognitionCatalog();
  return catalog.filter((row) => tierMeets(card.tier, row.minimumTier)).map((row) => toRecognizedService(row, province));
}

/** `<Partner>CardVerification`: this province's services for a card the partner has checked (tier and status come from the partner). */
export const partnerCardVerificationResolvers = {
  __resolveReference: (reference: { cardNumber: string; tier?: TalentTier | null; status?: string }, context: RecognitionContext) => {
    requireViewer(context, 'talent card checks');
    return reference;
  },
  recognizedServices: authorized.authenticated(async (check: PartnerCardCheck, _: unknown, context) => {
    const catalog = await context.loaders.recognitionCatalog();
    const granted = await context.services.recognitions.servicesFor(context.viewer, context.requestId, check, catalog);
    return granted.map((row) => toRecognizedService(row, context.province));
  }),
};

/** `<Province>Registry.recognitionCatalog`: what this province grants to holders of the partner's card. */
export const recognitionRegistryResolvers = {
  recognitionCatalog: async (_: unknown, __: unknown, { province, loaders }: RecognitionContext) =>
    (await loaders.recognitionCatalog()).map((row) => toRecognizedService(row, province)),
};
