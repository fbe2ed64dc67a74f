import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { DELEGABLE_SCOPES, PROVINCES, PROVINCE_KEYS, seededUserId, type ProvinceKey } from '../../shared/src';
import { renderPlatformSchema } from '../../subgraphs/platform/src';
import { renderProvinceSchema } from '../../subgraphs/province/src';
import { DEMO_SEEDS } from '../support/demoData';
import { CALLERS, CallerTokens, createPartnerClient, delegatedTokenOf, grantScopes, type Caller, type TestPartnerClient } from '../support/callers';
import {
  ADMIN_OF, SlotAllocator, auditCount, book, closePools, createInstrument, createLab, endedConfirmedBooking, issueCard, localIdOf,
  newKey, rowState, sql,
} from '../support/registryFixtures';
import { asGateway, gateway, graphql, testSystem, tokenFor, type GraphQLResponse } from '../support/system';
import { chargeFor } from '../support/chargeFixtures';
import { issueVoucher } from '../support/voucherFixtures';
import { createUser } from '../support/throwawayIdentities';

/*
 * Issue #4, the role matrix: every kind of caller × every sensitive operation,
 * through the gateway AND straight at the subgraph that owns the operation
 * (entity-only fields through `_entities`, as the gateway itself asks). Each
 * cell is data: the outcome a caller must get ('ok', UNAUTHENTICATED or
 * FORBIDDEN). Inputs are valid, so the caller is the only reason to refuse.
 * A refused write must leave its record exactly as it was; an allowed write
 * must change it, and works on a record created for that one cell.
 */

type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN';
type Target = 'gateway' | 'platform' | ProvinceKey;
type Prepared = Record<string, any>;

interface Route {
  readonly target: Target;
  readonly query: string;
  readonly variables: (prepared: Prepared) => Record<string, unknown>;
  /** What an allowed caller gets: must not be null; a refused caller must get null here. */
  readonly pick: (data: any) => unknown;
  /** Guarded coordinates this route passes through besides the operation's own (a client's way to another's record). */
  readonly via?: readonly string[];
}

interface Operation {
  readonly name: string;
  /** Schema coordinates (fields and types carrying an authorization directive) this operation exercises. */
  readonly covers: readonly string[];
  readonly expected: Readonly<Record<Caller, Outcome>>;
  readonly routes: readonly Route[];
  /** Writes: a fresh record (or fresh input) for every run of a cell. */
  readonly prepare?: () => Promise<Prepared>;
  /** What a refused write leaves unchanged and an allowed write changes. */
  readonly state?: (prepared: Prepared) => Promise<unknown>;
}

const callers = new CallerTokens();

/** Anonymous callers are UNAUTHENTICATED; the `allowed` callers get an answer; every other token is FORBIDDEN. */
function allow(...allowed: Caller[]): Record<Caller, Outcome> {
  return Object.fromEntries(
    CALLERS.map((caller) => [caller, caller === 'anonymous' ? 'UNAUTHENTICATED' : allowed.includes(caller) ? 'ok' : 'FORBIDDEN']),
  ) as Record<Caller, Outcome>;
}
const ANY_TOKEN = CALLERS.filter((caller) => caller !== 'anonymous');

/** Who is who in each province: its admin, the other province's admin, its own researcher, and the researcher visiting from the partner province. */
const PEOPLE: Record<ProvinceKey, { admin: Caller; home: Caller; visitor: Caller }> = {
  sichuan: { admin: 'sc.admin', home: 'li.wei', visitor: 'chen.jing' },
  chongqing: { admin: 'cq.admin', home: 'chen.jing', visitor: 'li.wei' },
};

/** The home researcher's seeded card in each province. */
const homeCard = (province: ProvinceKey) => DEMO_SEEDS[province].talentCards.find((card) => card.holderUsername === PEOPLE[province].home)!;

const urlOf = (target: Target) => (target === 'gateway' ? testSystem().gatewayUrl : testSystem().subgraphUrls[target]);

// ---------- fixtures, made in beforeAll ----------

interface ProvinceFixtures {
  /** An instrument only this file books. */
  instrumentId: string;
  slots: SlotAllocator;
  /** A booking by the visiting researcher, only read here. */
  readBookingId: string;
  /** Global id of the home researcher's card. */
  homeCardId: string;
  /** A voucher of this province held by the home researcher, only read here. */
  voucherId: string;
  /** A sample-testing offering only this file requests. */
  offeringId: string;
  /** A service request by the visiting researcher, only read here. */
  readRequestId: string;
  /** The charge of a completed booking of the visiting researcher, only read here. */
  readChargeId: string;
}
const fixtures = {} as Record<ProvinceKey, ProvinceFixtures>;
/** A partner client that is granted, revoked, suspended and reactivated here, none of the callers. */
let subjectClientId: string;

beforeAll(async () => {
  subjectClientId = (await createPartnerClient(['catalog:read', 'card:verify'])).clientId;
  for (const [index, province] of PROVINCE_KEYS.entries()) {
    const instrumentId = await createInstrument(province, { name: `Role matrix fixture ${randomUUID().slice(0, 8)}` });
    const slots = new SlotAllocator(20 + index * 5);
    const readBookingId = await book(province, await tokenFor(PEOPLE[province].visitor), instrumentId, slots.take());
    const { body } = await gateway(`query($n: String!) { r: ${province} { talentCard(cardNumber: $n) { id } } }`, {
      token: await tokenFor(ADMIN_OF[province]),
      variables: { n: homeCard(province).cardNumber },
    });
    const voucherId = await issueVoucher(testSystem().gatewayUrl, tokenFor, province, { holder: PEOPLE[province].home as string });
    const offeringId = await createRequestableOffering(province, instrumentId);
    const readRequestId = await submitRequest(province, offeringId);
    const completed = await endedConfirmedBooking(province, await tokenFor(PEOPLE[province].visitor), instrumentId, slots.take());
    const { body: done } = await gateway(`mutation($id: ID!) { c: complete${PROVINCES[province].typePrefix}Booking(bookingId: $id) { charge { id } } }`, {
      token: await tokenFor(ADMIN_OF[province]), variables: { id: completed },
    });
    fixtures[province] = {
      instrumentId, slots, readBookingId, homeCardId: body.data.r.talentCard.id, voucherId, offeringId, readRequestId, readChargeId: done.data.c.charge.id,
    };
  }
}, 60_000);

afterAll(closePools);

const EVERY_CATEGORY = ['OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL'].map((category) => ({ category, amountFen: 10_000 }));

async function createRequestableOffering(province: ProvinceKey, instrumentId: string): Promise<string> {
  const { body } = await gateway(`mutation($input: OfferingInput!) { o: create${PROVINCES[province].typePrefix}Offering(input: $input) { id } }`, {
    token: await tokenFor(ADMIN_OF[province]),
    variables: { input: { instrumentId, kind: 'SAMPLE_TESTING', name: 'Role matrix testing', nameZh: '角色矩阵检测', sampleForm: [{ name: 'sample', label: 'Sample', type: 'TEXT' }], prices: EVERY_CATEGORY } },
  });
  if (body.errors) throw new Error(`creating a fixture offering failed: ${JSON.stringify(body.errors)}`);
  return body.data.o.id;
}

/** A request by the province's visiting researcher, put straight into `status` in the province's database (with a valid quote past SUBMITTED). */
async function submitRequest(province: ProvinceKey, offeringId: string, status = 'SUBMITTED'): Promise<string> {
  const { body } = await gateway(`mutation($input: ServiceRequestInput!) { r: submit${PROVINCES[province].typePrefix}ServiceRequest(input: $input) { id } }`, {
    token: await tokenFor(PEOPLE[province].visitor),
    variables: { input: { offeringId, formValues: [{ name: 'sample', value: 'Role matrix sample' }], sampleCount: 1, neededBy: new Date(Date.now() + 30 * 86_400_000).toISOString(), description: 'Role matrix service request', idempotencyKey: newKey() } },
  });
  if (body.errors) throw new Error(`submitting a fixture request failed: ${JSON.stringify(body.errors)}`);
  if (status !== 'SUBMITTED') {
    await sql(province, "UPDATE service_requests SET status = $2, quote_amount_fen = 50000, quote_valid_until = now() + interval '10 days' WHERE id = $1", [localIdOf(body.data.r.id), status]);
  }
  return body.data.r.id;
}

// ---------- the operations ----------

const count = async (province: ProvinceKey, text: string, params: unknown[]) =>
  (await sql<{ n: number }>(province, `SELECT count(*)::int AS n FROM ${text}`, params))[0]!.n;

/** A booking's status, its history length and its audit entries. */
const bookingState = async (province: ProvinceKey, id: string) => ({
  row: await rowState(province, 'bookings', localIdOf(id)),
  events: await count(province, 'booking_events WHERE booking_id = $1', [localIdOf(id)]),
  audit: await auditCount(province, id),
});

const marker = () => `rm${randomUUID().replace(/-/g, '').slice(0, 12)}`;

