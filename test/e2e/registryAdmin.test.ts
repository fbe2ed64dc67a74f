import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnService, type ChildService } from '../../scripts/system';
import { PROVINCES, encodeGlobalId, seededUserId } from '../../shared/src';
import { DEMO_SEEDS, seededId } from '../support/demoData';
import { withDatabase } from '../support/database';
import { gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';
import { until } from '../support/until';

// Every record here is new (its names carry RUN); seeded rows, which other test files assert on, are only read.
const RUN = randomUUID().slice(0, 8);
let sequence = 0;
const unique = (label: string) => `${label}-${RUN}-${++sequence}`;

const sichuanSubgraph = () => testSystem().subgraphUrls.sichuan;
const seededInstrumentId = (province: 'sichuan' | 'chongqing', code: string) =>
  encodeGlobalId(PROVINCES[province], 'instrument', seededId(province, 'instrument', code));
const seededLabId = (province: 'sichuan' | 'chongqing', code: string) => encodeGlobalId(PROVINCES[province], 'lab', seededId(province, 'lab', code));
const localIdOf = (globalId: string) => globalId.split(':')[2]!;

const INSTRUMENT_FIELDS = `id province assetCode name nameZh category model manufacturer institution location lab { id name }
  status openForSharing bookable hourlyFee services openFromHour openToHour minBookingMinutes maxBookingMinutes description`;
const LAB_FIELDS = `id province name nameZh institution city level jointlyBuilt partnerProvince partnerInstitutions description retired`;

const CREATE_INSTRUMENT = `mutation Create($input: InstrumentInput!) { instrument: createSichuanInstrument(input: $input) { ${INSTRUMENT_FIELDS} } }`;
const UPDATE_INSTRUMENT = `mutation Update($id: ID!, $input: InstrumentUpdateInput!) { instrument: updateSichuanInstrument(id: $id, input: $input) { ${INSTRUMENT_FIELDS} } }`;
const RETIRE_INSTRUMENT = `mutation Retire($id: ID!, $reason: String!) { instrument: retireSichuanInstrument(id: $id, reason: $reason) { ${INSTRUMENT_FIELDS} } }`;
const CREATE_LAB = `mutation Create($input: LabInput!) { lab: createSichuanLab(input: $input) { ${LAB_FIELDS} } }`;
const UPDATE_LAB = `mutation Update($id: ID!, $input: LabUpdateInput!) { lab: updateSichuanLab(id: $id, input: $input) { ${LAB_FIELDS} } }`;
const RETIRE_LAB = `mutation Retire($id: ID!, $reason: String!) { lab: retireSichuanLab(id: $id, reason: $reason) { ${LAB_FIELDS} } }`;
const AUDIT_LOG = `query Audit($entityId: ID, $first: Int, $after: String) { sichuan { auditLog(entityId: $entityId, first: $first, after: $after) {
  edges { cursor node { id at action entityType entityId actorName details actor { id displayName } } } pageInfo { hasNextPage endCursor } } } }`;

function instrumentInput(overrides: Record<string, unknown> = {}) {
  return {
    assetCode: unique('T'),
    name: unique('Test NMR spectrometer'),
    nameZh: '测试核磁共振波谱仪',
    category: 'NMR',
    model: 'Avance NEO 600',
    manufacturer: 'Bruker',
    institution: 'Sichuan University',
    location: 'Room 101, Test Building',
    hourlyFee: 480.5,
    services: ['TESTING', 'RND'],
    openFromHour: 8,
    openToHour: 20,
    description: 'Created by registryAdmin.test.ts',
    ...overrides,
  };
}

function labInput(overrides: Record<string, unknown> = {}) {
  return {
    name: unique('Test Laboratory'),
    nameZh: '测试实验室',
    institution: 'Sichuan University',
    city: 'Chengdu',
    level: 'PROVINCIAL',
    description: 'Created by registryAdmin.test.ts',
    ...overrides,
  };
}

async function asAdmin<T = any>(query: string, variables: Record<string, unknown>) {
  const response = await gateway<T>(query, { token: await tokenFor('sc.admin'), variables });
  expect(response.body.errors).toBeUndefined();
  return response.body.data as T;
}

const createInstrument = async (overrides: Record<string, unknown> = {}) =>
  (await asAdmin(CREATE_INSTRUMENT, { input: instrumentInput(overrides) })).instrument;
const createLab = async (overrides: Record<string, unknown> = {}) => (await asAdmin(CREATE_LAB, { input: labInput(overrides) })).lab;

/**
 * The rows an attempt could have written or changed, found by a marker the
 * attempt carries (a unique name or asset code, or the id of the record it
 * targets): other test files create instruments and labs in Sichuan at the
 * same time, so whole-table counts would move under this file's feet.
 */
const rowCounts = (marker: string) =>
  withDatabase('sichuan', async (db) => {
    // A global id is found by its UUID: the columns hold local ids, audit entries global ones.
    const needle = `%${/^sc:(instrument|lab):/.test(marker) ? localIdOf(marker) : marker}%`;
    const instrument = "concat_ws('|', i.id, i.asset_code, i.name, i.description, i.retired_reason) LIKE $1";
    const lab = "concat_ws('|', l.id, l.name, l.description, l.retired_reason) LIKE $1";
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM instruments i WHERE ${instrument})::int AS instruments,
              (SELECT max(i.updated_at) FROM instruments i WHERE ${instrument}) AS "instrumentsChanged",
              (SELECT count(*) FROM labs l WHERE ${lab})::int AS labs,
              (SELECT max(l.updated_at) FROM labs l WHERE ${lab}) AS "labsChanged",
              (SELECT count(*) FROM lab_partner_instruments p JOIN labs l ON l.id = p.lab_id WHERE ${lab})::int AS "partnerLinks",
              (SELECT count(*) FROM audit_log WHERE details::text LIKE $1 OR entity_id LIKE $1)::int AS "auditEntries"`,
      [needle],
    );
    return rows[0];
  });

/** Sends the operation, expects exactly one error with `code`, and that nothing was written. */
async function expectRefused(code: string, query: string, variables: Record<string, unknown>, marker: string, options: { token?: string; url?: string } = {}) {
  const before = await rowCounts(marker);
  const response = await graphql(options.url ?? testSystem().gatewayUrl, query, { token: options.token, variables });
  const error = onlyError(response.body);
  expect(error.extensions?.['code']).toBe(code);
  expect(error.message).not.toMatch(/QueryFailedError|SELECT |INSERT |stack|\.ts:\d+/);
  expect(await rowCounts(marker)).toEqual(before);
  return error;
}

/** `hour`:00 local time (UTC+8), `days` days from today. */
function localTime(days: number, hour: number): string {
  const now = new Date();
  const localMidnight = Math.floor((now.getTime() + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000;
  return new Date(localMidnight + days * 86_400_000 + hour * 3_600_000).toISOString();
}

describe('a Sichuan admin manages Sichuan instruments', () => {
  it('creates, updates and retires an instrument, each change visible through the gateway', async () => {
    const lab = await createLab();
    const input = instrumentInput({ labId: lab.id, hourlyFee: 1.15, minBookingMinutes: 60, maxBookingMinutes: 240 });
    const created = (await asAdmin(CREATE_INSTRUMENT, { input })).instrument;
    expect(created).toMatchObject({
      province: 'SICHUAN',
      assetCode: input.assetCode,
      name: input.name,
      category: 'NMR',
      lab: { id: lab.id, name: lab.name },
      status: 'IN_SERVICE',
      openForSharing: true,
      bookable: true,
      hourlyFee: 1.15,
      services: ['TESTING', 'RND'],
      openFromHour: 8,
      openToHour: 20,
      minBookingMinutes: 60,
      maxBookingMinutes: 240,
    });
    expect(created.id).toMatch(/^sc:instrument:[0-9a-f-]{36}$/);

    const found = await gateway(`query Find($id: ID!, $name: String!) {
        instrument(id: $id) { __typename id name }
        sichuan { instruments(filter: { keyword: $name }) { edges { node { id } } } lab(id: "${lab.id}") { instruments { ... on SichuanInstrument { id } } } } }`,
    { variables: { id: created.id, name: input.name } });
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data.instrument).toEqual({ __typename: 'SichuanInstrument', id: created.id, name: input.name });
    expect(found.body.data.sichuan.instruments.edges).toEqual([{ node: { id: created.id } }]);
    expect(found.body.data.sichuan.lab.instruments).toEqual([{ id: created.id }]);

    const updated = (await asAdmin(UPDATE_INSTRUMENT, {
      id: created.id,
      input: { name: `${input.name} (upgraded)`, status: 'MAINTENANCE', hourlyFee: 0.29, model: null, services: ['CONSULTATION'], openToHour: 18 },
    })).instrument;
    expect(updated).toMatchObject({
      name: `${input.name} (upgraded)`,
      status: 'MAINTENANCE',
      bookable: false,
      hourlyFee: 0.29,
      model: null,
      services: ['CONSULTATION'],
      openFromHour: 8,
      openToHour: 18,
      assetCode: input.assetCode,
      manufacturer: 'Bruker',
    });

    const retired = (await asAdmin(RETIRE_INSTRUMENT, { id: created.id, reason: 'Replaced by a 800 MHz magnet' })).instrument;
    expect(retired).toMatchObject({ status: 'RETIRED', openForSharing: false, bookable: false });
    const afterRetire = await gateway(`query One($id: ID!) { instrument(id: $id) { ... on SichuanInstrument { status openForSharing } } }`, { variables: { id: created.id } });
    expect(afterRetire.body.data.instrument).toEqual({ status: 'RETIRED', openForSharing: false });
    const stored = await withDatabase('sichuan', (db) => db.query('SELECT retired_reason, status FROM instruments WHERE id = $1', [localIdOf(created.id)]));
    expect(stored.rows).toEqual([{ retired_reason: 'Replaced by a 800 MHz magnet', status: 'RETIRED' }]);

    // Retired for good: no further change, no second retirement.
    await expectRefused('CONFLICT', UPDATE_INSTRUMENT, { id: created.id, input: { status: 'IN_SERVICE' } }, created.id, { token: await tokenFor('sc.admin') });
    await expectRefused('CONFLICT', RETIRE_INSTRUMENT, { id: created.id, reason: 'Again' }, created.id, { token: await tokenFor('sc.admin') });
  });

  it('refuses to retire an instrument while it has requested or confirmed bookings that have not ended, listing them', async () => {
    const instrument = await createInstrument();
    const researcher = await tokenFor('li.wei');
    const booked = await gateway(
      `mutation Book($id: ID!, $start: DateTime!, $end: DateTime!, $key: String!) {
         booking: bookSichuanInstrument(instrumentId: $id, start: $start, end: $end, purpose: "NMR of a test compound", idempotencyKey: $key) { id status } }`,
      { token: researcher, variables: { id: instrument.id, start: localTime(3, 10), end: localTime(3, 11), key: unique('retire-test') } },
    );
    expect(booked.body.errors).toBeUndefined();
    const bookingId = booked.body.data.booking.id;

    const error = await expectRefused('CONFLICT', RETIRE_INSTRUMENT, { id: instrument.id, reason: 'Decommissioned' }, instrument.id, {
      token: await tokenFor('sc.admin'),
    });
    expect(error.message).toContain(bookingId);
    expect(error.extensions?.['bookingIds']).toEqual([bookingId]);

    const cancelled = await gateway(`mutation C($id: ID!) { cancelSichuanBooking(bookingId: $id) { status } }`, { token: researcher, variables: { id: bookingId } });
    expect(cancelled.body.data.cancelSichuanBooking.status).toBe('CANCELLED');
    const retired = (await asAdmin(RETIRE_INSTRUMENT, { id: instrument.id, reason: 'Decommissioned' })).instrument;
    expect(retired.status).toBe('RETIRED');
  });

  it('stores SQL and script text verbatim, as plain data', async () => {
    const marker = unique('verbatim');
    const input = instrumentInput({
      name: `Robert'); DROP TABLE instruments; -- ${marker}`,
      nameZh: `<script>alert("x")</script>`,
      model: `' OR 1=1 --`,
      manufacturer: `%_\\ ${marker}`,
      description: `<img src=x onerror=alert(1)> ${"'; DELETE FROM labs; --"}`,
    });
    const created = (await asAdmin(CREATE_INSTRUMENT, { input })).instrument;
    const { body } = await gateway(`query One($id: ID!) { sichuan { instrument(id: $id) { name nameZh model manufacturer description } } }`, { variables: { id: created.id } });
    expect(body.data.sichuan.instrument).toEqual({
      name: input.name,
      nameZh: input.nameZh,
      model: input.model,
      manufacturer: input.manufacturer,
      description: input.description,
    });
    const tables = await withDatabase('sichuan', (db) => db.query(`SELECT (SELECT count(*) FROM instruments)::int > 0 AS instruments, (SELECT count(*) FROM labs)::int > 0 AS labs`));
    expect(tables.rows[0]).toEqual({ instruments: true, labs: true });
  });

  it('refuses an asset code that is already in the registry with CONFLICT', async () => {
    const seeded = DEMO_SEEDS.sichuan.instruments[0]!.code;
    const marker = unique('dup');
    const error = await expectRefused('CONFLICT', CREATE_INSTRUMENT, { input: instrumentInput({ assetCode: seeded, name: marker }) }, marker, {
      token: await tokenFor('sc.admin'),
    });
    expect(error.message).toContain(seeded);
  });

  describe('refuses invalid input with BAD_USER_INPUT and writes nothing', () => {
    const seededChongqingLab = seededLabId('chongqing', DEMO_SEEDS.chongqing.labs[0]!.code);
    const someSichuanInstrument = seededInstrumentId('sichuan', DEMO_SEEDS.sichuan.instruments[0]!.code);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['an empty name', { name: '   ' }, /input\.name: must not be empty/],
      ['a name over 200 characters', { name: 'N'.repeat(201) }, /input\.name: must be at most 200 characters/],
      ['control characters', { nameZh: 'bad\u0007bell' }, /input\.nameZh: must not contain control characters/],
      ['an asset code with spaces', { assetCode: 'SC 001!' }, /input\.assetCode: must be 2–40 letters, digits and dashes/],
      ['an asset code over 40 characters', { assetCode: 'A'.repeat(41) }, /input\.assetCode/],
      ['a negative fee', { hourlyFee: -1 }, /input\.hourlyFee: must not be negative/],
      ['a fee over 100000', { hourlyFee: 100000.01 }, /input\.hourlyFee: must be at most 100000/],
      ['a fee with three decimals', { hourlyFee: 12.345 }, /input\.hourlyFee: must have at most two decimals/],
      ['opening hours ending before they start', { openFromHour: 18, openToHour: 9 }, /input\.openToHour: must be later than openFromHour \(18\)/],
      ['an opening hour past 24', { openToHour: 25 }, /input\.openToHour: must be at most 24/],
      ['equal opening hours', { openFromHour: 9, openToHour: 9 }, /input\.openToHour/],
      ['booking minutes not a multiple of 30', { minBookingMinutes: 45 }, /input\.minBookingMinutes: must be a multiple of 30/],
      ['a longest booking over a day', { maxBookingMinutes: 1470 }, /input\.maxBookingMinutes: must be at most 1440/],
      ['a shortest booking longer than the longest', { minBookingMinutes: 120, maxBookingMinutes: 60 }, /input\.maxBookingMinutes: must be at least minBookingMinutes \(120\)/],
      ['a category that does not exist', { category: 'TIME_MACHINE' }, /input\.category: "TIME_MACHINE" is not a category/],
      ['a malformed category', { category: "NMR'; --" }, /input\.category: must be a category code/],
      ['no services', { services: [] }, /input\.services: must name at least one/],
      ['a service twice', { services: ['TESTING', 'TESTING'] }, /input\.services: must not name a service twice/],
      ['a Chongqing lab', { labId: seededChongqingLab }, /input\.labId: .*belongs to Chongqing/],
      ['an instrument id as lab', { labId: someSichuanInstrument }, /input\.labId: .*a lab id is expected/],
      ['a lab that does not exist', { labId: 'sc:lab:00000000-0000-4000-8000-000000000000' }, /input\.labId: no Sichuan lab has the id/],
      ['a malformed lab id', { labId: "sc:lab:1' OR '1'='1" }, /input\.labId: .*not a valid id/],
    ];

    it.each(cases)('%s', async (_, overrides, message) => {
      const marker = unique('invalid');
      const input = instrumentInput({ ...overrides });
      // The marker goes in a field the case leaves valid, so any row this attempt wrote would carry it.
      if (!('assetCode' in overrides)) input.assetCode = marker;
      if (!('description' in overrides)) input.description = marker;
      const error = await expectRefused('BAD_USER_INPUT', CREATE_INSTRUMENT, { input }, marker, { token: await tokenFor('sc.admin') });
      expect(error.message).toMatch(message);
    });

    it('lists every problem of one input in one error', async () => {
      const marker = unique('many');
      const error = await expectRefused(
        'BAD_USER_INPUT',
        CREATE_INSTRUMENT,
        { input: instrumentInput({ assetCode: marker, description: marker, name: '', hourlyFee: -5, openFromHour: 20, openToHour: 10 }) },
        marker,
        { token: await tokenFor('sc.admin') },
      );
      expect((error.extensions?.['fields'] as { path: string }[]).map((f) => f.path).sort()).toEqual(['input.hourlyFee', 'input.name', 'input.openToHour']);
    });

    it('checks an update against the instrument as it would become, and refuses RETIRED as a status', async () => {
      const instrument = await createInstrument({ openFromHour: 9, openToHour: 17 });
      const token = await tokenFor('sc.admin');
      const later = await expectRefused('BAD_USER_INPUT', UPDATE_INSTRUMENT, { id: instrument.id, input: { openFromHour: 18 } }, instrument.id, { token });
      expect(later.message).toMatch(/input\.openToHour: must be later than openFromHour \(18\)/);
      const retired = await expectRefused('BAD_USER_INPUT', UPDATE_INSTRUMENT, { id: instrument.id, input: { status: 'RETIRED' } }, instrument.id, { token });
      expect(retired.message).toMatch(/input\.status: must be IN_SERVICE or MAINTENANCE/);
      const cleared = await expectRefused('BAD_USER_INPUT', UPDATE_INSTRUMENT, { id: instrument.id, input: { name: null } }, instrument.id, { token });
      expect(cleared.message).toMatch(/input\.name: cannot be null/);
      const reason = await expectRefused('BAD_USER_INPUT', RETIRE_INSTRUMENT, { id: instrument.id, reason: ' ' }, instrument.id, { token });
      expect(reason.message).toMatch(/reason: must be at least 3 characters/);
      const partner = await expectRefused('BAD_USER_INPUT', UPDATE_INSTRUMENT, { id: seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[0]!.code), input: { name: 'x' } }, instrument.id, { token });
      expect(partner.message).toMatch(/belongs to Chongqing/);
      const unchanged = await gateway(`query One($id: ID!) { sichuan { instrument(id: $id) { name status openFromHour } } }`, { variables: { id: instrument.id } });
      expect(unchanged.body.data.sichuan.instrument).toEqual({ name: instrument.name, status: 'IN_SERVICE', openFromHour: 9 });
    });

    it('answers NOT_FOUND for an instrument id that does not exist', async () => {
      const missing = 'sc:instrument:00000000-0000-4000-8000-000000000000';
      await expectRefused('NOT_FOUND', UPDATE_INSTRUMENT, { id: missing, input: { name: 'x' } }, missing, { token: await tokenFor('sc.admin') });
    });
  });
});

