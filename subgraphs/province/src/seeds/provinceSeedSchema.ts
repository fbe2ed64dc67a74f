/**
 * Shape of a province's demo data (`<province>.json`), checked when it is loaded. Seeds are
 * plain data: the provinces' files differ in content only, and one loader (`seedProvince`)
 * writes any of them. Cross-province references use the partner's seed codes; the loader
 * turns them into the partner's global ids with `stableUuid`, so no province reads
 * another's database.
 */
import { z } from 'zod';
import { PARTNER_SCOPES, PROVINCE_KEYS } from '../../../../shared/src';
import { categoryInputSchema } from '../instruments/categoryInput';
import { checkMetadata, metadataFields } from '../instruments/instrumentMetadata';
import { CUSTOMER_CATEGORIES } from '../../../../shared/src';
import { offeringProblems, priceSchema } from '../offerings/offeringInput';
import { OFFERING_KINDS } from '../offerings/pricing';
import { SERVICE_REQUEST_STATUSES } from '../serviceRequests/serviceRequestRules';
import {
  RECOGNITION_ITEM_CODES, type InstrumentService, type InstrumentStatus, type LabLevel, type TalentCardStatus, type TalentTier,
} from '../domain/registryTypes';

const tier = z.enum(['A', 'B', 'C', 'D'] as const satisfies readonly TalentTier[]);
const isoDate = z.iso.date();

/** An instrument category, in the seeds and in the files `npm run admin -- load-categories` reads: the API's rules. */
export const seedCategorySchema = categoryInputSchema;

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
  /** The standard metadata, under the API's rules (original value in fen as a string of digits, dates YYYY-MM-DD…). */
  ...metadataFields,
}).superRefine(checkMetadata);

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

/** How one seeded instrument is booked (see BookingRulesInput). */
const seedBookingRulesSchema = z.strictObject({
  instrumentCode: z.string().min(1),
  trainingRequired: z.boolean(),
  trainingInfo: z.string().min(1).nullable(),
  minLeadMinutes: z.number().int().min(0).max(43_200),
  cancellationDeadlineMinutes: z.number().int().min(0).max(43_200),
  autoConfirmQualified: z.boolean(),
  acceptsPartnerQualifications: z.boolean(),
});

/** A demo account trained on one instrument or on a model, for `validForDays` from the first seeding. */
const seedQualificationSchema = z
  .strictObject({
    holderUsername: z.string().min(1),
    instrumentCode: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    validForDays: z.number().int().min(1).max(1830),
  })
  .refine((q) => (q.instrumentCode === undefined) !== (q.model === undefined), 'give instrumentCode or model, not both');

const seedOfferingSchema = z
  .strictObject({
    /** Stable seed key, unique within the province, e.g. `SC-OFF-SEQ-WGS`. */
    code: z.string().min(1),
    /** An instrument code or a lab code of the same province: exactly one. */
    instrumentCode: z.string().nullable(),
    labCode: z.string().nullable(),
    kind: z.enum(OFFERING_KINDS),
    name: z.string().min(1),
    nameZh: z.string().min(1),
    turnaroundDays: z.number().int().min(1).max(365).nullable(),
    requirements: z.string(),
    sampleForm: z.array(z.strictObject({
      name: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/),
      label: z.string().min(1),
      type: z.enum(['TEXT', 'NUMBER', 'BOOLEAN', 'DATE']),
      required: z.boolean(),
    })),
    /** Prices in fen, as an admin sets them (the same rules apply). */
    prices: z.array(priceSchema),
  })
  .superRefine((offering, context) => {
    if ((offering.instrumentCode === null) === (offering.labCode === null)) {
      context.addIssue({ code: 'custom', path: ['instrumentCode'], message: 'give exactly one of instrumentCode and labCode' });
    }
    for (const problem of offeringProblems(offering.kind, offering.instrumentCode ? 'instrument' : 'lab', offering.sampleForm, offering.prices)) {
      context.addIssue({ code: 'custom', path: problem.path.split('.'), message: problem.message });
    }
  });