function provinceOperations(province: ProvinceKey): Operation[] {
  const { typePrefix: P } = PROVINCES[province];
  const partner = PROVINCES[PROVINCES[province].partner];
  const { admin, home, visitor } = PEOPLE[province];
  const fx = () => fixtures[province];
  const both = (route: Omit<Route, 'target'>): Route[] => [{ ...route, target: 'gateway' }, { ...route, target: province }];
  const result = (data: any) => data?.result;
  const registry = (field: string) => (data: any) => data?.r?.[field];

  const bookingTransition = (action: 'confirm' | 'reject' | 'cancel' | 'complete', expected: Record<Caller, Outcome>): Operation => ({
    name: `${action}${P}Booking`,
    covers: [`Mutation.${action}${P}Booking`],
    expected,
    prepare: async () => {
      const requester = await tokenFor(visitor);
      // Every cell books anew for the visitor: earlier cells' bookings are ended here in the database, so the cap on a
      // person's open bookings (MAX_OPEN_BOOKINGS_PER_PERSON) never refuses the fixture, however many callers there are.
      await sql(province, "UPDATE bookings SET status = 'CANCELLED' WHERE instrument_id = $1 AND id <> $2 AND status IN ('REQUESTED', 'CONFIRMED')", [
        localIdOf(fx().instrumentId), localIdOf(fx().readBookingId),
      ]);
      const id = action === 'complete'
        ? await endedConfirmedBooking(province, requester, fx().instrumentId, fx().slots.take())
        : await book(province, requester, fx().instrumentId, fx().slots.take());
      return { id };
    },
    state: ({ id }) => bookingState(province, id),
    routes: both({
      query: `mutation($id: ID!) { result: ${action}${P}Booking(bookingId: $id, ${action === 'reject' ? 'reason' : action === 'cancel' ? 'reason' : 'note'}: "Role matrix check") { id status } }`,
      variables: ({ id }) => ({ id }),
      pick: result,
    }),
  });

  const cardMutation = (name: string, args: string, variables: (card: { id: string }) => Record<string, unknown>): Operation => ({
    name: `${name}${P}TalentCard`,
    covers: [`Mutation.${name}${P}TalentCard`],
    expected: allow(admin),
    prepare: async () => ({ card: await issueCard(province) }),
    state: async ({ card }) => ({ row: await rowState(province, 'talent_cards', localIdOf(card.id)), audit: await auditCount(province, card.id) }),
    routes: both({ query: `mutation($id: ID!, $x: ${args}) { result: ${name}${P}TalentCard(id: $id, ${name === 'renew' ? 'validUntil' : 'reason'}: $x) { id status } }`, variables: ({ card }) => variables(card), pick: result }),
  });

  const seedItem = DEMO_SEEDS[province].recognitionCatalog.at(-1)!;
  const originalItem = { code: seedItem.code, name: seedItem.name, nameZh: seedItem.nameZh, provider: seedItem.provider, minimumTier: seedItem.minimumTier, howToApply: seedItem.howToApply };
  const SET_ITEM = `mutation($input: RecognitionItemInput!) { result: set${P}RecognitionItem(input: $input) { code } }`;
  const restoreItem = async () => {
    const { body } = await gateway(SET_ITEM, { token: await tokenFor(admin), variables: { input: originalItem } });
    if (body.errors) throw new Error(`restoring ${seedItem.code} failed: ${JSON.stringify(body.errors)}`);
  };
  const itemState = async () => ({
    row: (await sql(province, 'SELECT row_to_json(t)::text AS row FROM recognition_catalog t WHERE code = $1', [seedItem.code]))[0]?.['row'] ?? null,
    audit: await auditCount(province, seedItem.code),
  });

  const instrumentInput = (assetCode: string) => ({
    assetCode, name: `Role matrix instrument ${assetCode}`, nameZh: '角色矩阵仪器', category: 'XRD', institution: 'Test Institute',
    hourlyFee: 50, services: ['TESTING'], openFromHour: 9, openToHour: 17,
  });
  const instrumentState = async ({ id }: Prepared) => ({ row: await rowState(province, 'instruments', localIdOf(id)), audit: await auditCount(province, id) });
  const categoryState = async ({ code }: Prepared) => ({
    row: (await sql(province, 'SELECT row_to_json(t)::text AS row FROM instrument_categories t WHERE code = $1', [code]))[0]?.['row'] ?? null,
    audit: await auditCount(province, code),
  });
  const newCategory = async () => {
    const code = `RM_${marker().replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`;
    await sql(province, `INSERT INTO instrument_categories (code, name_en, name_zh) VALUES ($1, 'Role matrix category', '角色矩阵类别')`, [code]);
    return { code };
  };
  /** A one-row registry file (CSV, base64) adding one instrument under a seeded category. */
  const registryFile = (assetCode: string) => {
    const cells: Record<string, string> = {
      asset_code: assetCode, name: `Role matrix instrument ${assetCode}`, name_zh: '角色矩阵仪器', category: 'XRD', institution: 'Test Institute',
      hourly_fee_yuan: '50', services: 'TESTING', open_from_hour: '9', open_to_hour: '17',
    };
    return Buffer.from(`${Object.keys(cells).join(',')}\n${Object.values(cells).join(',')}\n`).toString('base64');
  };
  const labState = async ({ id }: Prepared) => ({ row: await rowState(province, 'labs', localIdOf(id)), audit: await auditCount(province, id) });

  const requestState = async ({ id }: Prepared) => ({
    row: (await sql(province, 'SELECT row_to_json(t)::text AS row FROM service_requests t WHERE id = $1', [localIdOf(id)]))[0]?.['row'] ?? null,
    events: await count(province, 'service_request_events WHERE request_id = $1', [localIdOf(id)]),
    audit: await auditCount(province, id),
  });
  const REPORT = { fileName: 'report.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') };
  /** A step of a fresh request standing where the step starts from. */
  const requestStep = (mutation: string, from: string, args: string, expected: Record<Caller, Outcome>, extra: Record<string, unknown> = {}, declared = ''): Operation => ({
    name: `${mutation}`,
    covers: [`Mutation.${mutation}`],
    expected,
    prepare: async () => ({ id: await submitRequest(province, fx().offeringId, from) }),
    state: requestState,
    routes: both({
      query: `mutation($id: ID!${declared}) { result: ${mutation}(id: $id${args}) { id status } }`,
      variables: ({ id }) => ({ id, ...extra }),
      pick: result,
    }),
  });

  const userEntity = (field: string, selection: string): Operation => ({
    name: `User.${field} of ${home}`,
    covers: [`User.${field}`],
    expected: allow(home, admin, 'platform.admin'),
    routes: [
      {
        // Another person's User, reached the way a client can: through the holder of their card.
        target: 'gateway',
        query: `query($id: ID!) { talentCard(id: $id) { holder { ${field} ${selection} } } }`,
        via: ['Query.talentCard', `${P}TalentCard`],
        variables: () => ({ id: fx().homeCardId }),
        pick: (data) => data?.talentCard?.holder?.[field],
      },
      {
        target: province,
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { ${field} ${selection} } } }`,
        variables: () => ({ r: [{ __typename: 'User', id: seededUserId(home) }] }),
        pick: (data) => data?._entities?.[0]?.[field],
      },
    ],
  });

  /**
   * Check-in, check-out (this province's staff or its kiosks) and rating (the requester), each on a booking of the
   * visitor that started ten minutes ago on an instrument of its own: checked in for check-out, used for rating.
   */
  const usageRecord = (action: 'checkIn' | 'checkOut' | 'rate', expected: Record<Caller, Outcome>): Operation => ({
    name: `${action}${P}Booking`,
    covers: [`Mutation.${action}${P}Booking`],
    expected,
    prepare: async () => {
      // Written straight in: the visitor's open bookings would otherwise reach the province's cap over the cells.
      const localId = randomUUID();
      await sql(
        province,
        `INSERT INTO bookings (id, instrument_id, user_id, starts_at, ends_at, status, purpose)
         VALUES ($1, $2, $3, now() - interval '10 minutes', now() + interval '50 minutes', 'CONFIRMED', 'Role matrix usage')`,
        [localId, localIdOf(await createInstrument(province)), seededUserId(visitor)],
      );
      const id = `${PROVINCES[province].idPrefix}:booking:${localId}`;
      if (action === 'checkOut') await sql(province, "UPDATE bookings SET actual_start = now() - interval '5 minutes' WHERE id = $1", [localIdOf(id)]);
      if (action === 'rate') {
        await sql(province, "UPDATE bookings SET status = 'COMPLETED', actual_start = starts_at, actual_end = starts_at + interval '5 minutes' WHERE id = $1", [localIdOf(id)]);
      }
      return { id };
    },
    state: async ({ id }) => ({ ...(await bookingState(province, id)), ratings: await count(province, 'booking_ratings WHERE booking_id = $1', [localIdOf(id)]) }),
    routes: both({
      query: `mutation($id: ID!) { result: ${action}${P}Booking(bookingId: $id${action === 'rate' ? ', score: 5' : ''}) { id status } }`,
      variables: ({ id }) => ({ id }),
      pick: result,
    }),
  });
  /** A change to a subscription of the demo partner: its client and this province's admins may. */
  const webhookChange = (mutation: string, args: string, selection: string): Operation[] => [{
    name: mutation,
    covers: [`Mutation.${mutation}`],
    expected: allow(admin, 'partner'),
    prepare: async () => {
      const id = randomUUID();
      await sql(province, `INSERT INTO webhook_subscriptions (id, client_id, url, event_types, secret, active, created_by)
        VALUES ($1, 'demo-partner', 'https://partner.example/hooks', '{booking.confirmed}', 'whsec_role_matrix', true, 'role-matrix')`, [id]);
      // One event of its type, so a replay queues something.
      await sql(province, `INSERT INTO events (sequence, id, type, entity_type, entity_id, occurred_at, state)
        VALUES (nextval('event_sequence'), $1, 'booking.confirmed', 'booking', 'role-matrix', now(), '{}')`, [randomUUID()]);
      return { id };
    },
    state: async ({ id }) => ({
      row: (await sql(province, 'SELECT active, secret FROM webhook_subscriptions WHERE id = $1', [id]))[0] ?? null,
      deliveries: await count(province, 'webhook_deliveries WHERE subscription_id = $1', [id]),
    }),
    routes: both({ query: `mutation($id: ID!) { result: ${mutation}(${args}) ${selection} }`, variables: ({ id }) => ({ id }), pick: result }),
  }];

  return [
    {
      name: `book${P}Instrument`,
      covers: [`Mutation.book${P}Instrument`],
      expected: allow('li.wei', 'chen.jing'),
      prepare: async () => ({ slot: fx().slots.take(), key: newKey() }),
      state: ({ slot }) => count(province, 'bookings WHERE instrument_id = $1 AND starts_at = $2', [localIdOf(fx().instrumentId), slot.start]),
      routes: both({
        query: `mutation($i: ID!, $s: DateTime!, $e: DateTime!, $k: String!) { result: book${P}Instrument(instrumentId: $i, start: $s, end: $e, purpose: "Role matrix booking", idempotencyKey: $k) { id status } }`,
        variables: ({ slot, key }) => ({ i: fx().instrumentId, s: slot.start, e: slot.end, k: key }),
        pick: result,
      }),
    },
    bookingTransition('confirm', allow(admin)),
    bookingTransition('reject', allow(admin)),
    bookingTransition('cancel', allow(visitor, admin)),
    bookingTransition('complete', allow(admin)),

    {
      name: `issue${P}TalentCard`,
      covers: [`Mutation.issue${P}TalentCard`],
      expected: allow(admin),
      prepare: async () => ({ holderUserId: (await createUser('matrix.card')).id }),
      state: async ({ holderUserId }) => ({
        cards: await count(province, 'talent_cards WHERE holder_user_id = $1', [holderUserId]),
        audit: await count(province, "audit_log WHERE details->>'holderUserId' = $1", [holderUserId]),
      }),
      routes: both({
        query: `mutation($input: IssueTalentCardInput!) { result: issue${P}TalentCard(input: $input) { id cardNumber } }`,
        variables: ({ holderUserId }) => ({ input: { holderName: 'Role Matrix Holder', holderUserId, tier: 'C', validUntil: new Date(Date.now() + 400 * 86_400_000).toISOString() } }),
        pick: result,
      }),
    },
    cardMutation('renew', 'DateTime!', (card) => ({ id: card.id, x: new Date(Date.now() + 1000 * 86_400_000).toISOString() })),
    cardMutation('revoke', 'String!', (card) => ({ id: card.id, x: 'Role matrix check' })),

    {
      name: `set${P}RecognitionItem`,
      covers: [`Mutation.set${P}RecognitionItem`],
      expected: allow(admin),
      prepare: async () => ({ input: { ...originalItem, howToApply: `Role matrix ${marker()}` } }),
      state: itemState,
      routes: both({ query: SET_ITEM, variables: ({ input }) => ({ input }), pick: result }),
    },
    {
      name: `remove${P}RecognitionItem`,
      covers: [`Mutation.remove${P}RecognitionItem`],
      expected: allow(admin),
      prepare: async () => {
        // An allowed caller removed it in the cell before.
        await restoreItem();
        return { code: seedItem.code };
      },
      state: itemState,
      routes: both({ query: `mutation($code: String!) { result: remove${P}RecognitionItem(code: $code) { code } }`, variables: ({ code }) => ({ code }), pick: result }),
    },

    {
      name: `create${P}Instrument`,
      covers: [`Mutation.create${P}Instrument`],
      expected: allow(admin),
      prepare: async () => ({ assetCode: `RM-${marker()}` }),
      state: async ({ assetCode }) => ({
        rows: await count(province, 'instruments WHERE asset_code = $1', [assetCode]),
        audit: await count(province, "audit_log WHERE details->>'assetCode' = $1", [assetCode]),
      }),
      routes: both({
        query: `mutation($input: InstrumentInput!) { result: create${P}Instrument(input: $input) { id } }`,
        variables: ({ assetCode }) => ({ input: instrumentInput(assetCode) }),
        pick: result,
      }),
    },
    {
      name: `update${P}Instrument`,
      covers: [`Mutation.update${P}Instrument`],
      expected: allow(admin),
      prepare: async () => ({ id: await createInstrument(province), name: `Role matrix renamed ${marker()}` }),
      state: instrumentState,
      routes: both({
        query: `mutation($id: ID!, $input: InstrumentUpdateInput!) { result: update${P}Instrument(id: $id, input: $input) { id name } }`,
        variables: ({ id, name }) => ({ id, input: { name, hourlyFee: 321 } }),
        pick: result,
      }),
    },
    {
      name: `retire${P}Instrument`,
      covers: [`Mutation.retire${P}Instrument`],
      expected: allow(admin),
      prepare: async () => ({ id: await createInstrument(province) }),
      state: instrumentState,
      routes: both({ query: `mutation($id: ID!) { result: retire${P}Instrument(id: $id, reason: "Role matrix check") { id status } }`, variables: ({ id }) => ({ id }), pick: result }),
    },
    {
      name: `create${P}Lab`,
      covers: [`Mutation.create${P}Lab`],
      expected: allow(admin),
      prepare: async () => ({ name: `Role matrix lab ${marker()}` }),
      state: async ({ name }) => ({
        rows: await count(province, 'labs WHERE name = $1', [name]),
        audit: await count(province, "audit_log WHERE details->>'name' = $1", [name]),
      }),
      routes: both({
        query: `mutation($input: LabInput!) { result: create${P}Lab(input: $input) { id } }`,
        variables: ({ name }) => ({ input: { name, nameZh: '角色矩阵实验室', institution: 'Test Institute', city: 'Test City', level: 'PROVINCIAL' } }),
        pick: result,
      }),
    },
    {
      name: `update${P}Lab`,
      covers: [`Mutation.update${P}Lab`],
      expected: allow(admin),
      prepare: async () => ({ id: await createLab(province), name: `Role matrix lab renamed ${marker()}` }),
      state: labState,
      routes: both({
        query: `mutation($id: ID!, $input: LabUpdateInput!) { result: update${P}Lab(id: $id, input: $input) { id name } }`,
        variables: ({ id, name }) => ({ id, input: { name } }),
        pick: result,
      }),
    },
    {
      name: `retire${P}Lab`,
      covers: [`Mutation.retire${P}Lab`],
      expected: allow(admin),
      prepare: async () => ({ id: await createLab(province) }),
      state: labState,
      routes: both({ query: `mutation($id: ID!) { result: retire${P}Lab(id: $id, reason: "Role matrix check") { id retired } }`, variables: ({ id }) => ({ id }), pick: result }),
    },
    {
      name: `create${P}Category`,
      covers: [`Mutation.create${P}Category`],
      expected: allow(admin),
      prepare: async () => ({ code: `RM_${marker().replace(/[^A-Za-z0-9]/g, '').toUpperCase()}` }),
      state: categoryState,
      routes: both({
        query: `mutation($input: CategoryInput!) { result: create${P}Category(input: $input) { code } }`,
        variables: ({ code }) => ({ input: { code, nameEn: 'Role matrix category', nameZh: '角色矩阵类别' } }),
        pick: result,
      }),
    },
    {
      name: `rename${P}Category`,
      covers: [`Mutation.rename${P}Category`],
      expected: allow(admin),
      prepare: newCategory,
      state: categoryState,
      routes: both({ query: `mutation($code: String!) { result: rename${P}Category(code: $code, nameEn: "Role matrix renamed") { code } }`, variables: ({ code }) => ({ code }), pick: result }),
    },
    {
      name: `retire${P}Category`,
      covers: [`Mutation.retire${P}Category`],
      expected: allow(admin),
      prepare: newCategory,
      state: categoryState,
      routes: both({ query: `mutation($code: String!) { result: retire${P}Category(code: $code, reason: "Role matrix check") { code } }`, variables: ({ code }) => ({ code }), pick: result }),
    },
    {
      name: `import${P}Registry`,
      covers: [`Mutation.import${P}Registry`],
      expected: allow(admin),
      prepare: async () => ({ assetCode: `RM-${marker()}` }),
      state: async ({ assetCode }) => ({ rows: await count(province, 'instruments WHERE asset_code = $1', [assetCode]) }),
      routes: both({
        query: `mutation($content: String!) { result: import${P}Registry(format: CSV, contentBase64: $content) { status created } }`,
        variables: ({ assetCode }) => ({ content: registryFile(assetCode) }),
        pick: result,
      }),
    },

    {
      name: `set${P}BookingRules`,
      covers: [`Mutation.set${P}BookingRules`],
      expected: allow(admin),
      prepare: async () => ({ deadline: 1 + Math.floor(Math.random() * 40_000) }),
      state: async () => ({
        rules: await sql(province, 'SELECT cancellation_deadline_minutes FROM instrument_booking_rules WHERE instrument_id = $1', [localIdOf(fx().instrumentId)]),
        audit: await auditCount(province, fx().instrumentId),
      }),
      routes: both({
        query: `mutation($i: ID!, $d: Int!) { result: set${P}BookingRules(instrumentId: $i, rules: { trainingRequired: false, minLeadMinutes: 0, cancellationDeadlineMinutes: $d, autoConfirmQualified: false, acceptsPartnerQualifications: false }) { id } }`,
        variables: ({ deadline }) => ({ i: fx().instrumentId, d: deadline }),
        pick: result,
      }),
    },
    {
      name: `grant${P}Qualification`,
      covers: [`Mutation.grant${P}Qualification`],
      expected: allow(admin),
      prepare: async () => ({ userId: (await createUser('matrix.trained')).id }),
      state: ({ userId }) => count(province, 'qualifications WHERE user_id = $1', [userId]),
      routes: both({
        query: `mutation($input: QualificationInput!) { result: grant${P}Qualification(input: $input) { id } }`,
        variables: ({ userId }) => ({ input: { userId, model: 'RM-1', expiresAt: new Date(Date.now() + 100 * 86_400_000).toISOString() } }),
        pick: result,
      }),
    },
    {
      name: `revoke${P}Qualification`,
      covers: [`Mutation.revoke${P}Qualification`],
      expected: allow(admin),
      prepare: async () => {
        const id = randomUUID();
        await sql(province, "INSERT INTO qualifications (id, user_id, model, issued_at, expires_at, issued_by) VALUES ($1, $2, 'RM-1', now(), now() + interval '1 day', 'role-matrix')", [id, randomUUID()]);
        return { id };
      },
      state: ({ id }) => sql(province, 'SELECT revoked_at FROM qualifications WHERE id = $1', [id]),
      routes: both({ query: `mutation($id: ID!) { result: revoke${P}Qualification(id: $id, reason: "Role matrix check") { id } }`, variables: ({ id }) => ({ id }), pick: result }),
    },
    usageRecord('checkIn', allow(admin)),
    usageRecord('checkOut', allow(admin)),
    usageRecord('rate', allow(visitor)),
    {
      name: `${province}.myQualifications`,
      covers: [`${P}Registry.myQualifications`],
      expected: allow(...ANY_TOKEN),
      routes: both({ query: `{ r: ${province} { myQualifications { id } } }`, variables: () => ({}), pick: registry('myQualifications') }),
    },
    {
      name: `${province}.qualifications(userId)`,
      covers: [`${P}Registry.qualifications`],
      expected: allow(admin),
      routes: both({ query: `query($u: ID!) { r: ${province} { qualifications(userId: $u) { id } } }`, variables: () => ({ u: seededUserId(home) }), pick: registry('qualifications') }),
    },
    {
      name: `${province}.events`,
      // Every event type is readable with catalog:read or card:verify, which every token holds by role or grant.
      covers: [`${P}Registry.events`],
      expected: allow(...ANY_TOKEN),
      routes: both({ query: `{ r: ${province} { events(first: 1) { pageInfo { hasNextPage } } } }`, variables: () => ({}), pick: registry('events') }),
    },
    {
      name: `${province}.webhookSubscriptions`,
      // A partner client sees its own (maybe none); this province's admins every one; people have none.
      covers: [`${P}Registry.webhookSubscriptions`],
      expected: allow(admin, 'partner', 'partner without card:verify'),
      routes: both({ query: `{ r: ${province} { webhookSubscriptions { id } } }`, variables: () => ({}), pick: registry('webhookSubscriptions') }),
    },
    {
      name: `create${P}WebhookSubscription`,
      covers: [`Mutation.create${P}WebhookSubscription`],
      expected: allow(admin),
      prepare: async () => ({ description: marker() }),
      state: async ({ description }) => count(province, 'webhook_subscriptions WHERE description = $1', [description]),
      routes: both({
        query: `mutation($input: WebhookSubscriptionInput!) { result: create${P}WebhookSubscription(input: $input) { secret } }`,
        variables: ({ description }) => ({ input: { clientId: 'demo-partner', url: 'https://partner.example/hooks', eventTypes: ['booking.confirmed'], description } }),
        pick: result,
      }),
    },
    ...webhookChange(`update${P}WebhookSubscription`, 'id: $id, input: { active: false }', '{ active }'),
    ...webhookChange(`rotate${P}WebhookSecret`, 'id: $id', '{ secret }'),
    ...webhookChange(`replay${P}WebhookDeliveries`, 'id: $id, from: "2020-01-01T00:00:00Z"', ''),
    ...webhookChange(`delete${P}WebhookSubscription`, 'id: $id', ''),
    {
      name: `${province}.bookings`,
      covers: [`${P}Registry.bookings`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { bookings(first: 1) { totalCount } } }`, variables: () => ({}), pick: registry('bookings') }),
    },
    {
      name: `${province}.auditLog`,
      covers: [`${P}Registry.auditLog`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { auditLog(first: 1) { edges { node { id action } } } } }`, variables: () => ({}), pick: registry('auditLog') }),
    },
    {
      name: `${province}.talentCard(cardNumber)`,
      // The holder, an admin of the issuing province, a platform admin; service providers use verifyTalentCard.
      covers: [`${P}Registry.talentCard`, `${P}TalentCard`],
      expected: allow(home, admin, 'platform.admin'),
      routes: both({
        query: `query($n: String!) { r: ${province} { talentCard(cardNumber: $n) { id cardNumber status } } }`,
        variables: () => ({ n: homeCard(province).cardNumber }),
        pick: registry('talentCard'),
      }),
    },
    {
      name: `${province}.cardChecks`,
      covers: [`${P}Registry.cardChecks`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { cardChecks(first: 1) { pageInfo { hasNextPage } } } }`, variables: () => ({}), pick: registry('cardChecks') }),
    },
    {
      name: `create${P}CardVerificationCode`,
      // Only the holder gets a code for their card; anyone else holds no card of this province here.
      covers: [`Mutation.create${P}CardVerificationCode`],
      expected: allow(home),
      state: async () => count(province, 'card_verification_codes', []),
      routes: both({ query: `mutation { result: create${P}CardVerificationCode { code } }`, variables: () => ({}), pick: result }),
    },
    {
      name: `${province}.booking(id)`,
      covers: [`${P}Registry.booking`, `${P}Booking`],
      expected: allow(visitor, admin, 'platform.admin'),
      routes: [
        ...both({ query: `query($id: ID!) { r: ${province} { booking(id: $id) { id status } } }`, variables: () => ({ id: fx().readBookingId }), pick: registry('booking') }),
        {
          target: province,
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${P}Booking { id status } } }`,
          variables: () => ({ r: [{ __typename: `${P}Booking`, id: fx().readBookingId }] }),
          pick: (data) => data?._entities?.[0],
        },
      ],
    },
    {
      name: `grant${P}ClientScopes`,
      covers: [`Mutation.grant${P}ClientScopes`],
      expected: allow(admin),
      state: () => grantState(province),
      routes: both({
        query: `mutation($id: String!) { result: grant${P}ClientScopes(clientId: $id, scopes: ["card:verify"]) { clientId scopes } }`,
        variables: () => ({ id: subjectClientId }),
        pick: result,
      }),
    },
    {
      name: `create${P}Offering`,
      covers: [`Mutation.create${P}Offering`],
      expected: allow(admin),
      prepare: async () => ({ name: `Role matrix offering ${marker()}` }),
      state: async ({ name }) => count(province, 'offerings WHERE name = $1', [name]),
      routes: both({
        query: `mutation($input: OfferingInput!) { result: create${P}Offering(input: $input) { id } }`,
        variables: ({ name }) => ({ input: { instrumentId: fx().instrumentId, kind: 'CONSULTATION', name, nameZh: '咨询' } }),
        pick: result,
      }),
    },
    {
      name: `revoke${P}ClientGrant`,
      covers: [`Mutation.revoke${P}ClientGrant`],
      expected: allow(admin),
      prepare: async () => {
        await grantScopes(province, subjectClientId, ['catalog:read']);
        return {};
      },
      state: () => grantState(province),
      routes: both({
        query: `mutation($id: String!) { result: revoke${P}ClientGrant(clientId: $id) }`,
        variables: () => ({ id: subjectClientId }),
        pick: (data) => (data?.result === true ? true : null),
      }),
    },
    {
      name: `${province}.accessLog`,
      covers: [`${P}Registry.accessLog`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { accessLog(first: 1) { edges { node { id kind } } } } }`, variables: () => ({}), pick: registry('accessLog') }),
    },
    {
      name: `${province}.accessLogCsv`,
      covers: [`${P}Registry.accessLogCsv`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { accessLogCsv(filter: { kind: WRITE }) } }`, variables: () => ({}), pick: registry('accessLogCsv') }),
    },
    {
      name: `${province}.catalogueReads`,
      covers: [`${P}Registry.catalogueReads`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { catalogueReads { reader requests } } }`, variables: () => ({}), pick: registry('catalogueReads') }),
    },
    {
      name: `${province}.clientGrants`,
      covers: [`${P}Registry.clientGrants`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { clientGrants { clientId scopes } } }`, variables: () => ({}), pick: registry('clientGrants') }),
    },
    {
      // The platform shows a client to its admins, to province admins and to the client itself; each province
      // shows its grant to platform admins, its own admins and the client.
      name: `PartnerClient.${province}Grant`,
      covers: [`PartnerClient.${province}Grant`],
      expected: allow(admin, 'platform.admin', 'partner'),
      routes: [
        {
          target: 'gateway',
          query: `query { partnerClient(clientId: "demo-partner") { g: ${province}Grant { scopes } } }`,
          variables: () => ({}),
          pick: (data) => data?.partnerClient?.g,
        },
        {
          target: province,
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on PartnerClient { g: ${province}Grant { scopes } } } }`,
          variables: () => ({ r: [{ __typename: 'PartnerClient', clientId: 'demo-partner' }] }),
          pick: (data) => data?._entities?.[0]?.g,
        },
      ],
    },
    {
      name: `update${P}Offering`,
      covers: [`Mutation.update${P}Offering`],
      expected: allow(admin),
      prepare: async () => ({ name: `Role matrix renamed ${marker()}` }),
      state: async ({ name }) => count(province, 'offerings WHERE name = $1', [name]),
      routes: both({
        query: `mutation($id: ID!, $input: OfferingUpdateInput!) { result: update${P}Offering(id: $id, input: $input) { id } }`,
        variables: ({ name }) => ({ id: fx().offeringId, input: { name } }),
        pick: result,
      }),
    },
    {
      name: `set${P}OfferingPrices`,
      covers: [`Mutation.set${P}OfferingPrices`],
      expected: allow(admin),
      prepare: async () => ({ fen: 10_000 + Math.floor(Math.random() * 1_000_000) }),
      state: async ({ fen }) => count(province, 'offering_prices WHERE offering_id = $1 AND amount_fen = $2', [localIdOf(fx().offeringId), fen]),
      routes: both({
        query: `mutation($id: ID!, $prices: [PriceInput!]!) { result: set${P}OfferingPrices(id: $id, prices: $prices) { id } }`,
        variables: ({ fen }) => ({ id: fx().offeringId, prices: EVERY_CATEGORY.map((price) => ({ ...price, amountFen: fen })) }),
        pick: result,
      }),
    },
    {
      name: `submit${P}ServiceRequest`,
      covers: [`Mutation.submit${P}ServiceRequest`],
      expected: allow('li.wei', 'chen.jing'),
      prepare: async () => ({ key: newKey() }),
      state: ({ key }) => count(province, 'service_requests WHERE idempotency_key = $1', [key]),
      routes: both({
        query: `mutation($input: ServiceRequestInput!) { result: submit${P}ServiceRequest(input: $input) { id status } }`,
        variables: ({ key }) => ({ input: { offeringId: fx().offeringId, formValues: [{ name: 'sample', value: 'x' }], neededBy: new Date(Date.now() + 9 * 86_400_000).toISOString(), description: 'Role matrix submission', idempotencyKey: key } }),
        pick: result,
      }),
    },
    requestStep(`quote${P}ServiceRequest`, 'SUBMITTED', ', amountFen: 40000, validUntil: $until', allow(admin), { until: new Date(Date.now() + 5 * 86_400_000).toISOString() }, ', $until: DateTime!'),
    requestStep(`accept${P}ServiceQuote`, 'QUOTED', '', allow(visitor)),
    requestStep(`decline${P}ServiceQuote`, 'QUOTED', ', reason: "Role matrix check"', allow(visitor)),
    requestStep(`cancel${P}ServiceRequest`, 'SUBMITTED', ', reason: "Role matrix check"', allow(visitor, admin)),
    requestStep(`reject${P}ServiceRequest`, 'SUBMITTED', ', reason: "Role matrix check"', allow(admin)),
    requestStep(`receive${P}Samples`, 'ACCEPTED', '', allow(admin)),
    requestStep(`start${P}ServiceRequest`, 'SAMPLES_RECEIVED', '', allow(admin)),
    requestStep(`issue${P}ServiceReport`, 'IN_PROGRESS', ', report: $report', allow(admin), { report: REPORT }, ', $report: ServiceReportInput!'),
    requestStep(`close${P}ServiceRequest`, 'REPORT_ISSUED', '', allow(admin)),
    {
      name: `credit${P}Charge`,
      covers: [`Mutation.credit${P}Charge`],
      expected: allow(admin),
      prepare: async () => ({ reason: `Role matrix credit ${marker()}` }),
      state: async ({ reason }) => count(province, 'charge_lines WHERE reason = $1', [reason]),
      routes: both({
        query: `mutation($id: ID!, $reason: String!) { result: credit${P}Charge(chargeId: $id, amountFen: 1, reason: $reason) { id } }`,
        variables: ({ reason }) => ({ id: fx().readChargeId, reason }),
        pick: result,
      }),
    },
    {
      name: `${province}.serviceRequest(id)`,
      covers: [`${P}Registry.serviceRequest`, `${P}ServiceRequest`],
      expected: allow(visitor, admin, 'platform.admin'),
      routes: both({ query: `query($id: ID!) { r: ${province} { serviceRequest(id: $id) { id status } } }`, variables: () => ({ id: fx().readRequestId }), pick: registry('serviceRequest') }),
    },
    {
      name: `${province}.serviceRequests`,
      covers: [`${P}Registry.serviceRequests`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { serviceRequests(first: 1) { totalCount } } }`, variables: () => ({}), pick: registry('serviceRequests') }),
    },
    {
      name: `${province}.charge(id)`,
      covers: [`${P}Registry.charge`, `${P}Charge`],
      expected: allow(visitor, admin, 'platform.admin'),
      routes: both({ query: `query($id: ID!) { r: ${province} { charge(id: $id) { id totalFen } } }`, variables: () => ({ id: fx().readChargeId }), pick: registry('charge') }),
    },
    {
      name: `${province}.statement of ${visitor}`,
      covers: [`${P}Registry.statement`],
      expected: allow(visitor, admin),
      routes: both({
        query: `query($p: ID!, $from: DateTime!, $to: DateTime!) { r: ${province} { statement(payerId: $p, from: $from, to: $to) { totalFen } } }`,
        variables: () => ({ p: seededUserId(visitor), from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() }),
        pick: registry('statement'),
      }),
    },
    {
      name: `${province}.chargesCsv`,
      covers: [`${P}Registry.chargesCsv`],
      expected: allow(admin),
      routes: both({
        query: `query($from: DateTime!, $to: DateTime!) { r: ${province} { chargesCsv(from: $from, to: $to) } }`,
        variables: () => ({ from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() }),
        pick: registry('chargesCsv'),
      }),
    },
    userEntity(`${province}ServiceRequests`, '{ id }'),
    userEntity(`${province}TalentCard`, '{ cardNumber }'),
    userEntity(`${province}Bookings`, '{ id }'),
    userEntity(`${province}Vouchers`, '{ id availableFen }'),

    {
      name: `issue${P}Voucher`,
      covers: [`Mutation.issue${P}Voucher`],
      expected: allow(admin),
      // A person the platform knows, of this cell alone: a voucher is issued only to an account the platform has.
      prepare: async () => ({ holderUserId: (await createUser('matrix.holder')).id }),
      state: async ({ holderUserId }) => ({
        vouchers: await count(province, 'vouchers WHERE holder_user_id = $1', [holderUserId]),
        audit: await count(province, "audit_log WHERE details->>'holderUserId' = $1", [holderUserId]),
      }),
      routes: both({
        query: `mutation($input: IssueVoucherInput!) { result: issue${P}Voucher(input: $input) { id } }`,
        variables: ({ holderUserId }) => ({
          input: {
            holderUserId, holderName: 'Role Matrix Enterprise', amountFen: 10_000, validFrom: new Date().toISOString(),
            validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(), acceptedIn: ['SICHUAN', 'CHONGQING'], maxSharePercent: 50,
          },
        }),
        pick: result,
      }),
    },
    {
      // Reserving is the holder's consent: nobody else, however they call.
      name: `reserve${P}Voucher`,
      covers: [`Mutation.reserve${P}Voucher`],
      expected: allow(home),
      prepare: async () => ({ holdKey: randomUUID() }),
      state: ({ holdKey }) => count(province, 'voucher_holds WHERE hold_key = $1', [holdKey]),
      routes: both({
        query: `mutation($v: ID!, $k: ID!) { result: reserve${P}Voucher(voucherId: $v, amountFen: 10, chargeAmountFen: 100, servingProvince: ${partner.code},
          chargeRef: "RM-CHARGE", holdKey: $k, expiresInSeconds: 60) { id status } }`,
        variables: ({ holdKey }) => ({ v: fx().voucherId, k: holdKey }),
        pick: result,
      }),
    },
    {
      // A charge of the voucher's holder: only its payer may pay it, and the issuer lets only the holder reserve.
      name: `pay${P}ChargeWithVoucher`,
      covers: [`Mutation.pay${P}ChargeWithVoucher`],
      expected: allow(home),
      prepare: async () => ({ chargeRef: await chargeFor(sql, province, 100, home) }),
      state: ({ chargeRef }) => count(province, "voucher_redemptions WHERE charge_ref = $1 AND state = 'CAPTURED'", [chargeRef]),
      routes: both({
        query: `mutation($c: String!, $v: ID!, $k: String!) { result: pay${P}ChargeWithVoucher(chargeRef: $c, chargeAmountFen: 100, voucherId: $v, amountFen: 10,
          idempotencyKey: $k) { id state } }`,
        variables: ({ chargeRef }) => ({ c: chargeRef, v: fx().voucherId, k: newKey() }),
        pick: result,
      }),
    },
    {
      name: `${province}.voucher(id)`,
      covers: [`${P}Registry.voucher`, `${P}Voucher`],
      expected: allow(home, admin, 'platform.admin'),
      routes: both({ query: `query($id: ID!) { r: ${province} { voucher(id: $id) { id availableFen } } }`, variables: () => ({ id: fx().voucherId }), pick: registry('voucher') }),
    },
    ...(['vouchers', 'voucherHolds', 'voucherRedemptions'] as const).map((field): Operation => ({
      name: `${province}.${field}`,
      covers: [`${P}Registry.${field}`],
      expected: allow(admin),
      routes: both({ query: `{ r: ${province} { ${field} { __typename } } }`, variables: () => ({}), pick: registry(field) }),
    })),
    {
      name: `${province}.voucherSettlement`,
      covers: [`${P}Registry.voucherSettlement`],
      expected: allow(admin),
      routes: both({
        query: `query($f: DateTime!, $t: DateTime!) { r: ${province} { voucherSettlement(from: $f, to: $t) { netFromPartnerFen } } }`,
        variables: () => ({ f: new Date(Date.now() - 86_400_000).toISOString(), t: new Date().toISOString() }),
        pick: registry('voucherSettlement'),
      }),
    },

    // Platform fields answered with this province's data.
    {
      name: `talentCard(id) of a ${PROVINCES[province].nameEn} card`,
      covers: ['Query.talentCard', `${P}TalentCard`],
      expected: allow(home, admin, 'platform.admin'),
      routes: [
        { target: 'gateway', query: 'query($id: ID!) { talentCard(id: $id) { id cardNumber } }', variables: () => ({ id: fx().homeCardId }), pick: (data) => data?.talentCard?.cardNumber },
        {
          target: province,
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${P}TalentCard { cardNumber } } }`,
          variables: () => ({ r: [{ __typename: `${P}TalentCard`, id: fx().homeCardId }] }),
          pick: (data) => data?._entities?.[0]?.cardNumber,
        },
      ],
    },
    {
      // The platform only turns the id into a reference to the issuing province's card (it holds no card data);
      // the province decides who sees the card, above.
      name: `talentCard(id) of a ${PROVINCES[province].nameEn} card at the platform`,
      covers: ['Query.talentCard'],
      expected: allow(...ANY_TOKEN),
      routes: [{ target: 'platform', query: 'query($id: ID!) { talentCard(id: $id) { id } }', variables: () => ({ id: fx().homeCardId }), pick: (data) => data?.talentCard }],
    },
    {
      name: `verifyTalentCard of a ${PROVINCES[province].nameEn} card`,
      covers: ['Query.verifyTalentCard', `${P}CardVerification`, `${P}CardVerification.recognizedServices`],
      // Service providers (clients granted card:verify) and admins; researchers check no one's card.
      expected: allow(...CARD_CHECKERS),
      routes: [
        {
          target: 'gateway',
          query: 'query($n: String!) { verifyTalentCard(cardNumber: $n) { status recognizedServices { code } } }',
          variables: () => ({ n: homeCard(province).cardNumber }),
          pick: (data) => data?.verifyTalentCard?.status,
        },
        { target: 'platform', query: 'query($n: String!) { verifyTalentCard(cardNumber: $n) { cardNumber } }', variables: () => ({ n: homeCard(province).cardNumber }), pick: (data) => data?.verifyTalentCard },
        {
          // The issuer answers whether the card is valid…
          target: province,
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${P}CardVerification { status } } }`,
          variables: () => ({ r: [{ __typename: `${P}CardVerification`, cardNumber: homeCard(province).cardNumber }] }),
          pick: (data) => data?._entities?.[0]?.status,
        },
        {
          // …and the partner province which of its services it grants.
          target: partner.key,
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${P}CardVerification { recognizedServices { code } } } }`,
          variables: () => ({ r: [{ __typename: `${P}CardVerification`, cardNumber: homeCard(province).cardNumber, tier: homeCard(province).tier, status: 'VALID' }] }),
          pick: (data) => data?._entities?.[0]?.recognizedServices,
        },
      ],
    },
    {
      // The serving province's admins and the partner client it registered for the item; the issuer must admit the checker too.
      name: `redeem${P}RecognizedService for a ${partner.nameEn} card`,
      covers: [`Mutation.redeem${P}RecognizedService`],
      expected: allow(PEOPLE[province].admin, 'partner'),
      prepare: async () => ({ code: await holderCode(partner.key), key: newKey() }),
      state: async () => count(province, 'service_deliveries', []),
      routes: [
        { target: 'gateway' as const, province },
        { target: province, province },
      ].map(({ target }) => ({
        target,
        query: `mutation($c: String!, $k: String!) { result: redeem${P}RecognizedService(code: $c, item: "CULTURE_TOURISM", idempotencyKey: $k) { id } }`,
        variables: ({ code, key }: Prepared) => ({ c: code, k: key }),
        pick: (data: any) => data?.result,
      })),
    },
    {
      name: `verifyTalentCard with a holder's code of a ${PROVINCES[province].nameEn} card`,
      covers: [`${P}CodeVerification`, `${P}CodeVerification.recognizedServices`],
      expected: allow(...CARD_CHECKERS),
      // A fresh code of the holder's for every cell: each is good for one check.
      prepare: async () => ({ code: await holderCode(province) }),
      routes: [
        {
          target: 'gateway',
          query: 'query($c: String!) { verifyTalentCard(code: $c) { status holderName recognizedServices { code } } }',
          variables: ({ code }) => ({ c: code }),
          pick: (data) => data?.verifyTalentCard?.holderName,
        },
        {
          target: province,
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${P}CodeVerification { status holderName } } }`,
          variables: ({ code }) => ({ r: [{ __typename: `${P}CodeVerification`, check: code }] }),
          pick: (data) => data?._entities?.[0]?.holderName,
        },
        {
          target: partner.key,
          query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${P}CodeVerification { recognizedServices { code } } } }`,
          variables: ({ code }) => ({ r: [{ __typename: `${P}CodeVerification`, check: code, cardNumber: homeCard(province).cardNumber, tier: homeCard(province).tier, status: 'VALID' }] }),
          pick: (data) => data?._entities?.[0]?.recognizedServices,
        },
      ],
    },
  ];
}

