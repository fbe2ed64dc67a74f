import { gateway, tokenFor } from '../../support/system';

/**
 * The figures the dashboard shows, asked of the API directly for the period
 * the page sent: the tests' own query, independent of the page's. It counts
 * instruments through the list (`instruments`) too, not only through `stats`.
 */

export interface CountByKey { key: string; count: number }
export interface Figures {
  instruments: { totalCount: number };
  retiredInstruments: { totalCount: number };
  categories: { code: string; nameEn: string; nameZh: string }[];
  stats: {
    instruments: number;
    labs: number;
    jointLabs: number;
    recognitionsGranted: number;
    instrumentsByCategory: CountByKey[];
    bookingsPerDay: { day: string; bookings: number; bookedHours: number; usedHours: number }[];
    utilisationByCategory: { category: string; bookedHours: number; usedHours: number; openHours: number; utilisation: number }[];
    talentCardsByTier: CountByKey[];
    talentCardsByStatus: CountByKey[];
    serviceRequestsByStatus: CountByKey[];
    serviceTurnaround: { reportsIssued: number; averageDays: number | null };
    incomeByOfferingKind: { key: string; amountFen: string }[];
    vouchersIssued: number;
    voucherIssuedTotalFen: string;
    voucherCapturedTotalFen: string;
    voucherRedeemedAcrossBorderTotalFen: string;
  };
  evaluation: { total: { effectiveHours: number; externalServiceHours: number; otherProvinceServiceHours: number; usersServed: number; institutionsServed: number; noShows: number; averageRating: number | null } };
  recognitionCatalog: { code: string; minimumTier: string }[];
  labs: { id: string; name: string; nameZh: string; instruments: ({ __typename: string; nameZh: string } | null)[] }[];
}
export type ProvinceKey = 'sichuan' | 'chongqing';
export type Answer = Record<ProvinceKey, Figures | null>;
/** The variables of the page's request: the period, [from, to). */
export interface Variables { from: string; to: string }

const FIGURES = `
  instruments(filter: { category: $category }, first: 1) { totalCount }
  retiredInstruments: instruments(filter: { category: $category, status: RETIRED }, first: 1) { totalCount }
  categories { code nameEn nameZh }
  stats(from: $from, to: $to) {
    instruments labs jointLabs recognitionsGranted
    instrumentsByCategory { key count }
    bookingsPerDay { day bookings bookedHours usedHours }
    utilisationByCategory { category bookedHours usedHours openHours utilisation }
    talentCardsByTier { key count }
    talentCardsByStatus { key count }
    serviceRequestsByStatus { key count }
    serviceTurnaround { reportsIssued averageDays }
    incomeByOfferingKind { key amountFen }
    vouchersIssued voucherIssuedTotalFen voucherCapturedTotalFen voucherRedeemedAcrossBorderTotalFen
  }
  evaluation(from: $from, to: $to) { total { effectiveHours externalServiceHours otherProvinceServiceHours usersServed institutionsServed noShows averageRating } }
  recognitionCatalog { code minimumTier }
  labs(jointOnly: true) { id name nameZh instruments { __typename ... on SichuanInstrument { nameZh } ... on ChongqingInstrument { nameZh } } }`;
const API_QUERY = `query Check($from: DateTime!, $to: DateTime!, $category: String) { sichuan { ${FIGURES} } chongqing { ${FIGURES} } }`;

export const PROVINCES: readonly ProvinceKey[] = ['sichuan', 'chongqing'];
export const OWN_TYPE: Record<ProvinceKey, string> = { sichuan: 'SichuanInstrument', chongqing: 'ChongqingInstrument' };
export const TIERS = ['A', 'B', 'C', 'D'];

export const count = (rows: CountByKey[], key: string) => rows.find((row) => row.key === key)?.count ?? 0;
export const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The same question the page asked, sent straight to the API; `category` narrows the instrument lists. */
export async function askApi(variables: Variables, category: string | null = null): Promise<{ answer: Answer; errors: unknown[] }> {
  const { body } = await gateway<Answer>(API_QUERY, { variables: { from: variables.from, to: variables.to, category }, token: await tokenFor('li.wei') });
  if (!body.data) throw new Error(`the API gave no data: ${JSON.stringify(body.errors)}`);
  return { answer: body.data, errors: body.errors ?? [] };
}