describe('the fee per hour, in exact fen', () => {
  const FEE = 'hourlyFeeFen hourlyFee';
  const admin = async () => ({ token: await tokenFor('sc.admin') });

  it('is written and read as integer fen; the deprecated yuan field says the same', async () => {
    const { hourlyFee: _yuan, ...input } = instrumentInput();
    const created = await gateway(`mutation C($input: InstrumentInput!) { instrument: createSichuanInstrument(input: $input) { id ${FEE} } }`, {
      ...(await admin()), variables: { input: { ...input, hourlyFeeFen: 48_029 } },
    });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.instrument).toMatchObject({ hourlyFeeFen: 48_029, hourlyFee: 480.29 });
    const id = created.body.data.instrument.id;
    const updated = await gateway(`mutation U($id: ID!) { instrument: updateSichuanInstrument(id: $id, input: { hourlyFeeFen: 29 }) { ${FEE} } }`, {
      ...(await admin()), variables: { id },
    });
    expect(updated.body.data.instrument).toEqual({ hourlyFeeFen: 29, hourlyFee: 0.29 });
    // Through the shared interface too, as any partner reads an instrument by id.
    const byId = await gateway(`query I($id: ID!) { instrument(id: $id) { ${FEE} } }`, { variables: { id } });
    expect(byId.body.data.instrument).toEqual({ hourlyFeeFen: 29, hourlyFee: 0.29 });
    // An instrument written in yuan reads in fen, exactly.
    const yuan = await gateway(`mutation C($input: InstrumentInput!) { instrument: createSichuanInstrument(input: $input) { ${FEE} } }`, {
      ...(await admin()), variables: { input: instrumentInput({ hourlyFee: 1.15 }) },
    });
    expect(yuan.body.data.instrument).toEqual({ hourlyFeeFen: 115, hourlyFee: 1.15 });
  });

  it('refuses both fields at once, neither on a new instrument, and fen that are not a whole number in range', async () => {
    const { hourlyFee: _yuan, ...input } = instrumentInput();
    const create = async (fields: Record<string, unknown>) =>
      gateway('mutation C($input: InstrumentInput!) { createSichuanInstrument(input: $input) { id } }', { ...(await admin()), variables: { input: { ...input, ...fields } } });
    expect(onlyError((await create({ hourlyFeeFen: 100, hourlyFee: 1 })).body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.hourlyFee' });
    expect(onlyError((await create({})).body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.hourlyFeeFen' });
    expect(onlyError((await create({ hourlyFeeFen: -1 })).body).extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(onlyError((await create({ hourlyFeeFen: 10_000_001 })).body).message).toContain('input.hourlyFeeFen');
    const rows = await withDatabase('sichuan', (client) => client.query('SELECT 1 FROM instruments WHERE asset_code = $1', [input.assetCode]));
    expect(rows.rows).toHaveLength(0);
  });
});

describe('a Sichuan admin manages Sichuan labs', () => {
  it('creates, updates and retires a lab; a retired lab leaves the list but stays readable by id', async () => {
    const created = await createLab({ level: 'NATIONAL' });
    expect(created).toMatchObject({ province: 'SICHUAN', level: 'NATIONAL', jointlyBuilt: false, partnerProvince: null, partnerInstitutions: [], retired: false });
    expect(created.id).toMatch(/^sc:lab:[0-9a-f-]{36}$/);
    const listed = await gateway(`{ sichuan { labs { id } } }`);
    expect(listed.body.data.sichuan.labs.map((l: any) => l.id)).toContain(created.id);

    const updated = (await asAdmin(UPDATE_LAB, { id: created.id, input: { city: 'Mianyang', description: null } })).lab;
    expect(updated).toMatchObject({ city: 'Mianyang', description: null, name: created.name });

    // An instrument in service keeps the lab open; one under maintenance does not.
    const instrument = await createInstrument({ labId: created.id });
    const refused = await expectRefused('CONFLICT', RETIRE_LAB, { id: created.id, reason: 'Merged into another lab' }, created.id, { token: await tokenFor('sc.admin') });
    expect(refused.message).toContain(instrument.name);
    expect(refused.extensions?.['instrumentIds']).toEqual([instrument.id]);
    await asAdmin(UPDATE_INSTRUMENT, { id: instrument.id, input: { status: 'MAINTENANCE' } });

    const retired = (await asAdmin(RETIRE_LAB, { id: created.id, reason: 'Merged into another lab' })).lab;
    expect(retired.retired).toBe(true);
    const after = await gateway(`query L($id: ID!) { sichuan { labs { id } lab(id: $id) { id retired name } } lab(id: $id) { id name } }`, { variables: { id: created.id } });
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.sichuan.labs.map((l: any) => l.id)).not.toContain(created.id);
    expect(after.body.data.sichuan.lab).toEqual({ id: created.id, retired: true, name: created.name });
    expect(after.body.data.lab).toEqual({ id: created.id, name: created.name });
    const stored = await withDatabase('sichuan', (db) => db.query('SELECT retired_reason, retired_at IS NOT NULL AS retired FROM labs WHERE id = $1', [localIdOf(created.id)]));
    expect(stored.rows).toEqual([{ retired_reason: 'Merged into another lab', retired: true }]);

    // A retired lab takes no instruments back into service, and is not changed again.
    const token = await tokenFor('sc.admin');
    const back = await expectRefused('CONFLICT', UPDATE_INSTRUMENT, { id: instrument.id, input: { status: 'IN_SERVICE' } }, instrument.id, { token });
    expect(back.message).toMatch(/lab .* is retired; give the instrument an open lab/);
    const moved = await expectRefused('BAD_USER_INPUT', CREATE_INSTRUMENT, { input: instrumentInput({ labId: created.id, description: created.id }) }, created.id, { token });
    expect(moved.message).toMatch(/input\.labId: the lab .* is retired/);
    await expectRefused('CONFLICT', UPDATE_LAB, { id: created.id, input: { city: 'Chengdu' } }, created.id, { token });
  });

  it('creates a joint lab with a real Chongqing instrument, listed with the fields Chongqing answers', async () => {
    const partnerCode = DEMO_SEEDS.chongqing.instruments[0]!;
    const partnerId = seededInstrumentId('chongqing', partnerCode.code);
    const lab = await createLab({ partnerProvince: 'CHONGQING', partnerInstitutions: ['Chongqing University'], partnerInstrumentIds: [partnerId] });
    expect(lab).toMatchObject({ jointlyBuilt: true, partnerProvince: 'CHONGQING', partnerInstitutions: ['Chongqing University'] });

    const { body } = await gateway(
      `query Lab($id: ID!) { lab(id: $id) { ... on SichuanLab { jointlyBuilt } instruments { __typename id ... on ChongqingInstrument { name institution province } } } }`,
      { variables: { id: lab.id } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.lab.instruments).toEqual([
      { __typename: 'ChongqingInstrument', id: partnerId, name: partnerCode.name, institution: partnerCode.institution, province: 'CHONGQING' },
    ]);
    const joint = await gateway(`{ sichuan { labs(jointOnly: true) { id } } }`);
    expect(joint.body.data.sichuan.labs.map((l: any) => l.id)).toContain(lab.id);

    // Replacing the list: the new id is checked with Chongqing too.
    const second = seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[1]!.code);
    await asAdmin(UPDATE_LAB, { id: lab.id, input: { partnerInstrumentIds: [second, partnerId] } });
    const links = await withDatabase('sichuan', (db) =>
      db.query('SELECT partner_instrument_id FROM lab_partner_instruments WHERE lab_id = $1 ORDER BY position', [localIdOf(lab.id)]));
    expect(links.rows.map((r) => r.partner_instrument_id)).toEqual([second, partnerId]);

    const missing = 'cq:instrument:00000000-0000-4000-8000-000000000000';
    const error = await expectRefused('BAD_USER_INPUT', UPDATE_LAB, { id: lab.id, input: { partnerInstrumentIds: [partnerId, missing] } }, lab.id, {
      token: await tokenFor('sc.admin'),
    });
    expect(error.message).toContain(missing);
  });

  it('asks Chongqing through the gateway with the caller’s token and request id', async () => {
    const requestId = unique('joint-lab-request');
    const partnerId = seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[4]!.code);
    const { body } = await gateway(CREATE_LAB, {
      token: await tokenFor('sc.admin'),
      headers: { 'x-request-id': requestId },
      variables: { input: labInput({ partnerProvince: 'CHONGQING', partnerInstrumentIds: [partnerId] }) },
    });
    expect(body.errors).toBeUndefined();
    // Chongqing's log line for the check carries the request id and the Sichuan admin as subject.
    const logged = await until("Chongqing's log lines of the request", () => {
      const lines = readFileSync(join(testSystem().logDir, 'chongqing.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes(requestId))
        .map((line) => JSON.parse(line));
      return lines.length > 0 && lines;
    });
    expect(logged).toEqual(expect.arrayContaining([
      expect.objectContaining({ requestId, subject: seededUserId('sc.admin'), operationName: expect.stringMatching(/^PartnerInstruments/) }),
    ]));
  });

  it('refuses a joint lab naming a Chongqing instrument that does not exist, and writes nothing', async () => {
    const name = unique('Phantom Joint Lab');
    const missing = `cq:instrument:${randomUUID()}`;
    const real = seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[2]!.code);
    const error = await expectRefused(
      'BAD_USER_INPUT',
      CREATE_LAB,
      { input: labInput({ name, partnerProvince: 'CHONGQING', partnerInstrumentIds: [real, missing] }) },
      name,
      { token: await tokenFor('sc.admin') },
    );
    expect(error.message).toContain(missing);
    expect(error.message).not.toContain(real);
    expect(error.extensions?.['unknownIds']).toEqual([missing]);
    const labs = await withDatabase('sichuan', (db) => db.query('SELECT id FROM labs WHERE name = $1', [name]));
    expect(labs.rows).toEqual([]);
  });

  it.each([
    ['its own province as partner', { partnerProvince: 'SICHUAN' }, /input\.partnerProvince: must be CHONGQING/],
    ['partner instruments without a partner province', { partnerInstrumentIds: ['cq:instrument:00000000-0000-4000-8000-000000000000'] }, /input\.partnerProvince: must be CHONGQING/],
    ['a Sichuan instrument as partner instrument', { partnerProvince: 'CHONGQING', partnerInstrumentIds: ['SICHUAN_SEEDED'] }, /input\.partnerInstrumentIds: .* is a Sichuan instrument/],
    ['a partner lab id as partner instrument', { partnerProvince: 'CHONGQING', partnerInstrumentIds: ['cq:lab:00000000-0000-4000-8000-000000000000'] }, /input\.partnerInstrumentIds: .*an instrument id is expected/],
    ['a partner instrument twice', { partnerProvince: 'CHONGQING', partnerInstrumentIds: ['CQ_SEEDED', 'CQ_SEEDED'] }, /input\.partnerInstrumentIds: must not list an instrument twice/],
    ['a partner instrument twice, spelt differently', { partnerProvince: 'CHONGQING', partnerInstrumentIds: ['CQ_SEEDED', 'CQ_SEEDED_UPPER'] }, /input\.partnerInstrumentIds: must not list an instrument twice/],
    ['an empty city', { city: '' }, /input\.city: must not be empty/],
    ['a name over 200 characters', { name: 'L'.repeat(201) }, /input\.name: must be at most 200 characters/],
  ])('refuses a lab with %s', async (_, overrides, message) => {
    const marker = unique('badlab');
    const ids = (overrides as { partnerInstrumentIds?: string[] }).partnerInstrumentIds?.map((id) =>
      id === 'SICHUAN_SEEDED' ? seededInstrumentId('sichuan', DEMO_SEEDS.sichuan.instruments[0]!.code)
        : id === 'CQ_SEEDED' ? seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[0]!.code)
          : id === 'CQ_SEEDED_UPPER' ? `cq:instrument:${localIdOf(seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[0]!.code)).toUpperCase()}` : id);
    const input = labInput({ ...overrides, ...(ids ? { partnerInstrumentIds: ids } : {}), description: marker });
    const error = await expectRefused('BAD_USER_INPUT', CREATE_LAB, { input }, marker, { token: await tokenFor('sc.admin') });
    expect(error.message).toMatch(message);
  });
});

describe('when Chongqing cannot be asked', () => {
  // A second Sichuan subgraph on the same database whose gateway does not answer: the partner check cannot run.
  let isolated: ChildService;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    isolated = spawnService('sichuan-without-gateway', 'subgraphs/province/src/main.ts', {
      GATEWAY_SECRET: testSystem().gatewaySecret,
      PROVINCE: 'sichuan',
      PORT: String(port),
      DATABASE_URL: testSystem().databaseUrls.sichuan,
      JWKS_URL: new URL('/.well-known/jwks.json', testSystem().subgraphUrls.platform).toString(),
      GATEWAY_URL: `http://127.0.0.1:${await freePort()}/graphql`,
      MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    }, testSystem().logDir);
    await isolated.waitUntil('ready', url);
  }, 60_000);
  afterAll(() => isolated?.stop());

  it('refuses a joint lab with SERVICE_UNAVAILABLE, saying to retry later, and writes nothing', async () => {
    const name = unique('Unchecked Joint Lab');
    const partnerId = seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[0]!.code);
    const error = await expectRefused('SERVICE_UNAVAILABLE', CREATE_LAB, { input: labInput({ name, partnerProvince: 'CHONGQING', partnerInstrumentIds: [partnerId] }) }, name, {
      token: await tokenFor('sc.admin'),
      url,
    });
    expect(error.message).toMatch(/could not be checked right now.*Retry later/);
  });

  it('still writes what needs no answer from Chongqing', async () => {
    const partnerId = seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[0]!.code);
    const lab = await createLab({ partnerProvince: 'CHONGQING', partnerInstrumentIds: [partnerId] });
    const token = await tokenFor('sc.admin');
    // Keeping the already checked instrument and renaming the lab asks nothing of Chongqing; adding one does.
    const renamed = await graphql(url, UPDATE_LAB, { token, variables: { id: lab.id, input: { name: `${lab.name} II`, partnerInstrumentIds: [partnerId] } } });
    expect(renamed.body.errors).toBeUndefined();
    expect(renamed.body.data.lab.name).toBe(`${lab.name} II`);
    const added = seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[1]!.code);
    await expectRefused('SERVICE_UNAVAILABLE', UPDATE_LAB, { id: lab.id, input: { name: 'Not saved', partnerInstrumentIds: [partnerId, added] } }, lab.id, { token, url });
    const plain = await graphql(url, CREATE_INSTRUMENT, { token, variables: { input: instrumentInput() } });
    expect(plain.body.errors).toBeUndefined();
  });
});