/** Who may check a card: admins and the partner client granted card:verify by both provinces. */
const CARD_CHECKERS: Caller[] = ['sc.admin', 'cq.admin', 'platform.admin', 'partner'];

/** A new verification code of the home researcher's card in `province`, got by the holder. */
async function holderCode(province: ProvinceKey): Promise<string> {
  const { body } = await gateway(`mutation { c: create${PROVINCES[province].typePrefix}CardVerificationCode { code } }`, { token: await tokenFor(PEOPLE[province].home) });
  if (!body.data?.c) throw new Error(`no code for ${PEOPLE[province].home}: ${JSON.stringify(body.errors)}`);
  return body.data.c.code as string;
}

/** What a grant cell changes: the client's row in the province's client_grants, and the audit entries about it. */
const grantState = async (province: ProvinceKey) => ({
  row: (await sql(province, 'SELECT row_to_json(g)::text AS row FROM client_grants g WHERE client_id = $1', [subjectClientId]))[0]?.['row'] ?? null,
  audit: await auditCount(province, subjectClientId),
});

const clientRow = async () =>
  (await sql('platform', 'SELECT row_to_json(c)::text AS row FROM partner_clients c WHERE client_id = $1', [subjectClientId]))[0]?.['row'] ?? null;
const setSuspended = (suspended: boolean) =>
  sql('platform', `UPDATE partner_clients SET suspended_at = ${suspended ? 'now()' : 'NULL'}, suspension_reason = ${suspended ? "'role matrix'" : 'NULL'} WHERE client_id = $1`, [subjectClientId]);

