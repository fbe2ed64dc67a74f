/**
 * @testSystem in-process: offerings, prices and service requests go through the gateway to their province.
 *
 * Offerings and price lists by customer category, the price snapshot a booking or a service request records, the
 * service request workflow (each step by whom it belongs to, every other transition refused), charges written on
 * completion and on a report, credits as new lines, statements and the CSV export.
 */
import { createSign, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  ADMIN_OF, SlotAllocator, auditCount, closePools, confirm, createInstrument, createLab, localIdOf, localTime, newKey, sql,
} from '../support/registryFixtures';
import { gateway, onlyError, testSystem, tokenFor } from '../support/system';
import { createUser } from '../support/throwawayIdentities';
import { createPartnerClient } from '../support/callers';

afterAll(() => closePools());

const CATEGORIES = ['OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL'] as const;
const standard = (fen: Record<(typeof CATEGORIES)[number], number>) => CATEGORIES.map((category) => ({ category, amountFen: fen[category] }));

/** A token for a demo account, re-signed with the platform's key with another affiliation than the account's own. */
async function tokenWithAffiliation(username: string, affiliation: 'enterprise' | 'internal'): Promise<string> {
  const [header, payload] = (await tokenFor(username)).split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode({ ...payload, affiliation, jti: randomUUID() })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(readFileSync(testSystem().signingKeyFile, 'utf8')).toString('base64url')}`;
}

async function createOffering(input: Record<string, unknown>): Promise<string> {
  const { body } = await gateway('mutation($input: OfferingInput!) { created: createSichuanOffering(input: $input) { id } }', {
    token: await tokenFor(ADMIN_OF.sichuan),
    variables: { input },
  });
  expect(body.errors).toBeUndefined();
  return body.data.created.id;
}

const SAMPLE_FORM = [
  { name: 'organism', label: 'Organism', type: 'TEXT' },
  { name: 'concentration', label: 'DNA concentration (ng/µL)', type: 'NUMBER' },
  { name: 'hazardous', label: 'Hazardous material', type: 'BOOLEAN', required: false },
];

async function sequencingOffering(): Promise<string> {
  const instrumentId = await createInstrument('sichuan', { category: 'GENE_SEQUENCER' });
  return createOffering({
    instrumentId, kind: 'SAMPLE_TESTING', name: 'Whole-genome sequencing run', nameZh: '全基因组测序', turnaroundDays: 10,
    sampleForm: SAMPLE_FORM,
    prices: standard({ OWN_PROVINCE_ACADEMIC: 80_000, OTHER_PROVINCE_ACADEMIC: 90_000, ENTERPRISE: 150_000, INTERNAL: 50_000 }),
  });
}

const REQUEST_FIELDS = 'id status sampleCount priceSnapshot { category unit unitFen estimateFen } quote { amountFen validUntil } closingReason formValues { name value }';

async function submit(token: string, offeringId: string, overrides: Record<string, unknown> = {}) {
  const input = {
    offeringId,
    formValues: [{ name: 'organism', value: 'Oryza sativa' }, { name: 'concentration', value: '52.5' }],
    sampleCount: 12,
    neededBy: localTime(30, 12),
    description: 'Resequencing of twelve rice lines for a breeding study',
    idempotencyKey: newKey(),
    ...overrides,
  };
  return gateway(`mutation($input: ServiceRequestInput!) { request: submitSichuanServiceRequest(input: $input) { ${REQUEST_FIELDS} } }`, {
    token, variables: { input },
  });
}

type Step = 'quote' | 'accept' | 'decline' | 'receive' | 'start' | 'issue' | 'close' | 'cancel' | 'reject';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** One step of a request, as the given caller. */
function step(action: Step, id: string, token: string) {
  const mutations: Record<Step, [string, Record<string, unknown>]> = {
    quote: ['quoteSichuanServiceRequest(id: $id, amountFen: $amount, validUntil: $until, note: "Includes library preparation")', {
      amount: 1_200_000, until: localTime(20, 12),
    }],
    accept: ['acceptSichuanServiceQuote(id: $id)', {}],
    decline: ['declineSichuanServiceQuote(id: $id, reason: "Too expensive for us")', {}],
    receive: ['receiveSichuanSamples(id: $id, note: "12 tubes on dry ice")', {}],
    start: ['startSichuanServiceRequest(id: $id)', {}],
    issue: ['issueSichuanServiceReport(id: $id, report: $report)', {
      report: { fileName: 'report.pdf', contentType: 'application/pdf', contentBase64: PDF.toString('base64') },
    }],
    close: ['closeSichuanServiceRequest(id: $id)', {}],
    cancel: ['cancelSichuanServiceRequest(id: $id, reason: "No longer needed")', {}],
    reject: ['rejectSichuanServiceRequest(id: $id, reason: "Samples out of scope")', {}],
  };
  const [call, variables] = mutations[action];
  const declared = [
    '$id: ID!',
    ...('amount' in variables ? ['$amount: Int!', '$until: DateTime!'] : []),
    ...('report' in variables ? ['$report: ServiceReportInput!'] : []),
  ].join(', ');
  return gateway(`mutation(${declared}) { result: ${call} { ${REQUEST_FIELDS} } }`, { token, variables: { id, ...variables } });
}

async function stepOk(action: Step, id: string, token: string, status: string) {
  const { body } = await step(action, id, token);
  expect(body.errors).toBeUndefined();
  expect(body.data.result.status).toBe(status);
  return body.data.result;
}

describe('offerings and their prices', () => {
  it('a Sichuan admin adds an offering with a price list; it is audited and shown with the instrument', async () => {
    const instrumentId = await createInstrument('sichuan');
    const id = await createOffering({
      instrumentId, kind: 'SELF_OPERATED', name: 'Self-operated NMR time', nameZh: '自主上机', requirements: 'Training certificate',
      prices: standard({ OWN_PROVINCE_ACADEMIC: 20_000, OTHER_PROVINCE_ACADEMIC: 24_000, ENTERPRISE: 40_000, INTERNAL: 10_000 }),
    });
    expect(id).toMatch(/^sc:offering:/);
    expect(await auditCount('sichuan', id)).toBe(1);
    const { body } = await gateway('query($id: ID!) { sichuan { instrument(id: $id) { offerings { id kind unit quoted prices { category band amountFen } } } } }', {
      variables: { id: instrumentId },
    });
    expect(body.data.sichuan.instrument.offerings).toEqual([
      expect.objectContaining({ id, kind: 'SELF_OPERATED', unit: 'HOUR', quoted: false }),
    ]);
    expect(body.data.sichuan.instrument.offerings[0].prices).toHaveLength(4);
  });

  it.each([
    ['a priced offering missing a category', { kind: 'SAMPLE_TESTING', sampleForm: SAMPLE_FORM, prices: standard({ OWN_PROVINCE_ACADEMIC: 1, OTHER_PROVINCE_ACADEMIC: 1, ENTERPRISE: 1, INTERNAL: 1 }).slice(1) }, /STANDARD price for OWN_PROVINCE_ACADEMIC is missing/],
    ['sample testing without a form', { kind: 'SAMPLE_TESTING', prices: standard({ OWN_PROVINCE_ACADEMIC: 1, OTHER_PROVINCE_ACADEMIC: 1, ENTERPRISE: 1, INTERNAL: 1 }) }, /needs a sample form/],
    ['a negative price', { kind: 'CONSULTATION', prices: [{ category: 'ENTERPRISE', amountFen: -5 }] }, /amountFen: must be at least 0/],
    ['a time band on a per-sample offering', { kind: 'SAMPLE_TESTING', sampleForm: SAMPLE_FORM, prices: [...standard({ OWN_PROVINCE_ACADEMIC: 1, OTHER_PROVINCE_ACADEMIC: 1, ENTERPRISE: 1, INTERNAL: 1 }), { category: 'ENTERPRISE', band: 'EVENING', fromHour: 18, toHour: 22, amountFen: 5 }] }, /time bands are for hourly use only/],
    ['overlapping bands', { kind: 'SELF_OPERATED', prices: [...standard({ OWN_PROVINCE_ACADEMIC: 1, OTHER_PROVINCE_ACADEMIC: 1, ENTERPRISE: 1, INTERNAL: 1 }), { category: 'ENTERPRISE', band: 'EVENING', fromHour: 18, toHour: 22, amountFen: 5 }, { category: 'ENTERPRISE', band: 'NIGHT', fromHour: 21, toHour: 24, amountFen: 5 }] }, /bands EVENING and NIGHT overlap/],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_, fields, message) => {
    const instrumentId = await createInstrument('sichuan');
    const { body } = await gateway('mutation($input: OfferingInput!) { createSichuanOffering(input: $input) { id } }', {
      token: await tokenFor(ADMIN_OF.sichuan),
      variables: { input: { instrumentId, name: 'Refused offering', nameZh: '拒绝', ...fields } },
    });
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(await sql('sichuan', 'SELECT 1 FROM offerings WHERE instrument_id = $1', [localIdOf(instrumentId)])).toHaveLength(0);
  });

  it('needs exactly one provider, of its own province, and only its own admins', async () => {
    const instrumentId = await createInstrument('sichuan');
    const labId = await createLab('sichuan');
    const input = { kind: 'CONSULTATION', name: 'Method consultation', nameZh: '方法咨询' };
    const both = await gateway('mutation($input: OfferingInput!) { createSichuanOffering(input: $input) { id } }', {
      token: await tokenFor(ADMIN_OF.sichuan), variables: { input: { ...input, instrumentId, labId } },
    });
    expect(onlyError(both.body).extensions?.['code']).toBe('BAD_USER_INPUT');
    const lab = await createOffering({ ...input, labId });
    expect(lab).toMatch(/^sc:offering:/);
    const chongqingAdmin = await gateway('mutation($input: OfferingInput!) { createSichuanOffering(input: $input) { id } }', {
      token: await tokenFor(ADMIN_OF.chongqing), variables: { input: { ...input, labId } },
    });
    expect(onlyError(chongqingAdmin.body).extensions?.['code']).toBe('FORBIDDEN');
  });

  it("shows each caller their own category's price, and the time band at the time asked", async () => {
    const instrumentId = await createInstrument('sichuan');
    const id = await createOffering({
      instrumentId, kind: 'SELF_OPERATED', name: 'Confocal time', nameZh: '共聚焦机时',
      prices: [
        ...standard({ OWN_PROVINCE_ACADEMIC: 10_000, OTHER_PROVINCE_ACADEMIC: 12_000, ENTERPRISE: 30_000, INTERNAL: 5_000 }),
        { category: 'OTHER_PROVINCE_ACADEMIC', band: 'EVENING', fromHour: 18, toHour: 22, amountFen: 8_000 },
      ],
    });
    const query = 'query($id: ID!, $at: DateTime) { sichuan { offering(id: $id) { priceForMe(at: $at) { category amountFen band unit } } } }';
    const priceFor = async (token: string | undefined, at?: string) =>
      (await gateway(query, { token, variables: { id, at } })).body.data.sichuan.offering.priceForMe;
    const noon = localTime(3, 12);
    expect(await priceFor(await tokenFor('li.wei'), noon)).toEqual({ category: 'OWN_PROVINCE_ACADEMIC', amountFen: 10_000, band: 'STANDARD', unit: 'HOUR' });
    expect(await priceFor(await tokenFor('chen.jing'), noon)).toEqual({ category: 'OTHER_PROVINCE_ACADEMIC', amountFen: 12_000, band: 'STANDARD', unit: 'HOUR' });
    expect(await priceFor(await tokenFor('chen.jing'), localTime(3, 19))).toEqual({ category: 'OTHER_PROVINCE_ACADEMIC', amountFen: 8_000, band: 'EVENING', unit: 'HOUR' });
    expect(await priceFor(await tokenWithAffiliation('chen.jing', 'enterprise'), noon)).toMatchObject({ category: 'ENTERPRISE', amountFen: 30_000 });
    expect(await priceFor(await tokenWithAffiliation('li.wei', 'internal'), noon)).toMatchObject({ category: 'INTERNAL', amountFen: 5_000 });
    expect(await priceFor(undefined, noon)).toMatchObject({ category: 'OTHER_PROVINCE_ACADEMIC', amountFen: 12_000 });
  });
});

describe('an instrument or lab taken out of service', () => {
  const retire = async (kind: 'Instrument' | 'Lab', id: string) => {
    const { body } = await gateway(`mutation($id: ID!) { retireSichuan${kind}(id: $id, reason: "Decommissioned after a fault") { id } }`, {
      token: await tokenFor(ADMIN_OF.sichuan), variables: { id },
    });
    expect(body.errors).toBeUndefined();
  };
  const offeringOf = async (id: string) =>
    (await gateway('query($id: ID!) { sichuan { offering(id: $id) { active } } }', { variables: { id } })).body.data.sichuan.offering;

  it('withdraws its offerings with it: none stays requestable, listed or bookable, and none can be offered again', async () => {
    const instrumentId = await createInstrument('sichuan', { category: 'GENE_SEQUENCER' });
    const testing = await createOffering({
      instrumentId, kind: 'SAMPLE_TESTING', name: 'Sequencing before retirement', nameZh: '退役前测序', sampleForm: SAMPLE_FORM,
      prices: standard({ OWN_PROVINCE_ACADEMIC: 80_000, OTHER_PROVINCE_ACADEMIC: 90_000, ENTERPRISE: 150_000, INTERNAL: 50_000 }),
    });
    const selfOperated = await createOffering({
      instrumentId, kind: 'SELF_OPERATED', name: 'Sequencer time', nameZh: '测序仪机时',
      prices: standard({ OWN_PROVINCE_ACADEMIC: 10_000, OTHER_PROVINCE_ACADEMIC: 12_000, ENTERPRISE: 30_000, INTERNAL: 5_000 }),
    });
    await retire('Instrument', instrumentId);

    expect(await offeringOf(testing)).toEqual({ active: false });
    expect(await offeringOf(selfOperated)).toEqual({ active: false });
    const listed = await gateway('query($id: ID!) { sichuan { offerings(instrumentId: $id) { id } instrument(id: $id) { offerings { id } } } }', { variables: { id: instrumentId } });
    expect(listed.body.data.sichuan).toEqual({ offerings: [], instrument: { offerings: [] } });
    const [audit] = await sql('sichuan', "SELECT details FROM audit_log WHERE action = 'instrument.retired' AND entity_id = $1", [instrumentId]);
    expect(audit!['details'].offeringsWithdrawn.sort()).toEqual([testing, selfOperated].sort());

    const request = await submit(await tokenFor('chen.jing'), testing);
    expect(onlyError(request.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSTRUMENT_RETIRED' });
    expect(onlyError(request.body).message).toMatch(/retired/);
    const booking = await gateway(`mutation($id: ID!, $start: DateTime!, $end: DateTime!, $key: String!) {
        bookSichuanInstrument(instrumentId: $id, start: $start, end: $end, purpose: "Run on a retired sequencer", idempotencyKey: $key) { id } }`, {
      token: await tokenFor('chen.jing'), variables: { id: instrumentId, start: localTime(5, 10), end: localTime(5, 11), key: newKey() },
    });
    expect(onlyError(booking.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_IN_SERVICE' });
    const reoffered = await gateway('mutation($id: ID!) { updateSichuanOffering(id: $id, input: { active: true }) { active } }', {
      token: await tokenFor(ADMIN_OF.sichuan), variables: { id: testing },
    });
    expect(onlyError(reoffered.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSTRUMENT_RETIRED' });
    expect(await offeringOf(testing)).toEqual({ active: false });
  });

  it("a closed lab's service centre offers nothing either", async () => {
    const labId = await createLab('sichuan');
    const consultation = await createOffering({ labId, kind: 'CONSULTATION', name: 'Method consultation', nameZh: '方法咨询' });
    await retire('Lab', labId);
    expect(await offeringOf(consultation)).toEqual({ active: false });
    const reoffered = await gateway('mutation($id: ID!) { updateSichuanOffering(id: $id, input: { active: true }) { active } }', {
      token: await tokenFor(ADMIN_OF.sichuan), variables: { id: consultation },
    });
    expect(onlyError(reoffered.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'LAB_RETIRED' });
  });

  it('refuses a request for an offering of a retired instrument even when the offering was left active', async () => {
    // As an instrument retired before retiring withdrew offerings left them.
    const offeringId = await sequencingOffering();
    await sql('sichuan', "UPDATE instruments SET status = 'RETIRED', open_for_sharing = false WHERE id = (SELECT instrument_id FROM offerings WHERE id = $1)", [localIdOf(offeringId)]);
    const request = await submit(await tokenFor('chen.jing'), offeringId);
    expect(onlyError(request.body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'INSTRUMENT_RETIRED' });
    expect(await sql('sichuan', 'SELECT 1 FROM service_requests WHERE offering_id = $1', [localIdOf(offeringId)])).toHaveLength(0);
  });
});

describe('a booking records its price and is charged from it', () => {
  it('keeps the snapshot after a price change, charges it on completion, and credits with a new line', async () => {
    const instrumentId = await createInstrument('sichuan');
    const offeringId = await createOffering({
      instrumentId, kind: 'SELF_OPERATED', name: 'Cryo-EM time', nameZh: '冷冻电镜机时',
      prices: [
        ...standard({ OWN_PROVINCE_ACADEMIC: 10_000, OTHER_PROVINCE_ACADEMIC: 12_001, ENTERPRISE: 30_000, INTERNAL: 5_000 }),
        { category: 'OTHER_PROVINCE_ACADEMIC', band: 'EVENING', fromHour: 18, toHour: 22, amountFen: 8_000 },
      ],
    });
    const chen = await tokenFor('chen.jing');
    const { body: booked } = await gateway(
      `mutation($i: ID!, $s: DateTime!, $e: DateTime!, $k: String!) { booking: bookSichuanInstrument(instrumentId: $i, start: $s, end: $e, purpose: "Grid screening run", idempotencyKey: $k) {
        id priceSnapshot { category totalFen lines { band quantity unitFen amountFen } } } }`,
      { token: chen, variables: { i: instrumentId, s: localTime(5, 16, 30), e: localTime(5, 19), k: newKey() } },
    );
    expect(booked.errors).toBeUndefined();
    const snapshot = {
      category: 'OTHER_PROVINCE_ACADEMIC',
      // 1.5 h at 120.01 yuan is 18001.5 fen, rounded half up; 1 h in the evening band.
      lines: [{ band: 'STANDARD', quantity: '1.5', unitFen: 12_001, amountFen: 18_002 }, { band: 'EVENING', quantity: '1', unitFen: 8_000, amountFen: 8_000 }],
      totalFen: 26_002,
    };
    expect(booked.data.booking.priceSnapshot).toEqual(snapshot);
    const bookingId = booked.data.booking.id as string;

    const raised = await gateway('mutation($id: ID!, $prices: [PriceInput!]!) { setSichuanOfferingPrices(id: $id, prices: $prices) { id } }', {
      token: await tokenFor(ADMIN_OF.sichuan),
      variables: { id: offeringId, prices: standard({ OWN_PROVINCE_ACADEMIC: 99_000, OTHER_PROVINCE_ACADEMIC: 99_000, ENTERPRISE: 99_000, INTERNAL: 99_000 }) },
    });
    expect(raised.body.errors).toBeUndefined();

    await confirm('sichuan', bookingId);
    await sql('sichuan', "UPDATE bookings SET starts_at = starts_at - interval '400 days', ends_at = ends_at - interval '400 days' WHERE id = $1", [localIdOf(bookingId)]);
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const { body: completed } = await gateway(
      `mutation($id: ID!) { completeSichuanBooking(bookingId: $id) { status priceSnapshot { totalFen } charge { id payerName category source offeringKind totalFen amountDueFen voucherPaidFen voucherPendingFen voucherPayments { id }
        lines { kind description quantity unitFen amountFen } } } }`,
      { token: admin, variables: { id: bookingId } },
    );
    expect(completed.errors).toBeUndefined();
    const charge = completed.data.completeSichuanBooking.charge;
    expect(charge).toMatchObject({
      payerName: 'Chen Jing', category: 'OTHER_PROVINCE_ACADEMIC', source: 'BOOKING', offeringKind: 'SELF_OPERATED', totalFen: 26_002, amountDueFen: 26_002, voucherPaidFen: 0, voucherPendingFen: 0, voucherPayments: [],
    });
    expect(charge.lines.map((line: { amountFen: number }) => line.amountFen)).toEqual([18_002, 8_000]);

    const credit = (amountFen: number) => gateway(
      'mutation($id: ID!, $a: Int!) { creditSichuanCharge(chargeId: $id, amountFen: $a, reason: "Instrument down for 30 minutes") { totalFen amountDueFen lines { kind amountFen reason } } }',
      { token: admin, variables: { id: charge.id, a: amountFen } },
    );
    const credited = await credit(4_000);
    expect(credited.body.errors).toBeUndefined();
    expect(credited.body.data.creditSichuanCharge).toMatchObject({ totalFen: 22_002, amountDueFen: 22_002 });
    expect(credited.body.data.creditSichuanCharge.lines[2]).toEqual({ kind: 'CREDIT', amountFen: -4_000, reason: 'Instrument down for 30 minutes' });
    const tooMuch = await credit(22_003);
    expect(onlyError(tooMuch.body).extensions?.['code']).toBe('BAD_USER_INPUT');
    const byResearcher = await gateway('mutation($id: ID!) { creditSichuanCharge(chargeId: $id, amountFen: 1, reason: "Please") { id } }', { token: chen, variables: { id: charge.id } });
    expect(onlyError(byResearcher.body).extensions?.['code']).toBe('FORBIDDEN');
    // Lines are never edited, whoever asks: the database refuses it too.
    await expect(sql('sichuan', 'UPDATE charge_lines SET amount_fen = 0 WHERE charge_id = $1', [localIdOf(charge.id)])).rejects.toThrow(/never changed/);
    // The charge and its one accepted credit are in the outbox with the booking's id, never an amount or the payer.
    expect(await outboxOf(charge.id)).toEqual([
      { type: 'charge.created', state: { source: 'BOOKING', bookingId } },
      { type: 'charge.credited', state: { source: 'BOOKING', bookingId } },
    ]);
    expect(await sql('sichuan', 'SELECT amount_fen FROM charge_lines WHERE charge_id = $1 ORDER BY id', [localIdOf(charge.id)])).toEqual([
      { amount_fen: '18002' }, { amount_fen: '8000' }, { amount_fen: '-4000' },
    ]);
  });
});

describe('service requests', () => {
  it('goes SUBMITTED → QUOTED → ACCEPTED → SAMPLES_RECEIVED → IN_PROGRESS → REPORT_ISSUED → CLOSED, each step by whom it belongs to', async () => {
    const offeringId = await sequencingOffering();
    const enterprise = await tokenWithAffiliation('chen.jing', 'enterprise');
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const submitted = await submit(enterprise, offeringId);
    expect(submitted.body.errors).toBeUndefined();
    const request = submitted.body.data.request;
    expect(request).toMatchObject({
      status: 'SUBMITTED', sampleCount: 12, priceSnapshot: { category: 'ENTERPRISE', unit: 'SAMPLE', unitFen: 150_000, estimateFen: 1_800_000 },
      formValues: [{ name: 'organism', value: 'Oryza sativa' }, { name: 'concentration', value: '52.5' }],
    });

    // Prices change after the request: its snapshot does not.
    await gateway('mutation($id: ID!, $prices: [PriceInput!]!) { setSichuanOfferingPrices(id: $id, prices: $prices) { id } }', {
      token: admin, variables: { id: offeringId, prices: standard({ OWN_PROVINCE_ACADEMIC: 1, OTHER_PROVINCE_ACADEMIC: 1, ENTERPRISE: 1, INTERNAL: 1 }) },
    });

    expect(onlyError((await step('quote', request.id, enterprise)).body).extensions?.['code']).toBe('FORBIDDEN');
    const quoted = await stepOk('quote', request.id, admin, 'QUOTED');
    expect(quoted.quote.amountFen).toBe(1_200_000);
    expect(onlyError((await step('accept', request.id, await tokenFor('li.wei'))).body).extensions?.['code']).toBe('FORBIDDEN');
    await stepOk('accept', request.id, enterprise, 'ACCEPTED');
    expect(onlyError((await step('receive', request.id, enterprise)).body).extensions?.['code']).toBe('FORBIDDEN');
    await stepOk('receive', request.id, admin, 'SAMPLES_RECEIVED');
    expect(onlyError((await step('cancel', request.id, enterprise)).body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'FORBIDDEN_TRANSITION' });
    await stepOk('start', request.id, admin, 'IN_PROGRESS');

    // A report that is not what it says it is: refused, nothing written, the request where it was.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64');
    const fake = await gateway('mutation($id: ID!, $r: ServiceReportInput!) { issueSichuanServiceReport(id: $id, report: $r) { id } }', {
      token: admin, variables: { id: request.id, r: { fileName: 'report.pdf', contentType: 'application/pdf', contentBase64: png } },
    });
    expect(onlyError(fake.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not a application\/pdf document/) });
    const tooLarge = await gateway('mutation($id: ID!, $r: ServiceReportInput!) { issueSichuanServiceReport(id: $id, report: $r) { id } }', {
      token: admin, variables: { id: request.id, r: { fileName: 'report.pdf', contentType: 'application/pdf', contentBase64: Buffer.concat([PDF, Buffer.alloc(600 * 1024)]).toString('base64') } },
    });
    expect(onlyError(tooLarge.body).message).toMatch(/at most 512 KiB/);
    expect(await sql('sichuan', 'SELECT status FROM service_requests WHERE id = $1', [localIdOf(request.id)])).toEqual([{ status: 'IN_PROGRESS' }]);
    expect(await sql('sichuan', 'SELECT 1 FROM service_reports WHERE request_id = $1 UNION ALL SELECT 1 FROM charges WHERE service_request_id = $1', [localIdOf(request.id)])).toHaveLength(0);

    await stepOk('issue', request.id, admin, 'REPORT_ISSUED');
    await stepOk('close', request.id, admin, 'CLOSED');

    const read = (token: string) => gateway(`query($id: ID!) { sichuan { serviceRequest(id: $id) { status report { fileName contentType sizeBytes sha256 contentBase64 }
      charge { source category totalFen amountDueFen lines { kind description quantity unitFen amountFen } } history { status actorName } } } }`, { token, variables: { id: request.id } });
    const { body } = await read(enterprise);
    const seen = body.data.sichuan.serviceRequest;
    expect(Buffer.from(seen.report.contentBase64, 'base64').equals(PDF)).toBe(true);
    expect(seen.report).toMatchObject({ fileName: 'report.pdf', contentType: 'application/pdf', sizeBytes: PDF.length });
    // The list price recorded at submission (12 × 1500 yuan), then the quote's difference as a credit.
    expect(seen.charge).toEqual({
      source: 'SERVICE_REQUEST', category: 'ENTERPRISE', totalFen: 1_200_000, amountDueFen: 1_200_000,
      lines: [
        { kind: 'ITEM', description: 'Whole-genome sequencing run, STANDARD price (samples)', quantity: '12.000', unitFen: 150_000, amountFen: 1_800_000 },
        { kind: 'CREDIT', description: 'Quoted below the list price', quantity: '1.000', unitFen: null, amountFen: -600_000 },
      ],
    });
    expect(seen.history.map((event: { status: string }) => event.status)).toEqual([
      'SUBMITTED', 'QUOTED', 'ACCEPTED', 'SAMPLES_RECEIVED', 'IN_PROGRESS', 'REPORT_ISSUED', 'CLOSED',
    ]);
    expect(seen.history[0].actorName).toBe('Chen Jing');
    expect(onlyError((await read(await tokenFor('li.wei'))).body).extensions?.['code']).toBe('FORBIDDEN');
    expect(onlyError((await read(await tokenFor(ADMIN_OF.chongqing))).body).extensions?.['code']).toBe('FORBIDDEN');
    // The platform admin may see the request, not download its report.
    const { body: asPlatformAdmin } = await read(await tokenFor('platform.admin'));
    expect(asPlatformAdmin.data.sichuan.serviceRequest.report.contentBase64).toBeNull();
    expect(onlyError(asPlatformAdmin)).toMatchObject({ path: ['sichuan', 'serviceRequest', 'report', 'contentBase64'], extensions: { code: 'FORBIDDEN' } });
  });

  it("prices a Chongqing enterprise's request at the enterprise price, from the affiliation its own sign-in carries", async () => {
    const offeringId = await sequencingOffering();
    const token = await tokenFor('liu.yang');
    const price = await gateway('query($id: ID!) { sichuan { offering(id: $id) { priceForMe { category amountFen } } } }', { token, variables: { id: offeringId } });
    expect(price.body.data.sichuan.offering.priceForMe).toEqual({ category: 'ENTERPRISE', amountFen: 150_000 });
    const { body } = await submit(token, offeringId);
    expect(body.errors).toBeUndefined();
    expect(body.data.request.priceSnapshot).toEqual({ category: 'ENTERPRISE', unit: 'SAMPLE', unitFen: 150_000, estimateFen: 12 * 150_000 });
  });

  it("pages the staff's queue with each request once, however many share a millisecond's neighbourhood", async () => {
    const offeringId = await sequencingOffering();
    const token = await tokenFor('chen.jing');
    for (let i = 0; i < 5; i++) expect((await submit(token, offeringId)).body.errors).toBeUndefined();
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const seen: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let pages = 0; pages < 500; pages++) {
      const { body }: { body: any } = await gateway(`query($after: String) { sichuan { serviceRequests(status: SUBMITTED, first: 2, after: $after) {
          totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } } }`, { token: admin, variables: { after } });
      expect(body.errors).toBeUndefined();
      const page: { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = body.data.sichuan.serviceRequests;
      totalCount = page.totalCount;
      seen.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(totalCount);
  });

  it('refuses every step the workflow does not allow from where a request stands', async () => {
    const offeringId = await sequencingOffering();
    const chen = await tokenFor('chen.jing');
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const refused = async (id: string, actions: Step[], status: string) => {
      for (const action of actions) {
        const token = ['accept', 'decline'].includes(action) ? chen : admin;
        const error = onlyError((await step(action, id, token)).body);
        expect({ action, extensions: error.extensions }).toMatchObject({ action, extensions: { code: 'CONFLICT', reason: 'FORBIDDEN_TRANSITION', status } });
      }
    };
    const fresh = async () => (await submit(chen, offeringId)).body.data.request.id as string;

    const submitted = await fresh();
    await refused(submitted, ['accept', 'decline', 'receive', 'start', 'issue', 'close'], 'SUBMITTED');
    await stepOk('quote', submitted, admin, 'QUOTED');
    await refused(submitted, ['receive', 'start', 'issue', 'close'], 'QUOTED');
    await stepOk('decline', submitted, chen, 'DECLINED');
    await refused(submitted, ['quote', 'accept', 'decline', 'receive', 'start', 'issue', 'close', 'cancel', 'reject'], 'DECLINED');

    const cancelled = await fresh();
    const byChen = await stepOk('cancel', cancelled, chen, 'CANCELLED');
    expect(byChen.closingReason).toBe('No longer needed');
    await refused(cancelled, ['quote', 'accept', 'cancel', 'reject'], 'CANCELLED');

    const rejected = await fresh();
    await stepOk('reject', rejected, admin, 'REJECTED');
    await refused(rejected, ['quote', 'accept', 'cancel', 'reject', 'close'], 'REJECTED');

    const working = await fresh();
    await stepOk('quote', working, admin, 'QUOTED');
    await stepOk('accept', working, chen, 'ACCEPTED');
    await refused(working, ['quote', 'accept', 'start', 'issue', 'close'], 'ACCEPTED');
    await stepOk('receive', working, admin, 'SAMPLES_RECEIVED');
    await stepOk('start', working, admin, 'IN_PROGRESS');
    await refused(working, ['quote', 'receive', 'cancel', 'reject', 'close'], 'IN_PROGRESS');
    await stepOk('issue', working, admin, 'REPORT_ISSUED');
    await refused(working, ['issue', 'cancel', 'reject', 'start'], 'REPORT_ISSUED');
  });

  it('refuses a quote past its validity', async () => {
    const chen = await tokenFor('chen.jing');
    const id = (await submit(chen, await sequencingOffering())).body.data.request.id as string;
    await stepOk('quote', id, await tokenFor(ADMIN_OF.sichuan), 'QUOTED');
    await sql('sichuan', "UPDATE service_requests SET quote_valid_until = now() - interval '1 minute' WHERE id = $1", [localIdOf(id)]);
    expect(onlyError((await step('accept', id, chen)).body).extensions).toMatchObject({ code: 'CONFLICT', reason: 'QUOTE_EXPIRED' });
  });

  it('is idempotent by key, and names what differs when a key is reused for another request', async () => {
    const offeringId = await sequencingOffering();
    const chen = await tokenFor('chen.jing');
    const idempotencyKey = newKey();
    const [first, again] = await Promise.all([submit(chen, offeringId, { idempotencyKey }), submit(chen, offeringId, { idempotencyKey })]);
    expect(first.body.errors).toBeUndefined();
    expect(again.body.data.request.id).toBe(first.body.data.request.id);
    const other = await submit(chen, offeringId, { idempotencyKey, sampleCount: 3 });
    expect(onlyError(other.body).extensions).toMatchObject({ code: 'CONFLICT', differingFields: ['sampleCount'] });
    expect(await sql('sichuan', 'SELECT count(*)::int AS n FROM service_requests WHERE idempotency_key = $1', [idempotencyKey])).toEqual([{ n: 1 }]);
  });

  it.each([
    ['a missing required field', { formValues: [{ name: 'organism', value: 'Oryza sativa' }] }, /formValues\.concentration: is required/],
    ['a field the form does not have', { formValues: [{ name: 'organism', value: 'Rice' }, { name: 'concentration', value: '5' }, { name: 'colour', value: 'red' }] }, /colour: is not a field/],
    ['a value of the wrong type', { formValues: [{ name: 'organism', value: 'Rice' }, { name: 'concentration', value: 'lots' }] }, /concentration: must be a number/],
    ['no samples', { sampleCount: 0 }, /sampleCount: must be at least 1/],
    ['a needed-by date in the past', { neededBy: new Date(Date.now() - 86_400_000).toISOString() }, /neededBy: must be in the future/],
    ['an offering of the other province', { offeringId: `cq:offering:${randomUUID()}` }, /belongs to Chongqing/],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_, overrides, message) => {
    const idempotencyKey = newKey();
    const { body } = await submit(await tokenFor('chen.jing'), await sequencingOffering(), { idempotencyKey, ...overrides });
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(await sql('sichuan', 'SELECT 1 FROM service_requests WHERE idempotency_key = $1', [idempotencyKey])).toHaveLength(0);
  });

  it('lists a person\'s requests of both provinces in one query through me', async () => {
    const chen = await tokenFor('chen.jing');
    const id = (await submit(chen, await sequencingOffering())).body.data.request.id;
    const { body } = await gateway('{ me { sichuanServiceRequests { id status offering { name } } chongqingServiceRequests { id } } }', { token: chen });
    expect(body.errors).toBeUndefined();
    expect(body.data.me.sichuanServiceRequests).toContainEqual({ id, status: 'SUBMITTED', offering: { name: 'Whole-genome sequencing run' } });
    expect(Array.isArray(body.data.me.chongqingServiceRequests)).toBe(true);
  });
});

/** The outbox events of one entity, oldest first. */
async function outboxOf(entityId: string): Promise<{ type: string; state: Record<string, unknown> }[]> {
  return sql('sichuan', 'SELECT type, state FROM events WHERE entity_id = $1 ORDER BY sequence', [entityId]);
}

describe('events of service requests and charges', () => {
  it('writes each step and the charge of a report with the change, none for a refused step, readable with the province partner scope', async () => {
    const offeringId = await sequencingOffering();
    const chen = await tokenFor('chen.jing');
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const id = (await submit(chen, offeringId)).body.data.request.id as string;
    await stepOk('quote', id, admin, 'QUOTED');
    // Refused steps: out of order, and by the wrong person.
    expect(onlyError((await step('start', id, admin)).body).extensions?.['code']).toBe('CONFLICT');
    expect(onlyError((await step('accept', id, admin)).body).extensions?.['code']).toBe('FORBIDDEN');
    await stepOk('accept', id, chen, 'ACCEPTED');
    await stepOk('receive', id, admin, 'SAMPLES_RECEIVED');
    await stepOk('start', id, admin, 'IN_PROGRESS');
    await stepOk('issue', id, admin, 'REPORT_ISSUED');
    await stepOk('close', id, admin, 'CLOSED');

    const statuses = ['SUBMITTED', 'QUOTED', 'ACCEPTED', 'SAMPLES_RECEIVED', 'IN_PROGRESS', 'REPORT_ISSUED', 'CLOSED'];
    expect(await outboxOf(id)).toEqual(statuses.map((status) => ({ type: `serviceRequest.${status.toLowerCase()}`, state: { status, offeringId } })));
    const [charge] = await sql('sichuan', 'SELECT id FROM charges WHERE service_request_id = $1', [localIdOf(id)]);
    const chargeId = (await sql('sichuan', "SELECT entity_id AS id FROM events WHERE type = 'charge.created' AND state->>'serviceRequestId' = $1", [id]))[0]!.id as string;
    expect(localIdOf(chargeId)).toBe(charge!.id);
    expect(await outboxOf(chargeId)).toEqual([{ type: 'charge.created', state: { source: 'SERVICE_REQUEST', serviceRequestId: id } }]);
    // The report's event and the charge's were written in one transaction with the step.
    const [together] = await sql('sichuan', `SELECT count(DISTINCT occurred_at)::int AS n FROM events WHERE entity_id = ANY($1) AND type IN ('serviceRequest.report_issued', 'charge.created')`, [[id, chargeId]]);
    expect(together!.n).toBe(1);

    // A researcher may not read them (status is private); a partner system of Sichuan granted its partner scope may.
    const types = ['serviceRequest.submitted', 'charge.created'];
    const EVENTS = 'query($types: [String!]) { sichuan { events(first: 100, types: $types) { edges { node { type entityId state } } } } }';
    const researcher = onlyError((await gateway(EVENTS, { token: chen, variables: { types } })).body);
    expect(researcher.extensions?.['code']).toBe('FORBIDDEN');
    expect(researcher.message).toContain('usage:record:sichuan');
    const partner = await createPartnerClient(['usage:record:sichuan'], { grants: { sichuan: ['usage:record:sichuan'] } });
    const { body } = await gateway(EVENTS, { token: partner.token, variables: { types } });
    expect(body.errors).toBeUndefined();
    const read = body.data.sichuan.events.edges.map((edge: { node: { entityId: string } }) => edge.node.entityId);
    expect(read).toEqual(expect.arrayContaining([id, chargeId]));
    expect(JSON.stringify(body.data.sichuan.events.edges)).not.toMatch(/Chen|Oryza|1200000|rice/);
  });
});

describe('statements and the finance export', () => {
  it('sums a payer\'s charges of a period exactly, and exports each line as CSV for the province\'s staff only', async () => {
    const instrumentId = await createInstrument('sichuan');
    await createOffering({
      instrumentId, kind: 'SELF_OPERATED', name: 'Statement instrument time', nameZh: '机时',
      prices: standard({ OWN_PROVINCE_ACADEMIC: 333, OTHER_PROVINCE_ACADEMIC: 333, ENTERPRISE: 333, INTERNAL: 333 }),
    });
    // A payer of this test alone, so the statement holds exactly its charges.
    const payer = await createUser('statement');
    const chen = await tokenFor(payer.username);
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const slots = new SlotAllocator(40);
    const from = new Date(Date.now() - 60_000).toISOString();
    const chargeIds: string[] = [];
    for (let n = 0; n < 3; n++) {
      const slot = slots.take();
      const { body } = await gateway('mutation($i: ID!, $s: DateTime!, $e: DateTime!, $k: String!) { b: bookSichuanInstrument(instrumentId: $i, start: $s, end: $e, purpose: "Statement run", idempotencyKey: $k) { id } }', {
        token: chen, variables: { i: instrumentId, s: slot.start, e: slot.end, k: newKey() },
      });
      const bookingId = body.data.b.id;
      await confirm('sichuan', bookingId);
      await sql('sichuan', "UPDATE bookings SET starts_at = starts_at - interval '400 days', ends_at = ends_at - interval '400 days' WHERE id = $1", [localIdOf(bookingId)]);
      const done = await gateway('mutation($id: ID!) { completeSichuanBooking(bookingId: $id) { charge { id totalFen } } }', { token: admin, variables: { id: bookingId } });
      expect(done.body.data.completeSichuanBooking.charge.totalFen).toBe(167);
      chargeIds.push(done.body.data.completeSichuanBooking.charge.id);
    }
    await gateway('mutation($id: ID!) { creditSichuanCharge(chargeId: $id, amountFen: 67, reason: "Goodwill credit") { id } }', { token: admin, variables: { id: chargeIds[0] } });
    const to = new Date(Date.now() + 60_000).toISOString();

    const { body } = await gateway('query($from: DateTime!, $to: DateTime!) { sichuan { statement(from: $from, to: $to) { totalFen creditedFen amountDueFen charges { id } } } }', {
      token: chen, variables: { from, to },
    });
    expect(body.errors).toBeUndefined();
    const statement = body.data.sichuan.statement;
    expect(statement.charges.map((charge: { id: string }) => charge.id)).toEqual(chargeIds);
    const ownTotal = 3 * 167 - 67;
    expect(statement).toMatchObject({ totalFen: String(ownTotal), creditedFen: '67', amountDueFen: String(ownTotal) });

    const chenId = payer.id;
    const someoneElse = await gateway('query($p: ID!, $from: DateTime!, $to: DateTime!) { sichuan { statement(payerId: $p, from: $from, to: $to) { totalFen } } }', {
      token: await tokenFor('li.wei'), variables: { p: chenId, from, to },
    });
    expect(onlyError(someoneElse.body).extensions?.['code']).toBe('FORBIDDEN');

    const csv = await gateway('query($from: DateTime!, $to: DateTime!) { sichuan { chargesCsv(from: $from, to: $to) } }', { token: admin, variables: { from, to } });
    expect(csv.body.errors).toBeUndefined();
    const rows = parse(csv.body.data.sichuan.chargesCsv, { columns: true }) as Record<string, string>[];
    const ours = rows.filter((row) => chargeIds.includes(row['charge_id']!));
    expect(ours).toHaveLength(4);
    expect(ours.reduce((sum, row) => sum + Number(row['amount_fen']), 0)).toBe(ownTotal);
    expect(ours.find((row) => row['line_kind'] === 'CREDIT')).toMatchObject({ amount_fen: '-67', reason: 'Goodwill credit', payer_id: payer.id, payer_name: 'Token Test', source: 'BOOKING' });
    const foreign = await gateway('query($from: DateTime!, $to: DateTime!) { sichuan { chargesCsv(from: $from, to: $to) } }', {
      token: await tokenFor(ADMIN_OF.chongqing), variables: { from, to },
    });
    expect(onlyError(foreign.body).extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('service figures in stats', () => {
  it('counts requests by status, the turnaround of reports and the income by offering kind, exactly', async () => {
    const query = 'query($from: DateTime!, $to: DateTime!) { sichuan { stats(from: $from, to: $to) { serviceRequestsByStatus { key count } serviceTurnaround { reportsIssued averageDays } incomeByOfferingKind { key amountFen } } } }';
    const variables = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
    const read = async () => (await gateway(query, { variables })).body.data.sichuan.stats;
    const byKey = (rows: { key: string }[], key: string) => rows.find((row) => row.key === key) as Record<string, unknown>;
    const before = await read();
    expect(before.incomeByOfferingKind.map((row: { key: string }) => row.key)).toEqual(['SELF_OPERATED', 'SAMPLE_TESTING', 'ASSISTED_OPERATION', 'RD_PROJECT', 'CONSULTATION']);

    const chen = await tokenFor('chen.jing');
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const id = (await submit(chen, await sequencingOffering())).body.data.request.id as string;
    for (const [action, status] of [['quote', 'QUOTED'], ['accept', 'ACCEPTED'], ['receive', 'SAMPLES_RECEIVED'], ['start', 'IN_PROGRESS'], ['issue', 'REPORT_ISSUED']] as const) {
      await stepOk(action, id, action === 'accept' ? chen : admin, status);
    }
    const after = await read();
    expect(byKey(after.serviceRequestsByStatus, 'REPORT_ISSUED')['count']).toBe((byKey(before.serviceRequestsByStatus, 'REPORT_ISSUED')['count'] as number) + 1);
    expect(after.serviceTurnaround.reportsIssued).toBe(before.serviceTurnaround.reportsIssued + 1);
    // 12 samples at the other-province academic list price (900 yuan), 120 yuan above it to the 12,000-yuan quote.
    expect(BigInt(byKey(after.incomeByOfferingKind, 'SAMPLE_TESTING')['amountFen'] as string) - BigInt(byKey(before.incomeByOfferingKind, 'SAMPLE_TESTING')['amountFen'] as string)).toBe(1_200_000n);
  });
});
