import type { ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { RecognitionItemInput } from './RecognitionCatalogService';
import type { RedeemArgs } from './ServiceRedemptionService';
import { authorized } from './RecognitionContext';
import { toRecognizedService } from './recognitionResolvers';

/** The recognition-catalogue mutations, named for the province; `@policy` admits admins of this province only. */
export function recognitionMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`set${P}RecognitionItem`]: authorized.policy(PROVINCE_ADMIN, async (_: unknown, args: { input: RecognitionItemInput }, { viewer, services }) =>
      (await services.recognitions.setItem(viewer, args.input)).map((row) => toRecognizedService(row, province))),

    [`redeem${P}RecognizedService`]: authorized.authenticated((_: unknown, args: RedeemArgs, { viewer, services, authorization, requestId }) =>
      services.redemptions.redeem(viewer, { ...(authorization ? { authorization } : {}), requestId }, args)),

    [`remove${P}RecognitionItem`]: authorized.policy(PROVINCE_ADMIN, async (_: unknown, args: { code: string }, { viewer, services }) =>
      (await services.recognitions.removeItem(viewer, args.code)).map((row) => toRecognizedService(row, province))),
  };
}