/** The platform's partner-client operations: registration, rotation and suspension are a platform admin's. */
function platformClientOperations(): Operation[] {
  const both = (route: Omit<Route, 'target'>): Route[] => [{ ...route, target: 'gateway' }, { ...route, target: 'platform' }];
  const result = (data: any) => data?.result;
  return [
    {
      name: 'partnerClients',
      covers: ['Query.partnerClients'],
      expected: allow('platform.admin'),
      routes: both({ query: '{ result: partnerClients { clientId } }', variables: () => ({}), pick: result }),
    },
    {
      name: 'partnerClient(clientId: demo-partner)',
      covers: ['Query.partnerClient'],
      expected: allow('sc.admin', 'cq.admin', 'platform.admin', 'partner'),
      routes: both({ query: '{ result: partnerClient(clientId: "demo-partner") { clientId status } }', variables: () => ({}), pick: result }),
    },
    {
      name: 'registerPartnerClient',
      covers: ['Mutation.registerPartnerClient'],
      expected: allow('platform.admin'),
      prepare: async () => ({ clientId: `rm-${marker()}` }),
      state: async ({ clientId }) => (await sql('platform', 'SELECT count(*)::int AS n FROM partner_clients WHERE client_id = $1', [clientId]))[0]!['n'],
      routes: both({
        query: 'mutation($input: RegisterPartnerClientInput!) { result: registerPartnerClient(input: $input) { client { clientId } } }',
        variables: ({ clientId }) => ({ input: {
          clientId, organisation: 'Role matrix partner', contact: 'Desk <desk@rm.example>', purpose: 'Role matrix check', scopes: ['catalog:read'],
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(), requestsPerMinute: 10, requestsPerDay: 100,
        } }),
        pick: result,
      }),
    },
    {
      // The client itself (the demo partner, with its own token) or a platform admin; the previous secret stays valid a day.
      name: 'rotatePartnerClientSecret(demo-partner)',
      covers: ['Mutation.rotatePartnerClientSecret'],
      expected: allow('platform.admin', 'partner'),
      state: async () => (await sql('platform', "SELECT secret_hash FROM partner_clients WHERE client_id = 'demo-partner'"))[0]!['secret_hash'],
      routes: both({ query: 'mutation { result: rotatePartnerClientSecret(clientId: "demo-partner") { client { clientId } } }', variables: () => ({}), pick: result }),
    },
    {
      name: 'suspendPartnerClient',
      covers: ['Mutation.suspendPartnerClient'],
      expected: allow('platform.admin'),
      prepare: async () => {
        await setSuspended(false);
        return {};
      },
      state: clientRow,
      routes: both({ query: 'mutation($id: String!) { result: suspendPartnerClient(clientId: $id, reason: "Role matrix check") { status } }', variables: () => ({ id: subjectClientId }), pick: result }),
    },
    {
      name: 'reactivatePartnerClient',
      covers: ['Mutation.reactivatePartnerClient'],
      expected: allow('platform.admin'),
      prepare: async () => {
        await setSuspended(true);
        return {};
      },
      state: clientRow,
      routes: both({ query: 'mutation($id: String!) { result: reactivatePartnerClient(clientId: $id) { status } }', variables: () => ({ id: subjectClientId }), pick: result }),
    },
  ];
}