describe('only a Sichuan admin changes Sichuan data', () => {
  // The targets are this file's own records: seeded ones get bookings (and their audit entries) from other files meanwhile.
  let target: { instrument: string; lab: string };
  beforeAll(async () => {
    const [instrument, lab] = await Promise.all([createInstrument(), createLab()]);
    target = { instrument: instrument.id, lab: lab.id };
  });
  /** Each attempt: the operation, its variables, and the marker of what it would write (see rowCounts). */
  const operations: [string, () => [string, Record<string, unknown>, string]][] = [
    ['createSichuanInstrument', () => {
      const input = instrumentInput();
      return [CREATE_INSTRUMENT, { input }, input.assetCode];
    }],
    ['updateSichuanInstrument', () => [UPDATE_INSTRUMENT, { id: target.instrument, input: { name: 'Taken over' } }, target.instrument]],
    ['retireSichuanInstrument', () => [RETIRE_INSTRUMENT, { id: target.instrument, reason: 'Taken over' }, target.instrument]],
    ['createSichuanLab', () => {
      const input = labInput();
      return [CREATE_LAB, { input }, input.name];
    }],
    ['updateSichuanLab', () => [UPDATE_LAB, { id: target.lab, input: { name: 'Taken over' } }, target.lab]],
    ['retireSichuanLab', () => [RETIRE_LAB, { id: target.lab, reason: 'Taken over' }, target.lab]],
  ];

  it.each(operations)('%s: a Chongqing admin is FORBIDDEN through the gateway and directly at the Sichuan subgraph', async (_, operation) => {
    const [query, variables, marker] = operation();
    const token = await tokenFor('cq.admin');
    const viaGateway = await expectRefused('FORBIDDEN', query, variables, marker, { token });
    expect(viaGateway.message).toMatch(/Sichuan admin/);
    await expectRefused('FORBIDDEN', query, variables, marker, { token, url: sichuanSubgraph() });
  });

  it.each(operations)('%s: a researcher is FORBIDDEN, an anonymous caller UNAUTHENTICATED', async (_, operation) => {
    const [query, variables, marker] = operation();
    await expectRefused('FORBIDDEN', query, variables, marker, { token: await tokenFor('li.wei') });
    await expectRefused('UNAUTHENTICATED', query, variables, marker);
    await expectRefused('UNAUTHENTICATED', query, variables, marker, { url: sichuanSubgraph() });
  });

  it('leaves the targeted instrument and lab as they were', async () => {
    const { body } = await gateway(`query T($i: ID!, $l: ID!) { sichuan { instrument(id: $i) { name status } lab(id: $l) { name retired } } }`, {
      variables: { i: target.instrument, l: target.lab },
    });
    expect(body.data.sichuan.instrument).toEqual({ name: expect.not.stringContaining('Taken over'), status: 'IN_SERVICE' });
    expect(body.data.sichuan.lab).toEqual({ name: expect.not.stringContaining('Taken over'), retired: false });
  });
});

