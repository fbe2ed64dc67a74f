import { CATEGORY_WORDS } from '../data/vocabulary';
/** The operations the benchmark sends: what a dashboard and a partner system ask for. */

const STATS_FIELDS = `
  instruments
  instrumentsByCategory { key count }
  instrumentsByStatus { key count }
  bookingsByStatus { key count }
  bookingsPerDay { day bookings bookedHours }
  utilisationByCategory { category bookedHours openHours utilisation }
  talentCardsByTier { key count }
  talentCardsByStatus { key count }
  recognitionsGranted
  labs
  jointLabs`;

/** (1) Both provinces' dashboard figures in one request, over the period the dashboard page asks for (whole UTC+8 days). */
const EVALUATION_FIELDS = `instrumentCount
      total { effectiveHours externalServiceHours otherProvinceServiceHours usersServed noShows averageRating }
      institutions { institution instruments figures { effectiveHours externalServiceHours usersServed averageRating } }`;

const EVALUATION_INSTRUMENT_PAGE = `edges { node { assetCode name institution figures { effectiveHours externalServiceHours otherProvinceServiceHours uses usersServed
      institutionsServed noShows lateCancellations ratings averageRating serviceRequests samples incomeFen } } }
    pageInfo { hasNextPage endCursor }`;

/** The evaluation's annual view of both provinces: per institution and in total, which read no instrument's row. */
export const EVALUATION = `query Evaluation($from: DateTime!, $to: DateTime!) {
  sichuan { evaluation(from: $from, to: $to) { ${EVALUATION_FIELDS} } }
  chongqing { evaluation(from: $from, to: $to) { ${EVALUATION_FIELDS} } }
}`;

/** One page of 100 instruments of each province's annual evaluation, with every figure: what the export asks page after page. */
export const EVALUATION_PAGE = `query EvaluationPage($from: DateTime!, $to: DateTime!) {
  sichuan { evaluation(from: $from, to: $to) { instruments(first: 100) { ${EVALUATION_INSTRUMENT_PAGE} } } }
  chongqing { evaluation(from: $from, to: $to) { instruments(first: 100) { ${EVALUATION_INSTRUMENT_PAGE} } } }
}`;

export const DASHBOARD = `query Dashboard($from: DateTime!, $to: DateTime!) {
  sichuan { stats(from: $from, to: $to) { ${STATS_FIELDS} } }
  chongqing { stats(from: $from, to: $to) { ${STATS_FIELDS} } }
}`;

const SEARCH_SELECTION = `instruments(filter: { category: $category, keyword: $keyword }, first: 20) {
      edges { cursor node { id name model manufacturer institution hourlyFee bookable lab { name } } }
      pageInfo { hasNextPage endCursor }
    }`;

/** (2) Keyword and category search in both provinces, first page of 20. */
export const SEARCH_BOTH = `query SearchBoth($category: String!, $keyword: String!) {
  sichuan { ${SEARCH_SELECTION} }
  chongqing { ${SEARCH_SELECTION} }
}`;

/** (6) The same search in one province: sent through the gateway and straight to the Sichuan subgraph. */
export const SEARCH_SICHUAN = `query SearchSichuan($category: String!, $keyword: String!) {
  sichuan { ${SEARCH_SELECTION} }
}`;

const JOINT_LAB_SELECTION = `id name jointlyBuilt partnerProvince
    instruments {
      __typename id province name category
      ... on SichuanInstrument { institution hourlyFee }
      ... on ChongqingInstrument { institution hourlyFee }
    }`;

/** (3) A joint lab with its own and the partner's instruments (entity fetches to both provinces). */
export const JOINT_LAB = `query JointLab($id: ID!) {
  lab(id: $id) {
    ${JOINT_LAB_SELECTION}
  }
}`;

/**
 * The same for a Sichuan joint lab, asked of Sichuan itself rather than routed by the platform's `lab(id)`: Sichuan
 * answers the lab and its own instruments, Chongqing the partner's (entity fetches). The Hive Gateway comparison
 * sends this one: Hive Gateway 2.15.1 cannot plan the platform's `lab(id)` on this supergraph (see bench/README.md).
 */
export const SICHUAN_JOINT_LAB = `query SichuanJointLab($id: ID!) {
  sichuan {
    lab(id: $id) {
      ${JOINT_LAB_SELECTION}
    }
  }
}`;

/** (4) Any instrument by its global id, routed to its owner. */
export const INSTRUMENT_BY_ID = `query InstrumentById($id: ID!) {
  instrument(id: $id) {
    __typename id province name category
    ... on SichuanInstrument { model institution hourlyFee openFromHour openToHour lab { name } }
    ... on ChongqingInstrument { model institution hourlyFee openFromHour openToHour lab { name } }
  }
}`;

/** (5) A Sichuan researcher books a Chongqing instrument. */
export const BOOK = `mutation Book($instrumentId: ID!, $start: DateTime!, $end: DateTime!, $purpose: String!, $key: String!) {
  bookChongqingInstrument(instrumentId: $instrumentId, start: $start, end: $end, purpose: $purpose, idempotencyKey: $key) {
    id status start end
  }
}`;

/** (8) A Sichuan researcher asks Chongqing for sample testing: the form checked, the price snapshot recorded, idempotently. */
export const REQUEST_SERVICE = `mutation RequestService($input: ServiceRequestInput!) {
  submitChongqingServiceRequest(input: $input) { id status priceSnapshot { category unitFen estimateFen } }
}`;

export const ISSUE_SICHUAN_VOUCHER = `mutation IssueVoucher($input: IssueVoucherInput!) { issueSichuanVoucher(input: $input) { id } }`;

/** One voucher payment across the border: Chongqing records it, reserves on Sichuan through the gateway, captures. */
export const PAY_WITH_VOUCHER = `mutation PayWithVoucher($chargeRef: String!, $chargeAmountFen: Int!, $voucherId: ID!, $amountFen: Int!, $idempotencyKey: String!) {
  payChongqingChargeWithVoucher(chargeRef: $chargeRef, chargeAmountFen: $chargeAmountFen, voucherId: $voucherId, amountFen: $amountFen, idempotencyKey: $idempotencyKey) { id state }
}`;

export const LOGIN = `mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) { token }
}`;

/**
 * The searches the search scenarios send in turn: each category with each word (three letters or more) of its
 * instruments' names, manufacturers and models, as the generator uses them (159 searches). Different searches,
 * as partner systems send, and more of them than connections: requests in flight at once are never identical,
 * so the gateway's query deduplication does not flatter the search figures or the gateway overhead ratio.
 */
export const SEARCHES: readonly { readonly category: string; readonly keyword: string }[] = CATEGORY_WORDS.flatMap(({ code, names, models }) => {
  const texts = [...names.map(([name]) => name), ...models.flatMap(([manufacturer, model]) => [manufacturer, model])];
  const words = new Set(texts.flatMap((text) => text.toLowerCase().split(/[\s,()]+/)).filter((word) => word.length >= 3));
  return [...words].map((keyword) => ({ category: code, keyword }));
});