/** The platform's own: calendar feeds belong to people, each to their owner alone. */
function platformOperations(): Operation[] {
  const feedOf = async (username: Caller) => {
    const id = randomUUID();
    await sql('platform', 'INSERT INTO calendar_feeds (id, user_id, token_hash) VALUES ($1, $2, $3)', [id, seededUserId(username), randomUUID().replace(/-/g, '').padEnd(64, '0')]);
    return id;
  };
  const feeds = async () => (await sql<{ n: number }>('platform', 'SELECT count(*)::int AS n FROM calendar_feeds'))[0]!.n;
  const PEOPLE_ONLY = allow('li.wei', 'chen.jing', 'sc.admin', 'cq.admin', 'platform.admin');
  return [
    {
      name: 'createCalendarFeed',
      covers: ['Mutation.createCalendarFeed'],
      expected: PEOPLE_ONLY,
      state: async () => feeds(),
      routes: [
        { target: 'gateway', query: 'mutation { result: createCalendarFeed { url } }', variables: () => ({}), pick: (data) => data?.result },
        { target: 'platform', query: 'mutation { result: createCalendarFeed { url } }', variables: () => ({}), pick: (data) => data?.result },
      ],
    },
    {
      name: 'revokeCalendarFeed of li.wei',
      covers: ['Mutation.revokeCalendarFeed'],
      expected: allow('li.wei'),
      prepare: async () => ({ id: await feedOf('li.wei') }),
      state: async ({ id }) => (await sql('platform', 'SELECT revoked_at FROM calendar_feeds WHERE id = $1', [id]))[0],
      routes: (['gateway', 'platform'] as const).map((target) => ({
        target, query: 'mutation($id: ID!) { result: revokeCalendarFeed(id: $id) { revokedAt } }', variables: ({ id }: Prepared) => ({ id }), pick: (data: any) => data?.result,
      })),
    },
    {
      name: 'User.calendarFeeds of li.wei',
      covers: ['User.calendarFeeds'],
      expected: allow('li.wei'),
      routes: [{
        target: 'platform',
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { calendarFeeds { id } } } }',
        variables: () => ({ r: [{ __typename: 'User', id: seededUserId('li.wei') }] }),
        pick: (data) => data?._entities?.[0]?.calendarFeeds,
      }],
    },
  ];
}

