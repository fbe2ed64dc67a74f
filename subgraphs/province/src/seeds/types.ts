/**
 * Shape of a province's demo data. Seeds are plain data: the two provinces'
 * files differ in content only, and one loader (`seedProvince`) writes either.
 * Cross-province references use the partner's seed codes; the loader turns
 * them into the partner's global ids with `stableUuid`, so neither province
 * reads the other's database.
 */
import type { ProvinceKey } from '../../../../shared/src/provinces';

import type { InstrumentService, InstrumentStatus, LabLevel, TalentCardStatus, TalentTier } from '../domain/registryTypes';

export interface SeedCategory {
  /** Stable code used in filters, e.g. `GENE_SEQUENCER`. */
  code: string;
  nameEn: string;
  nameZh: string;
}

export interface SeedLab {
  /** Stable seed key, unique within the province, e.g. `SC-LAB-01`. */
  code: string;
  name: string;
  nameZh: string;
  institution: string;
  city: string;
  level: LabLevel;
  jointlyBuilt: boolean;
  /** Partner-province institutions for joint labs (empty otherwise). */
  partnerInstitutions: string[];
  /** Seed codes of the PARTNER province's instruments this joint lab shares (empty otherwise). */
  partnerInstrumentCodes: string[];
  description: string;
}

export interface SeedInstrument {
  /** Stable seed key and asset number, unique within the province, e.g. `SC-SEQ-001`. */
  code: string;
  name: string;
  nameZh: string;
  /** A `SeedCategory.code`. */
  category: string;
  model: string;
  manufacturer: string;
  institution: string;
  /** A `SeedLab.code` of the same province, or null for instruments outside a lab. */
  labCode: string | null;
  location: string;
  status: InstrumentStatus;
  openForSharing: boolean;
  /** Fee per hour in yuan (CNY) for external users. */
  hourlyFeeYuan: number;
  services: InstrumentService[];
  /** Opening hours for bookings, local time, whole hours: e.g. 9 and 17. */
  openFromHour: number;
  openToHour: number;
  description: string;
}

export interface SeedTalentCard {
  cardNumber: string;
  tier: TalentTier;
  holderName: string;
  /** Platform username of the holder when they have an account (demo users), else null. */
  holderUsername: string | null;
  field: string;
  employer: string;
  /** ISO dates (YYYY-MM-DD). */
  issuedOn: string;
  validUntil: string;
  status: TalentCardStatus;
}

export interface SeedRecognition {
  /** One of the eight mutually recognised item codes (see RECOGNITION_ITEM_CODES). */
  code: string;
  name: string;
  nameZh: string;
  /** Who delivers the service in this province. */
  provider: string;
  /** Lowest card tier (A is highest) that qualifies. */
  minimumTier: TalentTier;
  howToApply: string;
}

export interface ProvinceSeed {
  province: ProvinceKey;
  categories: SeedCategory[];
  labs: SeedLab[];
  instruments: SeedInstrument[];
  talentCards: SeedTalentCard[];
  /** What this province grants to holders of the PARTNER province's card. */
  recognitionCatalog: SeedRecognition[];
}

/** The eight item codes live with the domain (catalogue mutations check them too); re-exported for seed files. */
export { RECOGNITION_ITEM_CODES } from '../domain/registryTypes';