const seedServiceRequestSchema = z.strictObject({
  code: z.string().min(1),
  offeringCode: z.string().min(1),
  /** A demo researcher's platform username, e.g. `researcher-3`. */
  requesterUsername: z.string().min(1),
  requesterName: z.string().min(1),
  category: z.enum(CUSTOMER_CATEGORIES),
  /** Every status the request went through, the last being its current one. */
  statuses: z.array(z.enum(SERVICE_REQUEST_STATUSES)).min(1),
  sampleCount: z.number().int().min(1).max(1000),
  formValues: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  description: z.string().min(5),
  /** Days after submission the result is needed by. */
  neededInDays: z.number().int().min(1),
  /** The quote, in fen, for requests that were quoted. */
  quoteFen: z.number().int().positive().nullable(),
  submittedDaysAgo: z.number().int().min(1).max(60),
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

/**
 * A voucher payment across the border the demo starts with: both provinces' seeds list it under one code, and each
 * writes its own side only — the serving province its redemption and the charge's paid part, the issuer its captured
 * hold and the voucher's balance — so the two settlement reports agree from the first start.
 */
const seedVoucherPaymentSchema = z.strictObject({
  code: z.string().min(1),
  issuer: z.enum(PROVINCE_KEYS),
  voucherCode: z.string().min(1),
  holderUsername: z.string().min(1),
  servingProvince: z.enum(PROVINCE_KEYS),
  /** The serving province's service request whose charge the voucher paid part of (REPORT_ISSUED or after). */
  serviceRequestCode: z.string().min(1),
  /** What that charge comes to (the request's quote), in fen. */
  chargeAmountFen: z.number().int().min(1).max(1_000_000_000),
  amountFen: z.number().int().min(1).max(1_000_000_000),
  /** Captured at 10:00 China time this many days before the seeding day. */
  capturedDaysAgo: z.number().int().min(1).max(60),
}).refine((payment) => payment.issuer !== payment.servingProvince, { message: 'a payment across the border is served by the other province', path: ['servingProvince'] })
  .refine((payment) => payment.amountFen <= payment.chargeAmountFen, { message: 'must not be more than chargeAmountFen', path: ['amountFen'] });

const seedClientGrantSchema = z.strictObject({
  /** A partner client the platform's demo registers (subgraphs/platform/src/seeds/demoAccounts.json). */
  clientId: z.string().min(1),
  scopes: z.array(z.enum(PARTNER_SCOPES)).min(1),
  /** The recognition items the client delivers (a hospital: MEDICAL_GREEN_CHANNEL); with card:verify only. */
  recognitionItems: z.array(z.enum(RECOGNITION_ITEM_CODES)).default([]),
}).refine((grant) => grant.recognitionItems.length === 0 || grant.scopes.includes('card:verify'), 'recognitionItems go with the scope card:verify');

const tierCode = z.enum(['A', 'B', 'C', 'D']);
const allTiers = (codes: readonly string[]) => codes.length === 4 && new Set(codes).size === 4;

/** The province's own names for its four tier codes, and how it counts the partner's tiers (each once). */
const seedTierSchemeSchema = z.strictObject({
  tiers: z.array(z.strictObject({ code: tierCode, name: z.string().min(2).max(100), nameZh: z.string().min(1).max(100) }))
    .refine((tiers) => allTiers(tiers.map((tier) => tier.code)), 'name each of the tiers A, B, C and D once'),
  partnerMapping: z.array(z.strictObject({ partnerTier: tierCode, ownTier: tierCode }))
    .refine((rows) => allTiers(rows.map((row) => row.partnerTier)), 'map each of the partner\'s tiers A, B, C and D once'),
});

const uniqueCodes = (rows: readonly { code: string }[]) => new Set(rows.map((row) => row.code)).size === rows.length;

export const provinceSeedSchema = z.strictObject({
  province: z.enum(PROVINCE_KEYS),
  categories: z.array(seedCategorySchema),
  labs: z.array(seedLabSchema).refine(uniqueCodes, 'lab codes must be unique'),
  instruments: z.array(seedInstrumentSchema).refine(uniqueCodes, 'instrument codes must be unique'),
  talentCards: z.array(seedTalentCardSchema),
  /** This province's tier scheme and its mapping from the partner's tiers. */
  tierScheme: seedTierSchemeSchema,
  /** What this province grants to holders of the PARTNER province's card. */
  recognitionCatalog: z.array(seedRecognitionSchema).refine(uniqueCodes, 'recognition codes must be unique'),
  /** Booking rules and qualifications of the demo. */
  usage: z.strictObject({ bookingRules: z.array(seedBookingRulesSchema), qualifications: z.array(seedQualificationSchema) }).optional(),
  /** What the province offers with its instruments and labs, and requests made for it. */
  offerings: z.array(seedOfferingSchema).refine(uniqueCodes, 'offering codes must be unique'),
  serviceRequests: z.array(seedServiceRequestSchema).refine(uniqueCodes, 'service request codes must be unique'),
  /** Innovation vouchers this province issued to demo users. */
  /** What this province grants each demo partner client for its own data. */
  clientGrants: z.array(seedClientGrantSchema).refine((rows) => new Set(rows.map((row) => row.clientId)).size === rows.length, 'one grant per client'),
  vouchers: z.array(seedVoucherSchema).refine(uniqueCodes, 'voucher codes must be unique'),
  /** Voucher payments across the border this province issued the voucher for or served. */
  voucherPayments: z.array(seedVoucherPaymentSchema).refine(uniqueCodes, 'voucher payment codes must be unique'),
});

export type SeedCategory = z.infer<typeof seedCategorySchema>;
export type SeedLab = z.infer<typeof seedLabSchema>;
export type SeedInstrument = z.infer<typeof seedInstrumentSchema>;
export type SeedTalentCard = z.infer<typeof seedTalentCardSchema>;
export type SeedRecognition = z.infer<typeof seedRecognitionSchema>;
export type SeedVoucher = z.infer<typeof seedVoucherSchema>;
export type SeedVoucherPayment = z.infer<typeof seedVoucherPaymentSchema>;
export type ProvinceSeed = z.infer<typeof provinceSeedSchema>;
export type SeedOffering = z.infer<typeof seedOfferingSchema>;
export type SeedServiceRequest = z.infer<typeof seedServiceRequestSchema>;
export type SeedClientGrant = z.infer<typeof seedClientGrantSchema>;
