import { clientIdOf, type ProvinceDefinition } from '../../../../shared/src';
import { requireViewer } from '../domain/access';
import { tierMeets, type TalentTier } from '../domain/registryTypes';
import type { PartnerCardCheck } from './RecognitionCatalogService';
import { authorized, type RecognitionContext } from './RecognitionContext';
import type { RecognitionEntity } from './RecognitionEntity';
import type { ServiceDeliveryEntity } from './ServiceDeliveryEntity';

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
  const [catalog, scheme] = await Promise.all([loaders.recognitionCatalog(), loaders.tierScheme()]);
  // The partner's tier counts here as this province's mapping says; the catalogue's minimum tiers are in this province's scheme.
  const tier = scheme.ownTierOf(card.tier);
  return catalog.filter((row) => tierMeets(tier, row.minimumTier)).map((row) => toRecognizedService(row, province));
}

/** `<Partner>CardVerification`: this province's services for a card the partner has checked (tier and status come from the partner). */
export const partnerCardVerificationResolvers = {
  __resolveReference: (reference: { cardNumber: string; tier?: TalentTier | null; status?: string }, context: RecognitionContext) => {
    requireViewer(context, 'talent card checks');
    return reference;
  },
  recognizedServices: authorized.authenticated(async (check: PartnerCardCheck, _: unknown, context) => {
    const [catalog, scheme] = await Promise.all([catalogServedTo(context), context.loaders.tierScheme()]);
    const ownTier = { ...check, tier: check.tier ? scheme.ownTierOf(check.tier) : null };
    const granted = await context.services.recognitions.servicesFor(context.viewer, context.requestId, ownTier, catalog);
    return granted.map((row) => toRecognizedService(row, context.province));
  }),
};

/**
 * The part of the catalogue a card check answers the caller: a service-provider client only the items this province
 * registered it for (its grant's recognitionItems), a person (an admin) all of it.
 */
async function catalogServedTo(context: RecognitionContext): Promise<RecognitionEntity[]> {
  const catalog = await context.loaders.recognitionCatalog();
  const clientId = clientIdOf(context.viewer);
  if (clientId === null) return catalog;
  const delivered = new Set((await context.services.clientGrants.find(clientId))?.recognitionItems ?? []);
  return catalog.filter((row) => delivered.has(row.code));
}

/** `<Province>ServiceDelivery`: a redemption as its provider and this province's admins see it. */
export const serviceDeliveryResolvers = {
  item: (delivery: ServiceDeliveryEntity) => delivery.itemCode,
  issuer: (_: ServiceDeliveryEntity, __: unknown, { partner }: RecognitionContext) => partner.code,
};

/** `<Province>Registry.recognitionCatalog`: what this province grants to holders of the partner's card. */
export const recognitionRegistryResolvers = {
  recognitionCatalog: async (_: unknown, __: unknown, { province, loaders }: RecognitionContext) =>
    (await loaders.recognitionCatalog()).map((row) => toRecognizedService(row, province)),
};
