import { createHash } from 'node:crypto';
import type { BodySource } from '../load/runLoad';
import { completeDaysBefore } from '../../dashboard/src/period';
import { chinaMidnight, DAY_MS, PROVINCES } from '../../shared/src';
import { BOOK, DASHBOARD, EVALUATION, EVALUATION_PAGE, INSTRUMENT_BY_ID, JOINT_LAB, PAY_WITH_VOUCHER, REQUEST_SERVICE, SEARCH_BOTH, SEARCH_SICHUAN, SEARCHES, SICHUAN_JOINT_LAB } from './operations';
import type { VoucherPaymentInputs } from './voucherInputs';

/** What the dashboard page asks for by default: the last 30 complete calendar days in China time. */
const dashboardPeriod = () => {
  const { from, to } = completeDaysBefore(new Date(), 30);
  return { from, to };
};

/** The evaluation's annual view: the 365 complete calendar days in China time before today. */
export const annualPeriod = () => {
  const { from, to } = completeDaysBefore(new Date(), 365);
  return { from, to };
};

export type ScenarioKey =
  'dashboard' | 'evaluation' | 'evaluationPage' | 'search' | 'jointLab' | 'globalId' | 'booking' | 'searchGateway' | 'searchDirect' | 'serviceRequest' | 'voucher';

export interface Scenario {
  readonly key: ScenarioKey;
  readonly title: string;
  /** Which server the load goes to. */
  readonly target: 'gateway' | 'sichuan';
  readonly operation: string;
  /** Sent with every request (a bearer token for the booking); read when a run starts. */
  readonly headers: () => Readonly<Record<string, string>>;
  readonly body: BodySource;
  /** Runs only at these many connections or fewer (all the run's counts when absent). */
  readonly maxConnections?: number;
}

/** A bookable instrument of the partner province and the local hour it opens. */
export interface BookableInstrument {
  readonly id: string;
  readonly openFromHour: number;
}

/** An offering a service request can be sent for, with a value for each field of its form. */
export interface RequestableOffering {
  readonly id: string;
  readonly formValues: readonly { name: string; value: string }[];
}

export interface ScenarioInputs {
  /** Bearer token of the researcher who books, asked for at each request (access tokens are short-lived). */
  readonly researcherToken: () => string;
  /** Global ids of joint labs that list partner instruments. */
  readonly jointLabIds: readonly string[];
  /** Global ids of instruments of both provinces. */
  readonly instrumentIds: readonly string[];
  readonly bookable: readonly BookableInstrument[];
  /** The offering the service-request scenario asks for; the scenario is left out without one. */
  readonly serviceOffering: RequestableOffering | null;
  /** What the voucher scenario pays with and for; the scenario is left out without it. */
  readonly voucherPayments: VoucherPaymentInputs | null;
  /** First local day (from today, UTC+8) the booking scenario uses: after every generated booking. */
  readonly firstBookingDay: number;
  /** Makes idempotency keys unique to this run. */
  readonly runId: string;
  /** Send the SHA-256 of each query instead of its text (automatic persisted queries). */
  readonly persistedQueries: boolean;
}

const HOUR_MS = 3_600_000;

/** Every scenario of the suite, in the order the issue lists them. */
export function createScenarios(inputs: ScenarioInputs): Scenario[] {
  const request = requestBuilder(inputs.persistedQueries);
  const rotate = <T>(items: readonly T[]) => {
    if (items.length === 0) throw new Error('a scenario has nothing to rotate through: is the data generated?');
    let next = 0;
    return () => items[next++ % items.length]!;
  };
  const nextLab = rotate(inputs.jointLabIds);
  const nextSlot = bookingSlots(inputs.bookable, inputs.firstBookingDay);
  let bookingNumber = 0;
  let requestNumber = 0;
  const offering = inputs.serviceOffering;
  const vouchers = inputs.voucherPayments;
  let paymentNumber = 0;
  const neededBy = new Date(Date.now() + 60 * DAY_MS).toISOString();

  return [
    { key: 'dashboard', title: 'Dashboard: both provinces\' stats', target: 'gateway', operation: DASHBOARD, headers: () => ({}), body: request(DASHBOARD, dashboardPeriod) },
    { key: 'evaluation', title: 'Annual evaluation report of both provinces: totals and institutions', target: 'gateway', operation: EVALUATION, headers: () => ({}), body: request(EVALUATION, annualPeriod) },
    {
      key: 'evaluationPage', title: 'Annual evaluation report of both provinces: a page of 100 instruments each', target: 'gateway', operation: EVALUATION_PAGE,
      headers: () => ({}), body: request(EVALUATION_PAGE, annualPeriod),
    },
    createSearchScenario(inputs.persistedQueries),
    { key: 'jointLab', title: 'Joint lab with its cross-province instruments', target: 'gateway', operation: JOINT_LAB, headers: () => ({}), body: request(JOINT_LAB, () => ({ id: nextLab() })) },
    createGlobalIdScenario(inputs.instrumentIds, inputs.persistedQueries),
    {
      key: 'booking',
      title: 'Booking requests on distinct slots',
      target: 'gateway',
      operation: BOOK,
      headers: () => ({ authorization: `Bearer ${inputs.researcherToken()}` }),
      body: request(BOOK, () => {
        const slot = nextSlot();
        bookingNumber += 1;
        return { ...slot, purpose: 'Benchmark booking request', key: `bench-${inputs.runId}-${bookingNumber}` };
      }),
    },
    ...(offering
      ? [{
          key: 'serviceRequest' as const,
          title: 'Service requests for sample testing across the border',
          target: 'gateway' as const,
          operation: REQUEST_SERVICE,
          headers: () => ({ authorization: `Bearer ${inputs.researcherToken()}` }),
          body: request(REQUEST_SERVICE, () => {
            requestNumber += 1;
            return {
              input: {
                offeringId: offering.id, formValues: offering.formValues, sampleCount: 1 + (requestNumber % 24), neededBy,
                description: 'Benchmark service request', idempotencyKey: `bench-${inputs.runId}-request-${requestNumber}`,
              },
            };
          }),
        }]
      : []),
    ...(vouchers
      ? [{
          key: 'voucher' as const,
          title: 'Voucher payments across the border: Chongqing charges paid with Sichuan vouchers (reserve on Sichuan, capture)',
          target: 'gateway' as const,
          operation: PAY_WITH_VOUCHER,
          // A payment is nested work: the gateway calls Chongqing, which calls the gateway twice (reserve, capture) to
          // reach Sichuan. At 50 connections on the 2-core bench machine these answers outlasted the gateway's subgraph
          // timeout and Chongqing's circuit opened (689 errors in 721 requests, bench of issue 11): measured up to 10.
          maxConnections: 10,
          headers: () => ({ authorization: `Bearer ${inputs.researcherToken()}` }),
          body: request(PAY_WITH_VOUCHER, () => {
            paymentNumber += 1;
            return {
              chargeRef: vouchers.chargeRefs[paymentNumber % vouchers.chargeRefs.length]!, chargeAmountFen: vouchers.chargeAmountFen,
              voucherId: vouchers.voucherIds[paymentNumber % vouchers.voucherIds.length]!, amountFen: vouchers.paymentFen,
              idempotencyKey: `bench-${inputs.runId}-voucher-${paymentNumber}`,
            };
          }),
        }]
      : []),
    { key: 'searchGateway', title: 'Sichuan search through the gateway', target: 'gateway', operation: SEARCH_SICHUAN, headers: () => ({}), body: request(SEARCH_SICHUAN, nextSearch()) },
    { key: 'searchDirect', title: 'Sichuan search straight to the Sichuan subgraph', target: 'sichuan', operation: SEARCH_SICHUAN, headers: () => ({}), body: request(SEARCH_SICHUAN, nextSearch()) },
  ];
}

