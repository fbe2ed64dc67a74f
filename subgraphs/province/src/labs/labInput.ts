import { z } from 'zod';
import { input, type ProvinceDefinition } from '../../../../shared/src';
import { distinct, keep, MAX_DESCRIPTION, orDefault } from '../domain/registryInput';

// What a province admin may write into a lab; shared rules are in domain/registryInput.ts.

const MAX_PARTNER_ITEMS = 50;

const labFields = {
  name: input.text(1, 200),
  nameZh: input.text(1, 200),
  institution: input.text(1, 200),
  city: input.text(1, 80),
  level: z.enum(['NATIONAL', 'PROVINCIAL']),
  partnerInstitutions: z
    .array(input.text(1, 200))
    .max(MAX_PARTNER_ITEMS, { message: `must list at most ${MAX_PARTNER_ITEMS} institutions` })
    .refine(distinct, { message: 'must not list an institution twice' }),
  /** Global ids; the service decodes them and asks the partner. */
  partnerInstrumentIds: z
    .array(z.string())
    .max(MAX_PARTNER_ITEMS, { message: `must list at most ${MAX_PARTNER_ITEMS} instruments` })
    .refine(distinct, { message: 'must not list an instrument twice' }),
  description: input.optionalText(MAX_DESCRIPTION),
};

/** A new lab of `province`; a joint lab names the partner province, never its own. */
export function labInputSchema(province: ProvinceDefinition, partner: ProvinceDefinition) {
  return z
    .object({
      ...labFields,
      partnerProvince: z.enum(['SICHUAN', 'CHONGQING']).nullish().transform((value) => value ?? null),
      partnerInstitutions: orDefault(labFields.partnerInstitutions, []),
      partnerInstrumentIds: orDefault(labFields.partnerInstrumentIds, []),
    })
    .superRefine((lab, context) => {
      if (lab.partnerProvince === province.code) {
        context.addIssue({
          code: 'custom',
          path: ['partnerProvince'],
          message: `must be ${partner.code}: a ${province.nameEn} lab is built jointly with ${partner.nameEn}; leave it out for a lab of ${province.nameEn} alone`,
        });
      }
      if (lab.partnerProvince === null && (lab.partnerInstitutions.length > 0 || lab.partnerInstrumentIds.length > 0)) {
        context.addIssue({
          code: 'custom',
          path: ['partnerProvince'],
          message: `must be ${partner.code} for a lab that lists partner institutions or instruments`,
        });
      }
    });
}

export type LabInput = z.infer<ReturnType<typeof labInputSchema>>;

export const labUpdateSchema = z.object({
  name: keep(labFields.name),
  nameZh: keep(labFields.nameZh),
  institution: keep(labFields.institution),
  city: keep(labFields.city),
  level: keep(labFields.level),
  partnerInstitutions: keep(labFields.partnerInstitutions),
  partnerInstrumentIds: keep(labFields.partnerInstrumentIds),
  description: labFields.description.optional(),
});

export type LabUpdate = z.infer<typeof labUpdateSchema>;
