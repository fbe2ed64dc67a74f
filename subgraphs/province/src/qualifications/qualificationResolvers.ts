import { isUuid, type ProvinceDefinition } from '../../../../shared/src';
import { PROVINCE_ADMIN } from '../domain/provinceAdmin';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import { DEFAULT_BOOKING_RULES } from './BookingRulesEntity';
import { authorized, type QualificationContext } from './QualificationContext';
import type { QualificationEntity } from './QualificationEntity';
import { isValid } from './QualificationService';

export const qualificationResolvers = {
  issuer: (_: QualificationEntity, __: unknown, { province }: QualificationContext) => province.code,
  user: (qualification: QualificationEntity) => ({ __typename: 'User', id: qualification.userId }),
  instrument: (qualification: QualificationEntity, _: unknown, { loaders }: QualificationContext) =>
    qualification.instrumentId ? loaders.instruments.load(qualification.instrumentId) : null,
  valid: (qualification: QualificationEntity) => isValid(qualification, new Date()),
};

/** `<Province>Instrument.bookingRules`: its own, or the defaults. */
export const instrumentRulesResolvers = {
  bookingRules: async (instrument: InstrumentEntity, _: unknown, { loaders }: QualificationContext) =>
    (await loaders.bookingRules.load(instrument.id)) ?? DEFAULT_BOOKING_RULES,
};

export const qualificationRegistryResolvers = {
  myQualifications: authorized.authenticated((_: unknown, { model }: { model?: string | null }, { viewer, services }) =>
    services.qualifications.validOf(viewer, model)),
  qualifications: authorized.policy(PROVINCE_ADMIN, (_: unknown, { userId }: { userId: string }, { repositories }) =>
    isUuid(userId) ? repositories.qualifications.ofUser(userId.toLowerCase()) : []),
};

/** Booking rules and qualifications, named for the province; `@policy` admits admins of this province only. */
export function qualificationMutations(province: ProvinceDefinition) {
  const P = province.typePrefix;
  return {
    [`set${P}BookingRules`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { instrumentId, rules }: { instrumentId: string; rules: unknown }, { viewer, services }) =>
      services.qualifications.setRules(viewer, instrumentId, rules)),
    [`grant${P}Qualification`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { input }: { input: unknown }, { viewer, services }) =>
      services.qualifications.grant(viewer, input)),
    [`revoke${P}Qualification`]: authorized.policy(PROVINCE_ADMIN, (_: unknown, { id, reason }: { id: string; reason: unknown }, { viewer, services }) =>
      services.qualifications.revoke(viewer, id, reason)),
  };
}
