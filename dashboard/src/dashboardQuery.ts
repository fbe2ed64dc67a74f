/**
 * The one request the dashboard sends per refresh: both provinces' figures
 * through the gateway, as any partner system would ask for them. Each
 * province's registry is nullable, so when one province is down the answer
 * keeps the other's figures (and carries an error for the missing part).
 */

/** The same selection for both registries; GraphQL needs one fragment per province-typed registry. */
const figures = (registry: 'SichuanRegistry' | 'ChongqingRegistry') => `
fragment ${registry}Figures on ${registry} {
  province
  name
  nameZh
  categories { code nameEn nameZh }
  # The category filter needs nothing of its own: it picks rows of instrumentsByCategory and utilisationByCategory.
  stats(from: $from, to: $to) {
    from
    to
    instruments
    labs
    jointLabs
    recognitionsGranted
    instrumentsByCategory { key count }
    bookingsPerDay { day bookings bookedHours usedHours }
    utilisationByCategory { category bookedHours usedHours openHours utilisation }
    talentCardsByTier { key count }
    talentCardsByStatus { key count }
    serviceRequestsByStatus { key count }
    serviceTurnaround { reportsIssued averageDays }
    incomeByOfferingKind { key amountFen }
    vouchersIssued
    voucherIssuedTotalFen
    voucherCapturedTotalFen
    voucherRedeemedAcrossBorderTotalFen
  }
  # The open-sharing evaluation of the same period, from actual use: with 365 days, the annual view.
  evaluation(from: $from, to: $to) {
    total { effectiveHours externalServiceHours otherProvinceServiceHours usersServed institutionsServed noShows averageRating }
  }
  recognitionCatalog { code name nameZh provider minimumTier }
  labs(jointOnly: true) {
    id
    name
    nameZh
    city
    partnerProvince
    instruments {
      __typename
      ... on SichuanInstrument { id name nameZh category }
      ... on ChongqingInstrument { id name nameZh category }
    }
  }
}`;

export const DASHBOARD_QUERY = `query Dashboard($from: DateTime!, $to: DateTime!) {
  sichuan { ...SichuanRegistryFigures }
  chongqing { ...ChongqingRegistryFigures }
}
${figures('SichuanRegistry')}
${figures('ChongqingRegistry')}`;

export interface DashboardVariables {
  readonly from: string;
  readonly to: string;
}

export type ProvinceCode = 'SICHUAN' | 'CHONGQING';
export type TalentTier = 'A' | 'B' | 'C' | 'D';

export interface CountByKey {
  readonly key: string;
  readonly count: number;
}

export interface Category {
  readonly code: string;
  readonly nameEn: string;
  readonly nameZh: string;
}

export interface ProvinceStats {
  readonly from: string;
  readonly to: string;
  readonly instruments: number;
  readonly labs: number;
  readonly jointLabs: number;
  readonly recognitionsGranted: number;
  readonly instrumentsByCategory: readonly CountByKey[];
  readonly bookingsPerDay: readonly { day: string; bookings: number; bookedHours: number; usedHours: number }[];
  /** Utilisation is actual use (usedHours) over opening hours; bookedHours is what was booked. */
  readonly utilisationByCategory: readonly { category: string; bookedHours: number; usedHours: number; openHours: number; utilisation: number }[];
  readonly talentCardsByTier: readonly CountByKey[];
  readonly talentCardsByStatus: readonly CountByKey[];
  /** Service requests submitted in the period, by status now. */
  readonly serviceRequestsByStatus: readonly CountByKey[];
  readonly serviceTurnaround: { readonly reportsIssued: number; readonly averageDays: number | null };
  /** Fen as decimal strings. */
  readonly incomeByOfferingKind: readonly { key: string; amountFen: string }[];
  /** Innovation vouchers the province issued in the period, and fen of its vouchers issued, captured (anywhere) and captured in the partner province. */
  readonly vouchersIssued: number;
  /** Fen as decimal strings: a year of a province's vouchers passes a GraphQL Int. */
  readonly voucherIssuedTotalFen: string;
  readonly voucherCapturedTotalFen: string;
  readonly voucherRedeemedAcrossBorderTotalFen: string;
}

/** The evaluation's province totals over the period (actual use, check-in to check-out). */
export interface EvaluationTotal {
  readonly effectiveHours: number;
  readonly externalServiceHours: number;
  readonly otherProvinceServiceHours: number;
  readonly usersServed: number;
  readonly institutionsServed: number;
  readonly noShows: number;
  readonly averageRating: number | null;
}

export interface RecognizedService {
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
  readonly provider: string;
  readonly minimumTier: TalentTier;
}

export interface LabInstrument {
  readonly __typename: 'SichuanInstrument' | 'ChongqingInstrument';
  readonly id: string;
  readonly name: string;
  readonly nameZh: string;
  readonly category: string;
}

export interface JointLab {
  readonly id: string;
  readonly name: string;
  readonly nameZh: string;
  readonly city: string;
  readonly partnerProvince: ProvinceCode | null;
  /** An item is null when its owner could not answer. */
  readonly instruments: readonly (LabInstrument | null)[];
}

export interface RegistryFigures {
  readonly province: ProvinceCode;
  readonly name: string;
  readonly nameZh: string;
  readonly categories: readonly Category[];
  readonly stats: ProvinceStats;
  readonly evaluation: { readonly total: EvaluationTotal };
  readonly recognitionCatalog: readonly RecognizedService[];
  readonly labs: readonly JointLab[];
}

export interface DashboardData {
  readonly sichuan: RegistryFigures | null;
  readonly chongqing: RegistryFigures | null;
}