/** The platform's own guarded writes: a person's affiliation (platform admins) and their linked identities (the person). */
function platformIdentityOperations(): Operation[] {
  const people = CALLERS.filter((caller) => !['anonymous', 'partner', 'partner without card:verify'].includes(caller));
  const both = (query: string, variables: (prepared: Prepared) => Record<string, unknown>, pick: (data: any) => unknown): Route[] =>
    (['gateway', 'platform'] as const).map((target) => ({ target, query, variables, pick }));
  return [
    {
      name: 'setUserAffiliation',
      covers: ['Mutation.setUserAffiliation'],
      expected: allow('platform.admin'),
      prepare: async () => {
        const id = randomUUID();
        await sql('platform', "INSERT INTO users (id, username, display_name, roles, password_hash) VALUES ($1, $2, 'Matrix Person', '{researcher}', NULL)", [id, `matrix.${id.slice(0, 8)}`]);
        return { id };
      },
      state: async ({ id }) => (await sql('platform', 'SELECT institution, affiliation, affiliation_verified FROM users WHERE id = $1', [id]))[0],
      routes: both(
        'mutation($id: ID!) { setUserAffiliation(userId: $id, institution: "Matrix University", affiliation: ACADEMIC) { affiliation } }',
        ({ id }) => ({ id }),
        (data) => data?.setUserAffiliation,
      ),
    },
    {
      // Every person has a link at a provider made up for the cell; each may remove only their own.
      name: 'unlinkExternalIdentity',
      covers: ['Mutation.unlinkExternalIdentity'],
      expected: allow(...people),
      prepare: async () => {
        const provider = `matrix-${randomUUID().slice(0, 8)}`;
        for (const person of people) {
          await sql('platform', 'INSERT INTO external_identities (id, user_id, provider, subject) VALUES ($1, $2, $3, $4)', [randomUUID(), seededUserId(person), provider, `${person}@${provider}`]);
        }
        return { provider };
      },
      state: async ({ provider }) => (await sql('platform', 'SELECT count(*)::int AS links FROM external_identities WHERE provider = $1', [provider]))[0],
      routes: both('mutation($p: String!) { unlinkExternalIdentity(provider: $p) }', ({ provider }) => ({ p: provider }), (data) => data?.unlinkExternalIdentity),
    },
    {
      // Every person sets their own mail settings; a partner client has none to set.
      name: 'updateMyMailSettings',
      covers: ['Mutation.updateMyMailSettings'],
      expected: allow(...people),
      prepare: async () => {
        await sql('platform', 'UPDATE users SET mail_notifications = true WHERE NOT mail_notifications');
        return {};
      },
      state: async () => (await sql('platform', 'SELECT count(*)::int AS mail_off FROM users WHERE NOT mail_notifications'))[0],
      routes: both('mutation { updateMyMailSettings(input: { notifications: false }) { mailNotifications } }', () => ({}), (data) => data?.updateMyMailSettings),
    },
  ];
}

