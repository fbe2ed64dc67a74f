import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PROVINCES } from '../../shared/src';
import { ADMIN_OF, SlotAllocator, book, closePools, confirm, createInstrument, localIdOf, localTime, newKey, sql } from '../support/registryFixtures';
import { evaluationInstruments } from '../support/evaluationPages';
import { gateway, testSystem, tokenFor } from '../support/system';

/*
 * Issue #12, the evaluation report: figures from actual use over a period, per instrument, institution and
 * province, both provinces in one request through the gateway, and the same as CSV and XLSX. Every expected
 * figure is computed here from the times the test chose, or from the rows themselves, not by the report's SQL.
 */

const FROM = '2025-01-01T00:00:00+08:00';
const TO = '2026-01-01T00:00:00+08:00';
const SC = PROVINCES.sichuan.typePrefix;

afterAll(() => closePools());

interface Use {
  who: 'li.wei' | 'chen.jing';
  start: string;
  end: string;
  institution: string;
  category?: string;
  rating?: number;
}

/** One booking made through the API (so it records its requester), then moved to when it was used, and rated. */
async function used(instrumentId: string, slots: SlotAllocator, use: Use): Promise<string> {
  const token = await tokenFor(use.who);
  const id = await book('sichuan', token, instrumentId, slots.take());
  await confirm('sichuan', id);
  await sql(
    'sichuan',
    `UPDATE bookings SET status = 'COMPLETED', starts_at = $2, ends_at = $3, actual_start = $2, actual_end = $3, requester_institution = $4,
            requester_category = coalesce($5, requester_category) WHERE id = $1`,
    [localIdOf(id), use.start, use.end, use.institution, use.category ?? null],
  );
  if (use.rating) {
    const { body } = await gateway(`mutation($id: ID!, $s: Int!) { rate${SC}Booking(bookingId: $id, score: $s) { id } }`, { token, variables: { id, s: use.rating } });
    expect(body.errors).toBeUndefined();
  }
  return id;
}

const FIGURES = 'effectiveHours externalServiceHours otherProvinceServiceHours uses usersServed institutionsServed noShows lateCancellations ratings averageRating serviceRequests samples incomeFen';
const EVALUATION = `evaluation(from: $from, to: $to) {
  province instrumentCount
  institutions { institution instruments figures { ${FIGURES} } }
  total { ${FIGURES} }
}`;
const ROW = `instrumentId assetCode institution status figures { ${FIGURES} }`;

