import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { PROVINCE_KEYS, type ProvinceKey } from '../../shared/src';
import { closePools, sql } from '../support/registryFixtures';
import { evaluationInstruments } from '../support/evaluationPages';
import { testSystem, tokenFor } from '../support/system';

/*
 * The evaluation's CSV and XLSX exports walk the instruments' pages and stream them: with a few thousand instruments
 * (generated here, in this file's own databases) every instrument arrives exactly once, and the answer starts before
 * the last page is read (an instrument added once the answer has started is in the file).
 */

const FROM = '2025-01-01T00:00:00+08:00';
const TO = '2026-01-01T00:00:00+08:00';
const GENERATED = 2_500;

afterAll(() => closePools());

/** Copies of a province's first instrument under new ids, asset codes and names, spread over a few institutions. */
async function generateInstruments(province: ProvinceKey, count: number, institutionPrefix: string): Promise<void> {
  const columns = await otherColumns(province);
  await sql(province, `INSERT INTO instruments (id, asset_code, name, institution, ${columns})
    SELECT gen_random_uuid(), 'GEN-' || $1 || '-' || lpad(n::text, 5, '0'), 'Generated instrument ' || n, $2 || ' ' || (n % 7), ${columns}
      FROM generate_series(1, $3::int) AS n, (SELECT * FROM instruments WHERE status = 'IN_SERVICE' ORDER BY asset_code LIMIT 1) AS template`,
  [province, institutionPrefix, count]);
}

/** An instrument whose names a partner typed to run as spreadsheet formulas: the files must carry them as text. */
const HOSTILE = { assetCode: 'GEN-HOSTILE', name: '=HYPERLINK("http://attacker.example","x")', nameZh: '+1+1', institution: '@SUM(A1)' };

async function registerHostileInstrument(): Promise<void> {
  const columns = (await otherColumns('sichuan')).split(', ').filter((column) => column !== '"name_zh"').join(', ');
  await sql('sichuan', `INSERT INTO instruments (id, asset_code, name, name_zh, institution, ${columns})
    SELECT gen_random_uuid(), $1, $2, $3, $4, ${columns} FROM instruments WHERE status = 'IN_SERVICE' ORDER BY asset_code LIMIT 1`,
  [HOSTILE.assetCode, HOSTILE.name, HOSTILE.nameZh, HOSTILE.institution]);
}

const exportUrl = (format: 'csv' | 'xlsx') => new URL(`/reports/evaluation.${format}?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`, testSystem().gatewayUrl).href;

describe('exporting an evaluation of thousands of instruments', () => {
  let expected: string[];

  beforeAll(async () => {
    for (const province of PROVINCE_KEYS) await generateInstruments(province, GENERATED, `Generated Institute ${province}`);
    await registerHostileInstrument();
    expected = [];
    for (const province of PROVINCE_KEYS) expected.push(...(await evaluationInstruments(province, { from: FROM, to: TO }, 'assetCode')).rows.map((row) => row['assetCode'] as string));
  }, 120_000);

  it('streams every instrument of both provinces once as CSV, starting before the last page is read', async () => {
    const response = await fetch(exportUrl('csv'), { headers: { authorization: `Bearer ${await tokenFor('li.wei')}` } });
    expect(response.status).toBe(200);
    // Streamed: no length is known when the answer starts.
    expect(response.headers.get('content-length')).toBeNull();
    // Chongqing's pages are walked after Sichuan's: an instrument it registers now, sorting last, is still read.
    const columns = await otherColumns('chongqing');
    const [late] = await sql('chongqing', `INSERT INTO instruments (id, asset_code, name, institution, ${columns})
      SELECT gen_random_uuid(), 'GEN-LATE', 'Zz late instrument', 'Zz Late Institute', ${columns}
        FROM instruments WHERE status = 'IN_SERVICE' ORDER BY asset_code LIMIT 1 RETURNING asset_code`);
    const rows: string[][] = parse((await response.text()).replace(/^\uFEFF/, ''), { relax_column_count: true });
    const instrumentRows = rows.slice(2, rows.findIndex((cells) => cells[0] === '按单位 By institution') - 1);
    expect(instrumentRows.map((cells) => cells[2])).toEqual([...expected, late!['asset_code']]);
    // Text that starts like a formula is written with a leading apostrophe, which a spreadsheet shows as text.
    const hostile = instrumentRows.find((cells) => cells[2] === HOSTILE.assetCode)!;
    expect([hostile[1], hostile[3], hostile[4]]).toEqual([`'${HOSTILE.institution}`, `'${HOSTILE.nameZh}`, `'${HOSTILE.name}`]);
    await sql('chongqing', "DELETE FROM instruments WHERE asset_code = 'GEN-LATE'");
  });

  it('streams every instrument of both provinces once as an XLSX workbook', async () => {
    const response = await fetch(exportUrl('xlsx'), { headers: { authorization: `Bearer ${await tokenFor('li.wei')}` } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['按仪器 By instrument', '按单位 By institution', '按省份 By province']);
    const assetCodes: unknown[] = [];
    workbook.worksheets[0]!.eachRow((row, number) => {
      if (number > 1) assetCodes.push((row.values as unknown[])[3]);
    });
    expect(assetCodes).toEqual(expected);
    // In a workbook such text is a text cell, never a formula.
    let hostile: ExcelJS.Row | undefined;
    workbook.worksheets[0]!.eachRow((row) => {
      if ((row.values as unknown[])[3] === HOSTILE.assetCode) hostile = row;
    });
    for (const [column, text] of [[2, HOSTILE.institution], [4, HOSTILE.nameZh], [5, HOSTILE.name]] as const) {
      const cell = hostile!.getCell(column);
      expect([cell.type, cell.value, cell.formula]).toEqual([ExcelJS.ValueType.String, text, undefined]);
    }
    expect(workbook.worksheets[0]!.getRow(1).font?.bold).toBe(true);
    // The province form counts what the pages gave.
    const provinces = workbook.worksheets[2]!;
    const header = (provinces.getRow(1).values as unknown[]).slice(1);
    const counts = [2, 3].map((n) => (provinces.getRow(n).values as unknown[]).slice(1)[header.indexOf('仪器台套数 Instruments')]);
    expect((counts as number[]).reduce((a, b) => a + b, 0)).toBe(expected.length);
  });
});

/** The instruments' columns a copy takes from its template: all but those each copy gets its own value of. */
async function otherColumns(province: ProvinceKey): Promise<string> {
  return (await sql(province, `SELECT column_name FROM information_schema.columns
    WHERE table_name = 'instruments' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'asset_code', 'name', 'institution') ORDER BY ordinal_position`))
    .map((row) => `"${row['column_name']}"`).join(', ');
}