/** Partner clients acting for people: a person approves for themselves alone, revokes their own consents; platform admins list them. */
function platformConsentOperations(): Operation[] {
  const people = CALLERS.filter((caller) => !['anonymous', 'partner', 'partner without card:verify'].includes(caller));
  const both = (query: string, variables: (prepared: Prepared) => Record<string, unknown>, pick: (data: any) => unknown): Route[] =>
    (['gateway', 'platform'] as const).map((target) => ({ target, query, variables, pick }));
  /** A client of the cell's own (the portal's registration copied), with an active consent from every person. */
  const consentingClient = async () => {
    const clientId = `rm-${marker()}`;
    await sql('platform', `INSERT INTO partner_clients (id, client_id, name, secret_hash, scopes, expires_at, redirect_uris)
      SELECT $1, $2, name, secret_hash, scopes, expires_at, redirect_uris FROM partner_clients WHERE client_id = 'demo-portal'`, [randomUUID(), clientId]);
    for (const person of people) {
      await sql('platform', "INSERT INTO client_consents (id, user_id, client_id, scopes) VALUES ($1, $2, $3, '{booking:write}')", [randomUUID(), seededUserId(person), clientId]);
    }
    return { clientId };
  };
  const activeConsents = async ({ clientId }: Prepared) =>
    (await sql('platform', 'SELECT count(*)::int AS n FROM client_consents WHERE client_id = $1 AND revoked_at IS NULL', [clientId]))[0]!['n'];
  return [
    {
      // Only people holding booking:write themselves (researchers) may let a client use it for them.
      name: 'approvePartnerClient(demo-portal)',
      covers: ['Mutation.approvePartnerClient'],
      expected: allow('li.wei', 'chen.jing'),
      state: async () => (await sql('platform', "SELECT count(*)::int AS n FROM authorization_codes WHERE client_id = 'demo-portal'"))[0]!['n'],
      routes: both(
        `mutation($input: ApprovePartnerClientInput!) { result: approvePartnerClient(input: $input) { expiresAt } }`,
        () => ({ input: {
          clientId: 'demo-portal', redirectUri: 'https://portal.scu.example/shuangcheng/callback', scopes: ['booking:write', 'service:request'],
          codeChallenge: randomUUID().replace(/-/g, '').padEnd(43, 'A'),
        } }),
        (data) => data?.result,
      ),
    },
    {
      name: 'revokeConsent',
      covers: ['Mutation.revokeConsent'],
      expected: allow(...people),
      prepare: consentingClient,
      state: activeConsents,
      routes: both('mutation($id: String!) { result: revokeConsent(clientId: $id) { revokedAt } }', ({ clientId }) => ({ id: clientId }), (data) => data?.result),
    },
    {
      name: 'clientConsents',
      covers: ['Query.clientConsents'],
      expected: allow('platform.admin'),
      routes: both('{ result: clientConsents(clientId: "demo-portal") { id } }', () => ({}), (data) => data?.result),
    },
    {
      name: 'User.consents of li.wei',
      covers: ['User.consents'],
      expected: allow('li.wei', 'platform.admin'),
      routes: [{
        target: 'platform',
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { consents { id } } } }',
        variables: () => ({ r: [{ __typename: 'User', id: seededUserId('li.wei') }] }),
        pick: (data) => data?._entities?.[0]?.consents,
      }],
    },
  ];
}

const OPERATIONS: Operation[] = [...PROVINCE_KEYS.flatMap(provinceOperations), ...platformOperations(), ...platformIdentityOperations(), ...platformClientOperations(), ...platformConsentOperations()];

// ---------- partner clients acting for a person ----------

/*
 * Li Wei's token held by a portal with her consent to these scopes (each caller its own portal, registered for
 * everything a client may do for a person and granted all of it by both provinces, so only the SDL decides).
 * Their expected outcome is not written by hand: it is derived from the SDL (`admitsActing`), so a field added
 * later gets its delegated cells at once. Where the SDL admits the token, the cell expects what Li Wei herself gets;
 * everywhere else, FORBIDDEN.
 */
const ACTING = {
  'portal for li.wei (booking only)': ['booking:write'],
  'portal for li.wei (every scope)': [...DELEGABLE_SCOPES],
} as const satisfies Record<string, readonly string[]>;
type Acting = keyof typeof ACTING;
type MatrixCaller = Caller | Acting;
const ACTING_CALLERS = Object.keys(ACTING) as Acting[];
const MATRIX_CALLERS: readonly MatrixCaller[] = [...CALLERS, ...ACTING_CALLERS];
const isActing = (caller: MatrixCaller): caller is Acting => caller in ACTING;