describe('the audit log', () => {
  it('records each change with its fields, newest first, readable page by page by a Sichuan admin', async () => {
    const instrument = await createInstrument({ hourlyFee: 100 });
    await asAdmin(UPDATE_INSTRUMENT, { id: instrument.id, input: { hourlyFee: 120.5, openForSharing: false, category: 'XRD', name: instrument.name } });
    await asAdmin(RETIRE_INSTRUMENT, { id: instrument.id, reason: 'Obsolete detector' });

    const data = await asAdmin(AUDIT_LOG, { entityId: instrument.id, first: 10 });
    const entries = data.sichuan.auditLog.edges.map((e: any) => e.node);
    expect(entries.map((e: any) => e.action)).toEqual(['instrument.retired', 'instrument.updated', 'instrument.created']);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        entityType: 'instrument',
        entityId: instrument.id,
        actorName: 'Sichuan Registry Admin',
        actor: { id: seededUserId('sc.admin'), displayName: 'Sichuan Registry Admin' },
      });
    }
    // Only what changed: the name was sent unchanged.
    expect(JSON.parse(entries[1].details)).toEqual({
      hourlyFee: { from: 100, to: 120.5 },
      openForSharing: { from: true, to: false },
      category: { from: 'NMR', to: 'XRD' },
    });
    expect(JSON.parse(entries[0].details)).toMatchObject({ reason: 'Obsolete detector', status: { from: 'IN_SERVICE', to: 'RETIRED' } });
    expect(JSON.parse(entries[2].details)).toMatchObject({ assetCode: instrument.assetCode, name: instrument.name, hourlyFee: 100 });
    expect(new Date(entries[0].at).getTime()).toBeGreaterThanOrEqual(new Date(entries[2].at).getTime());

    const first = await asAdmin(AUDIT_LOG, { entityId: instrument.id, first: 2 });
    expect(first.sichuan.auditLog.pageInfo.hasNextPage).toBe(true);
    const rest = await asAdmin(AUDIT_LOG, { entityId: instrument.id, first: 2, after: first.sichuan.auditLog.pageInfo.endCursor });
    expect([...first.sichuan.auditLog.edges, ...rest.sichuan.auditLog.edges].map((e: any) => e.node.action)).toEqual(entries.map((e: any) => e.action));
    expect(rest.sichuan.auditLog.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.sichuan.auditLog.edges[0].cursor });

    const everything = await asAdmin(AUDIT_LOG, { first: 5 });
    const ids = everything.sichuan.auditLog.edges.map((e: any) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('records lab changes, including a joint lab’s partner instruments', async () => {
    const partnerId = seededInstrumentId('chongqing', DEMO_SEEDS.chongqing.instruments[3]!.code);
    const lab = await createLab({ partnerProvince: 'CHONGQING', partnerInstrumentIds: [partnerId] });
    await asAdmin(UPDATE_LAB, { id: lab.id, input: { partnerInstrumentIds: [] } });
    await asAdmin(RETIRE_LAB, { id: lab.id, reason: 'Joint programme ended' });
    const data = await asAdmin(AUDIT_LOG, { entityId: lab.id });
    const entries = data.sichuan.auditLog.edges.map((e: any) => e.node);
    expect(entries.map((e: any) => e.action)).toEqual(['lab.retired', 'lab.updated', 'lab.created']);
    expect(JSON.parse(entries[1].details)).toEqual({ partnerInstrumentIds: { from: [partnerId], to: [] } });
    expect(JSON.parse(entries[2].details)).toMatchObject({ partnerProvince: 'CHONGQING', partnerInstrumentIds: [partnerId] });
  });

  it('is refused to a Chongqing admin (through the gateway and directly), a researcher and anonymous callers', async () => {
    const query = `{ sichuan { auditLog(first: 5) { edges { node { action } } } } }`;
    const chongqingAdmin = await tokenFor('cq.admin');
    for (const [url, token, code] of [
      [testSystem().gatewayUrl, chongqingAdmin, 'FORBIDDEN'],
      [sichuanSubgraph(), chongqingAdmin, 'FORBIDDEN'],
      [testSystem().gatewayUrl, await tokenFor('li.wei'), 'FORBIDDEN'],
      [testSystem().gatewayUrl, undefined, 'UNAUTHENTICATED'],
      [sichuanSubgraph(), undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const { body } = await graphql(url, query, { token });
      expect(onlyError(body).extensions?.['code']).toBe(code);
      expect(body.data?.sichuan?.auditLog ?? null).toBeNull();
    }
  });

  it('refuses a cursor it did not hand out', async () => {
    const { body } = await gateway(`{ sichuan { auditLog(after: "bm90LWEtY3Vyc29y") { edges { cursor } } } }`, { token: await tokenFor('sc.admin') });
    expect(onlyError(body).extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});
