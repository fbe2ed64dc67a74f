/**
 * Shape of a province's demo data (`<province>.json`), checked when it is loaded. Seeds are
 * plain data: the provinces' files differ in content only, and one loader (`seedProvince`)
 * writes any of them. Cross-province references use the partner's seed codes; the loader
 * turns them into the partner's global ids with `stableUuid`, so no province reads
 * another's database.
 */
import { z } from 'zod';
import { PROVINCE_KEYS } from '../../../../shared/src';
import {
  RECOGNITION_ITEM_CODES, type InstrumentService, type InstrumentStatus, type LabLevel, type TalentCardStatus, type TalentTier,
} from '../domain/registryTypes';

const tier = z.enum(['A', 'B', 'C', 'D'] as const satisfies readonly TalentTier[]);
const isoDate = z.iso.date();

/** An instrument category, in the seeds and in the files `npm run admin -- load-categories` reads; sized as its table's columns. */
export const seedCategorySchema = z.strictObject({
  /** Stable code used in filters, e.g. `GENE_SEQUENCER`. */
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, { message: 'expected 2–40 capital letters, digits and _, starting with a letter, e.g. GENE_SEQUENCER' }),
  nameEn: z.string().trim().min(1).max(100),
  nameZh: z.string().trim().min(1).max(100),
});

const seedLabSchema = z.strictObject({
  /** Stable seed key, unique within the province, e.g. `SC-LAB-01`. */
  code: z.string().min(1),
  name: z.string().min(1),
  nameZh: z.string().min(1),
  institution: z.string().min(1),
  city: z.string().min(1),
  level: z.enum(['NATIONAL', 'PROVINCIAL'] as const satisfies readonly LabLevel[]),
  jointlyBuilt: z.boolean(),
  /** Partner-province institutions for joint labs (empty otherwise). */
  partnerInstitutions: z.array(z.string().min(1)),
  /** Seed codes of the PARTNER province's instruments this joint lab shares (empty otherwise). */
  partnerInstrumentCodes: z.array(z.string().min(1)),
  description: z.string(),
});

const seedInstrumentSchema = z.strictObject({
  /** Stable seed key and asset number, unique within the province, e.g. `SC-SEQ-001`. */
  code: z.string().min(1),
  name: z.string().min(1),
  nameZh: z.string().min(1),
  /** A category code. */
  category: z.string().min(1),
  model: z.string(),
  manufacturer: z.string(),
  institution: z.string().min(1),
  /** A lab code of the same province, or null for instruments outside a lab. */
  labCode: z.string().nullable(),
  location: z.string(),
  status: z.enum(['IN_SERVICE', 'MAINTENANCE', 'RETIRED'] as const satisfies readonly InstrumentStatus[]),
  openForSharing: z.boolean(),
  /** Fee per hour in yuan (CNY) for external users. */
  hourlyFeeYuan: z.number().nonnegative(),
  services: z.array(z.enum(['TESTING', 'RND', 'CONSULTATION'] as const satisfies readonly InstrumentService[])),
  /** Opening hours for bookings, local time, whole hours: e.g. 9 and 17. */
  openFromHour: z.number().int().min(0).max(24),
  openToHour: z.number().int().min(0).max(24),
  description: z.string(),
});

const seedTalentCardSchema = z.strictObject({
  cardNumber: z.string().min(1),
  tier,
  holderName: z.string().min(1),
  /** Platform username of the holder when they have an account (demo users), else null. */
  holderUsername: z.string().nullable(),
  field: z.string(),
  employer: z.string(),
  /** ISO dates (YYYY-MM-DD). */
  issuedOn: isoDate,
  validUntil: isoDate,
  status: z.enum(['ACTIVE', 'EXPIRED', 'REVOKED'] as const satisfies readonly TalentCardStatus[]),
});

const seedRecognitionSchema = z.strictObject({
  /** One of the eight mutually recognised item codes. */
  code: z.enum(RECOGNITION_ITEM_CODES),
  name: z.string().min(1),
  nameZh: z.string().min(1),
  /** Who delivers the service in this province. */
  provider: z.string().min(1),
  /** Lowest card tier (A is highest) that qualifies. */
  minimumTier: tier,
  howToApply: z.string(),
});

const seedVoucherSchema = z.strictObject({
  /** Names the voucher in seeds only (its id derives from it). */
  code: z.string().min(1),
  holderUsername: z.string().min(1),
  holderName: z.string().min(1),
  /** Integer fen (1 yuan = 100 fen). */
  amountFen: z.number().int().min(1).max(1_000_000_000),
  /** ISO dates (YYYY-MM-DD): valid from the first day's start to the last day's end, China time. */
  validFrom: isoDate,
  validUntil: isoDate,
  acceptedIn: z.array(z.enum(PROVINCE_KEYS)).min(1),
  maxSharePercent: z.number().int().min(1).max(100),
});

const uniqueCodes = (rows: readonly { code: string }[]) => new Set(rows.map((row) => row.code)).size === rows.length;

export const provinceSeedSchema = z.strictObject({
  province: z.enum(PROVINCE_KEYS),
  categories: z.array(seedCategorySchema),
  labs: z.array(seedLabSchema).refine(uniqueCodes, 'lab codes must be unique'),
  instruments: z.array(seedInstrumentSchema).refine(uniqueCodes, 'instrument codes must be unique'),
  talentCards: z.array(seedTalentCardSchema),
  /** What this province grants to holders of the PARTNER province's card. */
  recognitionCatalog: z.array(seedRecognitionSchema).refine(uniqueCodes, 'recognition codes must be unique'),
  /** Innovation vouchers this province issued to demo users. */
  vouchers: z.array(seedVoucherSchema).refine(uniqueCodes, 'voucher codes must be unique'),
});

export type SeedCategory = z.infer<typeof seedCategorySchema>;
export type SeedLab = z.infer<typeof seedLabSchema>;
export type SeedInstrument = z.infer<typeof seedInstrumentSchema>;
export type SeedTalentCard = z.infer<typeof seedTalentCardSchema>;
export type SeedRecognition = z.infer<typeof seedRecognitionSchema>;
export type SeedVoucher = z.infer<typeof seedVoucherSchema>;
export type ProvinceSeed = z.infer<typeof provinceSeedSchema>;