const PORTAL_REDIRECT = 'https://portal.matrix.example/callback';
const portals = new Map<Acting, Promise<TestPartnerClient>>();
const actingTokens = new Map<Acting, { token: string; at: number }>();

/** A delegated token lives DELEGATED_TOKEN_TTL_SECONDS (300): one is reused for a minute, then a fresh one is got the portal's way. */
async function actingToken(caller: Acting): Promise<string> {
  const cached = actingTokens.get(caller);
  if (cached && Date.now() - cached.at < 60_000) return cached.token;
  let portal = portals.get(caller);
  if (!portal) {
    const scopes = ['catalog:read', ...DELEGABLE_SCOPES];
    portal = createPartnerClient(scopes, { redirectUris: [PORTAL_REDIRECT], grants: { sichuan: scopes, chongqing: scopes }, requestsPerMinute: 100_000, requestsPerDay: 10_000_000 });
    portals.set(caller, portal);
  }
  const token = await delegatedTokenOf(await tokenFor('li.wei'), await portal, ACTING[caller], PORTAL_REDIRECT);
  actingTokens.set(caller, { token, at: Date.now() });
  return token;
}

/** What a guarded coordinate's SDL asks, across every subgraph that declares it. */
interface Guard { scopes: string[][][]; delegable: string[][][] }

/** Each type's and field's directive arguments, read from the rendered SDL of every subgraph (not from the enforcing code). */
function sdlGuards(): Map<string, Guard> {
  const guards = new Map<string, Guard>();
  const listsOf = (directive: ConstDirectiveNode, argument: string): string[][] => {
    const value = directive.arguments?.find((arg) => arg.name.value === argument)?.value;
    if (value?.kind !== Kind.LIST) throw new Error(`@${directive.name.value} without a list of lists`);
    return value.values.map((inner) => (inner.kind === Kind.LIST ? inner.values.map((item) => (item.kind === Kind.STRING ? item.value : '?')) : ['?']));
  };
  const note = (coordinate: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    const guard = guards.get(coordinate) ?? { scopes: [], delegable: [] };
    for (const directive of directives ?? []) {
      if (directive.name.value === 'requiresScopes') guard.scopes.push(listsOf(directive, 'scopes'));
      if (directive.name.value === 'delegable') guard.delegable.push(listsOf(directive, 'scopes'));
    }
    guards.set(coordinate, guard);
  };
  for (const text of schemaTexts()) {
    for (const definition of parse(text).definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      note(definition.name.value, definition.directives);
      for (const field of definition.fields ?? []) note(`${definition.name.value}.${field.name.value}`, field.directives);
    }
  }
  return guards;
}

const SDL_GUARDS = sdlGuards();

/**
 * Whether the SDL lets a token a client holds for a person, with these scopes, through every coordinate the
 * operation covers (a field also under its type's rules): only through a scope, of @requiresScopes or @delegable,
 * all of whose lists it meets in one alternative; a coordinate under @authenticated or @policy alone never.
 */
function admitsActing(covers: readonly string[], held: readonly string[]): boolean {
  const guards = SDL_GUARDS;
  const meets = (alternatives: string[][]) => alternatives.some((all) => all.every((scope) => held.includes(scope)));
  return covers.every((coordinate) => {
    const [type] = coordinate.split('.');
    const parts = [guards.get(type!), coordinate.includes('.') ? guards.get(coordinate) : undefined].filter((guard): guard is Guard => !!guard);
    const lists = parts.flatMap((guard) => [...guard.scopes, ...guard.delegable]);
    return lists.length > 0 && lists.every(meets);
  });
}

/** The outcome a caller must get, by the operation's routes (`route`: one of them, with what it passes through besides). */
function expectedOf(operation: Operation, caller: MatrixCaller, route?: Route): Outcome {
  if (!isActing(caller)) return operation.expected[caller];
  return admitsActing([...operation.covers, ...(route?.via ?? [])], ACTING[caller]) ? operation.expected['li.wei'] : 'FORBIDDEN';
}

// ---------- running a cell ----------

interface CellResult {
  cell: string;
  outcome: string;
  /** For writes: whether the record changed. */
  wrote?: boolean;
  /** Only when the outcome is not the expected one: what the server said. */
  said?: string;
}

function outcomeOf(response: GraphQLResponse, pick: (data: any) => unknown): { outcome: string; said: string } {
  const said = JSON.stringify(response.body).slice(0, 400);
  if (response.status !== 200) return { outcome: `HTTP ${response.status}`, said };
  const errors = response.body.errors ?? [];
  const value = pick(response.body.data);
  if (errors.length === 0) return { outcome: value === null || value === undefined ? 'null without an error' : 'ok', said };
  const codes = [...new Set(errors.map((error) => String(error.extensions?.['code'])))].join(' + ');
  // A refusal must not come with the data it refused.
  return { outcome: value === null || value === undefined ? codes : `${codes}, yet answered`, said };
}

async function runCell(operation: Operation, caller: MatrixCaller): Promise<{ actual: CellResult[]; expected: CellResult[] }> {
  const token = isActing(caller) ? await actingToken(caller) : await callers.tokenOf(caller);
  const actual: CellResult[] = [];
  const expected: CellResult[] = [];
  for (const route of operation.routes) {
    const want = expectedOf(operation, caller, route);
    const cell = `${operation.name} × ${caller} via ${route.target}`;
    const prepared = operation.prepare ? await operation.prepare() : {};
    const before = operation.state ? await operation.state(prepared) : undefined;
    // `_entities` is answered only to the gateway: asked directly, the test presents the gateway's secret, as the gateway does.
    const headers = route.target !== 'gateway' && /\b_entities\b/.test(route.query) ? asGateway() : {};
    const response = await graphql(urlOf(route.target), route.query, { token, headers, variables: route.variables(prepared) });
    const { outcome, said } = outcomeOf(response, route.pick);
    const result: CellResult = { cell, outcome };
    const wanted: CellResult = { cell, outcome: want };
    if (operation.state) {
      result.wrote = !isDeepStrictEqual(before, await operation.state(prepared));
      wanted.wrote = want === 'ok';
    }
    if (!isDeepStrictEqual(result, wanted)) result.said = said;
    actual.push(result);
    expected.push(wanted);
  }
  return { actual, expected };
}

describe.each(OPERATIONS.map((operation) => [operation.name, operation] as const))('%s', (_, operation) => {
  const title = (caller: MatrixCaller) => [...new Set(operation.routes.map((route) => expectedOf(operation, caller, route)))].join(' / ');
  it.each(MATRIX_CALLERS.map((caller) => [caller, title(caller)] as const))('%s → %s', async (caller) => {
    const { actual, expected } = await runCell(operation, caller);
    expect(actual).toEqual(expected);
  }, 60_000);
});

// ---------- the matrix covers the schema ----------

/** Fields and types whose SDL carries an authorization directive, as `Type.field` / `Type`. */
function protectedCoordinates(document: DocumentNode): string[] {
  const found: string[] = [];
  const guarded = (directives: readonly { name: { value: string } }[] | undefined) =>
    (directives ?? []).some((directive) => ['authenticated', 'requiresScopes', 'policy', 'delegable'].includes(directive.name.value));
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (guarded(definition.directives)) found.push(definition.name.value);
    for (const field of definition.fields ?? []) {
      if (guarded(field.directives)) found.push(`${definition.name.value}.${field.name.value}`);
    }
  }
  return found;
}

/** The SDL of every subgraph, rendered as each serves it. */
function schemaTexts(): string[] {
  return [renderPlatformSchema(), ...PROVINCE_KEYS.map((key) => renderProvinceSchema(PROVINCES[key], PROVINCES[PROVINCES[key].partner]))];
}

describe('the matrix', () => {
  it('covers every field and type that carries @authenticated, @requiresScopes, @policy or @delegable, in each subgraph', () => {
    const covered = new Set(OPERATIONS.flatMap((operation) => operation.covers));
    const protectedHere = [...new Set(schemaTexts().flatMap((text) => protectedCoordinates(parse(text))))].sort();
    expect(protectedHere.length).toBeGreaterThan(40);
    expect(protectedHere.filter((coordinate) => !covered.has(coordinate))).toEqual([]);
  });

  it('has a cell for every caller of every operation, and some of each outcome', () => {
    const outcomes = OPERATIONS.flatMap((operation) => MATRIX_CALLERS.map((caller) => expectedOf(operation, caller)));
    expect(outcomes).toHaveLength(OPERATIONS.length * MATRIX_CALLERS.length);
    for (const outcome of ['ok', 'UNAUTHENTICATED', 'FORBIDDEN'] as const) expect(outcomes).toContain(outcome);
  });

  it('lets a client acting for a person through only where the SDL names a scope of its consent', () => {
    const allowed = (caller: Acting) => OPERATIONS.filter((operation) => expectedOf(operation, caller) === 'ok').map((operation) => operation.name);
    // With every scope a consent can name it does some of what Li Wei does; with the booking consent, less; neither what she may not.
    const everything = allowed('portal for li.wei (every scope)');
    const bookingOnly = allowed('portal for li.wei (booking only)');
    const herself = OPERATIONS.filter((operation) => operation.expected['li.wei'] === 'ok').map((operation) => operation.name);
    expect(bookingOnly.length).toBeGreaterThan(0);
    expect(everything.length).toBeGreaterThan(bookingOnly.length);
    expect(herself.length).toBeGreaterThan(everything.length);
    expect(everything.filter((name) => !herself.includes(name))).toEqual([]);
    expect(bookingOnly.filter((name) => !everything.includes(name))).toEqual([]);
  });
});