/** The searches of SEARCHES in turn, from the first, for one scenario. */
function nextSearch(): () => object {
  let n = 0;
  return () => SEARCHES[n++ % SEARCHES.length]!;
}

/** (2) The two-province search, also the scaling series' scenario (it needs no generated ids). */
export function createSearchScenario(persistedQueries: boolean): Scenario {
  return {
    key: 'search',
    title: 'Search by keyword and category in both provinces, first 20',
    target: 'gateway',
    operation: SEARCH_BOTH,
    headers: () => ({}),
    body: requestBuilder(persistedQueries)(SEARCH_BOTH, nextSearch()),
  };
}

/**
 * Sichuan's joint labs in turn, each with its own and Chongqing's instruments, asked of Sichuan (the Hive Gateway
 * comparison's scenario): the gateway fetches the lab from Sichuan, then the partner's instruments from Chongqing.
 */
export function createSichuanJointLabScenario(jointLabIds: readonly string[]): Scenario {
  const sichuanLabs = jointLabIds.filter((id) => id.startsWith(`${PROVINCES.sichuan.idPrefix}:`));
  const title = "Sichuan joint lab with its own and Chongqing's instruments (asked of Sichuan, entity fetches to Chongqing)";
  return byIdScenario('jointLab', title, SICHUAN_JOINT_LAB, sichuanLabs, false);
}

/** (4) Instruments by global id in turn, also the scaling series' second scenario (with ids spread over every size). */
export function createGlobalIdScenario(instrumentIds: readonly string[], persistedQueries: boolean): Scenario {
  return byIdScenario('globalId', 'Instrument by global id', INSTRUMENT_BY_ID, instrumentIds, persistedQueries);
}

/** An operation of one `$id` sent with each of `ids` in turn. */
function byIdScenario(key: ScenarioKey, title: string, operation: string, ids: readonly string[], persistedQueries: boolean): Scenario {
  if (ids.length === 0) throw new Error(`the scenario "${title}" has no id to send: is the data generated?`);
  let next = 0;
  return { key, title, target: 'gateway', operation, headers: () => ({}), body: requestBuilder(persistedQueries)(operation, () => ({ id: ids[next++ % ids.length]! })) };
}

/** A JSON body per request; with persisted queries, only the query's hash (the runner registers each query first). */
function requestBuilder(persistedQueries: boolean) {
  return (query: string, variables: () => object): BodySource => {
    const operationName = /^(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    const extensions = persistedQueries ? { persistedQuery: { version: 1, sha256Hash: sha256(query) } } : undefined;
    return () => JSON.stringify({ operationName, variables: variables(), ...(extensions ? { extensions } : { query }) });
  };
}

/** The body that registers a persisted query: its text and its hash together. */
export function registrationBody(query: string, variables: object): string {
  const operationName = /^(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
  return JSON.stringify({ operationName, query, variables, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One hour at opening time on a different instrument each request, then the
 * next local day once every instrument has had one: no two requests can
 * overlap, so any failure is the system's, not the benchmark's.
 */
function bookingSlots(bookable: readonly BookableInstrument[], firstDay: number) {
  const todayStart = chinaMidnight(new Date()).getTime();
  let n = 0;
  return () => {
    if (bookable.length === 0) throw new Error('no bookable instrument to book');
    const instrument = bookable[n % bookable.length]!;
    const day = firstDay + Math.floor(n / bookable.length);
    n += 1;
    const start = todayStart + day * DAY_MS + instrument.openFromHour * HOUR_MS;
    return { instrumentId: instrument.id, start: new Date(start).toISOString(), end: new Date(start + HOUR_MS).toISOString() };
  };
}