describe('the evaluation report', () => {
  const institution = `Evaluation Institute ${randomUUID().slice(0, 8)}`;
  let instrumentId: string;
  let assetCode: string;

  beforeAll(async () => {
    assetCode = `EV-${randomUUID().slice(0, 8).toUpperCase()}`;
    instrumentId = await createInstrument('sichuan', { institution, assetCode });
    const slots = new SlotAllocator(90);
    await used(instrumentId, slots, { who: 'li.wei', start: '2025-03-10T09:00:00+08:00', end: '2025-03-10T11:30:00+08:00', institution: 'Sichuan University', rating: 5 });
    await used(instrumentId, slots, { who: 'chen.jing', start: '2025-03-11T14:00:00+08:00', end: '2025-03-11T15:00:00+08:00', institution: 'Chongqing University', rating: 2 });
    // Across the period's start: only its hour inside counts, and its rating belongs to the year it started in.
    await used(instrumentId, slots, { who: 'li.wei', start: '2024-12-31T23:00:00+08:00', end: '2025-01-01T01:00:00+08:00', institution: 'Sichuan University', rating: 1 });
    // The owner's own people: effective, not external.
    await used(instrumentId, slots, { who: 'li.wei', start: '2025-05-01T10:00:00+08:00', end: '2025-05-01T12:00:00+08:00', institution, category: 'OWN_INSTITUTION' });
    const noShow = await book('sichuan', await tokenFor('chen.jing'), instrumentId, slots.take());
    await sql('sichuan', "UPDATE bookings SET status = 'NO_SHOW', starts_at = '2025-04-01T09:00:00+08:00', ends_at = '2025-04-01T10:00:00+08:00' WHERE id = $1", [localIdOf(noShow)]);
  }, 60_000);

  it('gives effective, external and other-province hours, people, institutions, no-shows and ratings per instrument and institution', async () => {
    const { body } = await gateway(`query($from: DateTime!, $to: DateTime!) { sichuan { ${EVALUATION} } chongqing { ${EVALUATION} } }`, {
      token: await tokenFor('li.wei'),
      variables: { from: FROM, to: TO },
    });
    expect(body.errors).toBeUndefined();
    const expected = {
      effectiveHours: 2.5 + 1 + 1 + 2,
      externalServiceHours: 2.5 + 1 + 1,
      otherProvinceServiceHours: 1,
      uses: 4,
      usersServed: 2,
      institutionsServed: 3,
      noShows: 1,
      lateCancellations: 0,
      ratings: 2,
      averageRating: 3.5,
      // The service requests and charges of this instrument are all of this year, none of 2025.
      serviceRequests: 0,
      samples: 0,
      incomeFen: '0',
    };
    const { rows } = await evaluationInstruments('sichuan', { from: FROM, to: TO }, ROW);
    const row = rows.find((i) => i['instrumentId'] === instrumentId);
    expect(row).toMatchObject({ assetCode, institution, figures: expected });
    expect(body.data.sichuan.evaluation.institutions.find((i: { institution: string }) => i.institution === institution)).toEqual({ institution, instruments: 1, figures: expected });
    // Both provinces in the one request.
    expect(body.data.chongqing.evaluation.province).toBe('CHONGQING');
  });

  it('walks every instrument exactly once, a page at a time, each with the figures of its own rows', async () => {
    // A retired instrument with use in the period stays in the report; one without any leaves it.
    const retiredUsed = await createInstrument('sichuan', { institution });
    await used(retiredUsed, new SlotAllocator(95), { who: 'chen.jing', start: '2025-06-02T09:00:00+08:00', end: '2025-06-02T10:00:00+08:00', institution: 'Chongqing University' });
    const retiredIdle = await createInstrument('sichuan', { institution });
    await sql('sichuan', "UPDATE instruments SET status = 'RETIRED' WHERE id = ANY($1::uuid[])", [[localIdOf(retiredUsed), localIdOf(retiredIdle)]]);

    const { rows, pages } = await evaluationInstruments('sichuan', { from: FROM, to: TO }, ROW, { first: 7 });
    const instruments = await sql('sichuan', 'SELECT id, status FROM instruments');
    const bookings = await sql('sichuan', `SELECT b.instrument_id, b.user_id, b.status, b.starts_at, b.actual_start, b.actual_end, r.score
      FROM bookings b LEFT JOIN booking_ratings r ON r.booking_id = b.id`);
    const from = Date.parse(FROM);
    const to = Date.parse(TO);
    const expected = new Map<string, { seconds: number; uses: number; users: Set<string>; noShows: number; ratings: number; active: boolean }>();
    for (const { id } of instruments) expected.set(id, { seconds: 0, uses: 0, users: new Set(), noShows: 0, ratings: 0, active: false });
    for (const b of bookings) {
      const figures = expected.get(b['instrument_id'])!;
      const inside = b['actual_end'] ? Math.min(to, b['actual_end'].getTime()) - Math.max(from, b['actual_start'].getTime()) : 0;
      if (inside > 0) Object.assign(figures, { seconds: figures.seconds + inside / 1000, uses: figures.uses + 1, active: true }), figures.users.add(b['user_id']);
      const starts = b['starts_at'].getTime();
      if (starts >= from && starts < to && (b['status'] === 'NO_SHOW' || b['status'] === 'CANCELLED' || b['score'] !== null)) {
        figures.active = true;
        if (b['status'] === 'NO_SHOW') figures.noShows += 1;
        if (b['score'] !== null) figures.ratings += 1;
      }
    }
    const listed = instruments.filter((i) => i['status'] !== 'RETIRED' || expected.get(i['id'])!.active).map((i) => `${PROVINCES.sichuan.idPrefix}:instrument:${i['id']}`);
    const walked = rows.map((row) => row['instrumentId'] as string);
    expect(new Set(walked).size).toBe(walked.length);
    expect([...walked].sort()).toEqual([...listed].sort());
    expect(walked).toContain(retiredUsed);
    expect(walked).not.toContain(retiredIdle);
    expect(pages).toBe(Math.ceil(listed.length / 7));
    for (const row of rows) {
      const figures = expected.get(localIdOf(row['instrumentId']))!;
      expect({ id: row['instrumentId'], ...row['figures'] }).toMatchObject({
        id: row['instrumentId'], effectiveHours: Math.round((figures.seconds / 3600) * 100) / 100, uses: figures.uses, usersServed: figures.users.size,
        noShows: figures.noShows, ratings: figures.ratings,
      });
    }
  });

  it('gives totals and institutions that are the sums of the pages', async () => {
    const { body } = await gateway(`query($from: DateTime!, $to: DateTime!) { sichuan { ${EVALUATION} } }`, { variables: { from: FROM, to: TO } });
    expect(body.errors).toBeUndefined();
    const evaluation = body.data.sichuan.evaluation;
    const { rows } = await evaluationInstruments('sichuan', { from: FROM, to: TO }, ROW, { first: 13 });
    const sum = (list: Record<string, any>[], key: string) => list.reduce((total, row) => total + row['figures'][key], 0);
    expect(evaluation.instrumentCount).toBe(rows.length);
    for (const key of ['uses', 'noShows', 'lateCancellations', 'ratings', 'serviceRequests', 'samples']) expect([key, sum(rows, key)]).toEqual([key, evaluation.total[key]]);
    expect(String(rows.reduce((total, row) => total + BigInt(row['figures'].incomeFen), 0n))).toBe(evaluation.total.incomeFen);
    // Hours are rounded per row: their sum is within half a hundredth of an hour a row.
    expect(Math.abs(sum(rows, 'effectiveHours') - evaluation.total.effectiveHours)).toBeLessThanOrEqual(rows.length * 0.005);
    expect(evaluation.institutions.reduce((total: number, i: { instruments: number }) => total + i.instruments, 0)).toBe(rows.length);
    for (const row of evaluation.institutions as { institution: string; instruments: number; figures: Record<string, number> }[]) {
      const own = rows.filter((r) => r['institution'] === row.institution);
      expect([row.institution, row.instruments, row.figures['uses'], row.figures['noShows']]).toEqual([row.institution, own.length, sum(own, 'uses'), sum(own, 'noShows')]);
    }
  });

  it('refuses a cursor it did not hand out, naming the argument', async () => {
    const { body } = await gateway(`query($from: DateTime!, $to: DateTime!) { sichuan { evaluation(from: $from, to: $to) { instruments(after: "bm90LWEtY3Vyc29y") { pageInfo { hasNextPage } } } } }`, {
      variables: { from: FROM, to: TO },
    });
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
  });

  it('totals the province from every row of actual use, people counted once', async () => {
    const rows = await sql('sichuan', 'SELECT user_id, requester_category, actual_start, actual_end FROM bookings WHERE actual_end IS NOT NULL');
    const from = Date.parse(FROM);
    const to = Date.parse(TO);
    let seconds = 0;
    let external = 0;
    const users = new Set<string>();
    for (const row of rows) {
      const inside = Math.min(to, (row['actual_end'] as Date).getTime()) - Math.max(from, (row['actual_start'] as Date).getTime());
      if (inside <= 0) continue;
      seconds += inside / 1000;
      if (row['requester_category'] !== 'OWN_INSTITUTION') external += inside / 1000;
      users.add(row['user_id']);
    }
    const { body } = await gateway(`query($from: DateTime!, $to: DateTime!) { sichuan { evaluation(from: $from, to: $to) { total { effectiveHours externalServiceHours usersServed } } } }`, {
      variables: { from: FROM, to: TO },
    });
    expect(body.data.sichuan.evaluation.total).toEqual({
      effectiveHours: Math.round((seconds / 3600) * 100) / 100,
      externalServiceHours: Math.round((external / 3600) * 100) / 100,
      usersServed: users.size,
    });
  });

  it('counts service requests reported in the period, their samples and the income written in it, exactly in fen', async () => {
    const admin = await tokenFor(ADMIN_OF.sichuan);
    const researcher = await tokenFor('li.wei');
    const run = async (token: string, mutation: string, variables: Record<string, unknown>) => {
      const { body } = await gateway(mutation, { token, variables });
      expect(body.errors).toBeUndefined();
      return Object.values(body.data)[0] as { id: string };
    };
    const prices = ['OWN_PROVINCE_ACADEMIC', 'OTHER_PROVINCE_ACADEMIC', 'ENTERPRISE', 'INTERNAL'].map((category) => ({ category, amountFen: 40_000 }));
    const offering = await run(admin, 'mutation($input: OfferingInput!) { createSichuanOffering(input: $input) { id } }', {
      input: {
        instrumentId, kind: 'SAMPLE_TESTING', name: 'Elemental analysis', nameZh: '元素分析', turnaroundDays: 5,
        sampleForm: [{ name: 'matrix', label: 'Sample matrix', type: 'TEXT' }], prices,
      },
    });
    const request = (sampleCount: number) => run(researcher, 'mutation($input: ServiceRequestInput!) { submitSichuanServiceRequest(input: $input) { id } }', {
      input: {
        offeringId: offering.id, formValues: [{ name: 'matrix', value: 'soil' }], sampleCount, neededBy: localTime(30, 12),
        description: 'Heavy metals in paddy soil', idempotencyKey: newKey(),
      },
    });
    const quotes = [1_234_567, 98_765];
    const reported = [await request(3), await request(7)];
    const onlyQuoted = await request(11);
    for (const [index, { id }] of [...reported, onlyQuoted].entries()) {
      await run(admin, 'mutation($id: ID!, $a: Int!, $u: DateTime!) { quoteSichuanServiceRequest(id: $id, amountFen: $a, validUntil: $u) { id } }', {
        id, a: quotes[index] ?? 5_000, u: localTime(20, 12),
      });
    }
    const report = { fileName: 'report.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64') };
    const charges: string[] = [];
    for (const { id } of reported) {
      await run(researcher, 'mutation($id: ID!) { acceptSichuanServiceQuote(id: $id) { id } }', { id });
      await run(admin, 'mutation($id: ID!) { receiveSichuanSamples(id: $id) { id } }', { id });
      await run(admin, 'mutation($id: ID!) { startSichuanServiceRequest(id: $id) { id } }', { id });
      const issued = await run(admin, 'mutation($id: ID!, $r: ServiceReportInput!) { issueSichuanServiceReport(id: $id, report: $r) { charge { id } } }', { id, r: report });
      charges.push((issued as unknown as { charge: { id: string } }).charge.id);
    }
    const credited = await gateway('mutation($id: ID!) { creditSichuanCharge(chargeId: $id, amountFen: 1001, reason: "Late report") { id } }', {
      token: admin, variables: { id: charges[0] },
    });
    expect(credited.body.errors).toBeUndefined();

    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const { body } = await gateway(`query($from: DateTime!, $to: DateTime!) { sichuan { ${EVALUATION} } }`, {
      token: researcher, variables: { from: `${year}-01-01T00:00:00+08:00`, to: `${year + 1}-01-01T00:00:00+08:00` },
    });
    expect(body.errors).toBeUndefined();
    const expected = { serviceRequests: 2, samples: 3 + 7, incomeFen: String(1_234_567 + 98_765 - 1_001) };
    const evaluation = body.data.sichuan.evaluation;
    const { rows } = await evaluationInstruments('sichuan', { from: `${year}-01-01T00:00:00+08:00`, to: `${year + 1}-01-01T00:00:00+08:00` }, ROW);
    expect(rows.find((i) => i['instrumentId'] === instrumentId)!['figures']).toMatchObject(expected);
    expect(evaluation.institutions.find((i: { institution: string }) => i.institution === institution).figures).toMatchObject(expected);
    // The province's total: every charge line written this year, and every request reported this year, from the rows.
    const [lines] = await sql('sichuan', 'SELECT coalesce(sum(amount_fen), 0)::text AS fen FROM charge_lines WHERE at >= $1 AND at < $2', [
      `${year}-01-01T00:00:00+08:00`, `${year + 1}-01-01T00:00:00+08:00`,
    ]);
    const [requests] = await sql('sichuan', `SELECT count(*)::int AS n, coalesce(sum(sample_count), 0)::int AS samples FROM service_requests r
      WHERE EXISTS (SELECT 1 FROM service_request_events e WHERE e.request_id = r.id AND e.status = 'REPORT_ISSUED' AND e.at >= $1 AND e.at < $2)`, [
      `${year}-01-01T00:00:00+08:00`, `${year + 1}-01-01T00:00:00+08:00`,
    ]);
    expect(evaluation.total).toMatchObject({ serviceRequests: requests!['n'], samples: requests!['samples'], incomeFen: lines!['fen'] });
  });

  const exportUrl = (format: 'csv' | 'xlsx') => new URL(`/reports/evaluation.${format}?year=2025`, testSystem().gatewayUrl).href;

  it('exports the forms as CSV that parses back', async () => {
    const response = await fetch(exportUrl('csv'), { headers: { authorization: `Bearer ${await tokenFor('li.wei')}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows: string[][] = parse((await response.text()).replace(/^\uFEFF/, ''), { relax_column_count: true });
    const header = rows[1]!;
    const row = rows.find((cells) => cells[2] === assetCode)!;
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('有效机时 Effective hours')).toBe('6.5');
    expect(cell('对外服务机时 External service hours')).toBe('4.5');
    expect(cell('对外服务占比 External share')).toBe(String(Math.round((4.5 / 6.5) * 10_000) / 10_000));
    expect(cell('平均评分 Average rating')).toBe('3.5');
    expect(cell('服务收入(元) Income (yuan)')).toBe('0');
    expect(rows.some((cells) => cells[0] === '按省份 By province')).toBe(true);
    // Every instrument of both provinces' pages, once, between the form's heading and the next form's title.
    const instrumentRows = rows.slice(2, rows.findIndex((cells) => cells[0] === '按单位 By institution') - 1);
    const walked = [
      ...(await evaluationInstruments('sichuan', { from: FROM, to: TO }, 'assetCode')).rows,
      ...(await evaluationInstruments('chongqing', { from: FROM, to: TO }, 'assetCode')).rows,
    ].map((r) => r['assetCode']);
    expect(instrumentRows.map((cells) => cells[2])).toEqual(walked);
  });

  it('exports the forms as an XLSX workbook, a sheet per form', async () => {
    const response = await fetch(exportUrl('xlsx'), { headers: { authorization: `Bearer ${await tokenFor('li.wei')}` } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['按仪器 By instrument', '按单位 By institution', '按省份 By province']);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    let found: unknown[] | undefined;
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      if (values[2] === assetCode) found = values;
    });
    expect(found![header.indexOf('有效机时 Effective hours')]).toBe(6.5);
    expect(found![header.indexOf('跨省服务机时 Other-province service hours')]).toBe(1);
    const provinces = workbook.worksheets[2]!;
    expect(provinces.rowCount).toBe(3);
  });

  it('refuses a period it cannot read, saying how to give one', async () => {
    const response = await fetch(new URL('/reports/evaluation.csv?year=twenty', testSystem().gatewayUrl).href);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('year=2026');
  });
});
