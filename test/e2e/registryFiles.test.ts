/**
 * @testSystem in-process: nothing here needs a port or a process of its own.
 *
 * Registry files: a province admin's upload through the gateway (all rows or none, a precise report, idempotent by
 * asset code, refused to anyone else), and the export a registry round-trips through, as CSV and as XLSX.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PROVINCES } from '../../shared/src';
import { REGISTRY_HEADERS, createProvinceDataSource, exportRegistryFile, importRegistryFile } from '../../subgraphs/province/src';
import { createOwnDatabase, dropOwnDatabase } from '../support';
import { withDatabase } from '../support/database';
import { gateway, onlyError, testSystem, tokenFor } from '../support/system';

const RUN = randomUUID().slice(0, 6).toUpperCase();
const IMPORT = `mutation Import($format: RegistryFileFormat!, $content: String!, $dryRun: Boolean) {
  report: importSichuanRegistry(format: $format, contentBase64: $content, dryRun: $dryRun) {
    status rows created updated unchanged categoriesCreated categoriesRenamed labsCreated labsUpdated rejected { row column reason } rejectedCount
  }
}`;

/** A CSV file of the registry's columns; each row names only the cells it fills. */
function csv(rows: readonly Record<string, string>[]): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [REGISTRY_HEADERS.join(','), ...rows.map((row) => REGISTRY_HEADERS.map((header) => quote(row[header] ?? '')).join(','))].join('\n');
}

function row(n: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    asset_code: `IMP-${RUN}-${n}`,
    name: `Imported Raman spectrometer ${RUN} ${n}`,
    name_zh: '导入的拉曼光谱仪',
    category: `RAMAN_${RUN}`,
    category_name_en: 'Raman spectrometer',
    category_name_zh: '拉曼光谱仪',
    institution: 'Sichuan University',
    lab_code: `LAB-${RUN}`,
    lab_name: `Imported Spectroscopy Lab ${RUN}`,
    lab_name_zh: '导入光谱实验室',
    lab_institution: 'Sichuan University',
    lab_city: 'Chengdu',
    lab_level: 'PROVINCIAL',
    hourly_fee_yuan: '320.50',
    services: 'TESTING,RND',
    open_from_hour: '9',
    open_to_hour: '17',
    original_value_yuan: '1,234,567.89',
    funding_source: 'LOCAL_FISCAL',
    purchase_date: '2020-05-06',
    commissioning_date: '2020-07-01',
    country_of_manufacture: 'DE',
    classification_code: '010401',
    sharing_contact_name: 'Spectroscopy office',
    sharing_contact_email: 'raman@example.edu.cn',
    ...overrides,
  };
}

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

async function upload(content: string | Buffer, options: { as?: string; format?: 'CSV' | 'XLSX'; dryRun?: boolean } = {}) {
  const token = await tokenFor(options.as ?? 'sc.admin');
  return gateway(IMPORT, { token, variables: { format: options.format ?? 'CSV', content: base64(content), dryRun: options.dryRun ?? false } });
}

async function report(content: string | Buffer, options: { format?: 'CSV' | 'XLSX'; dryRun?: boolean } = {}) {
  const response = await upload(content, options);
  expect(response.body.errors).toBeUndefined();
  return response.body.data.report;
}

const instrumentsWithPrefix = (prefix: string) =>
  withDatabase('sichuan', async (db) =>
    (await db.query(`SELECT asset_code, hourly_fee::text AS fee, original_value_fen::text AS fen, lab_id FROM instruments WHERE asset_code LIKE $1 ORDER BY asset_code`, [`${prefix}%`])).rows);

describe('importing a registry file through the gateway', () => {
  it('loads instruments, their category and lab, exactly, audited; a second load of the same file changes nothing', async () => {
    const file = csv([row(1), row(2), row(3, { lab_code: '', lab_name: '', lab_name_zh: '', lab_institution: '', lab_city: '', lab_level: '' })]);
    expect(await report(file)).toEqual({
      status: 'IMPORTED', rows: 3, created: 3, updated: 0, unchanged: 0, categoriesCreated: 1, categoriesRenamed: 0, labsCreated: 1, labsUpdated: 0,
      rejected: [], rejectedCount: 0,
    });
    const rows = await instrumentsWithPrefix(`IMP-${RUN}-`);
    expect(rows.map((r: any) => [r.asset_code, r.fee, r.fen])).toEqual([1, 2, 3].map((n) => [`IMP-${RUN}-${n}`, '320.50', '123456789']));
    expect(rows[0].lab_id).toBe(rows[1].lab_id);
    expect(rows[2].lab_id).toBeNull();

    const { body } = await gateway(`query Q($code: String!) { sichuan { instruments(filter: { classificationCode: $code, keyword: "${RUN}" }) { totalCount edges { node { category lab { name } originalValueFen sharingContactEmail } } } categories { code nameZh } } }`, { variables: { code: '0104' } });
    expect(body.data.sichuan.instruments.totalCount).toBe(3);
    expect(body.data.sichuan.instruments.edges[0].node).toEqual({ category: `RAMAN_${RUN}`, lab: { name: `Imported Spectroscopy Lab ${RUN}` }, originalValueFen: '123456789', sharingContactEmail: 'raman@example.edu.cn' });
    expect(body.data.sichuan.categories).toContainEqual({ code: `RAMAN_${RUN}`, nameZh: '拉曼光谱仪' });

    const audit = await withDatabase('sichuan', async (db) =>
      (await db.query(`SELECT action, actor_name FROM audit_log WHERE details->>'source' = 'registry file' AND (entity_id = $1 OR details->>'assetCode' LIKE $2 OR details->>'code' = $3) ORDER BY id`, [`RAMAN_${RUN}`, `IMP-${RUN}-%`, `LAB-${RUN}`])).rows);
    expect(audit.map((entry: any) => entry.action)).toEqual(['category.created', 'lab.created', 'instrument.created', 'instrument.created', 'instrument.created']);
    expect(audit[0].actor_name).toBe('Sichuan Registry Admin');

    expect(await report(file)).toMatchObject({ status: 'IMPORTED', rows: 3, created: 0, updated: 0, unchanged: 3, categoriesCreated: 0, labsCreated: 0 });
    const changed = csv([row(1), row(2, { hourly_fee_yuan: '400', status: 'MAINTENANCE' }), row(3, { lab_code: '', lab_name: '', lab_name_zh: '', lab_institution: '', lab_city: '', lab_level: '' })]);
    expect(await report(changed)).toMatchObject({ status: 'IMPORTED', created: 0, updated: 1, unchanged: 2 });
    expect((await instrumentsWithPrefix(`IMP-${RUN}-`)).map((r: any) => r.fee)).toEqual(['320.50', '400.00', '320.50']);
  });

  it('refuses a file with bad rows whole, naming each bad cell by row and column, and writes nothing', async () => {
    const prefix = `BAD-${RUN}-`;
    const good = (n: number, overrides: Record<string, string> = {}) => row(n, { asset_code: `${prefix}${n}`, ...overrides });
    const file = csv([
      good(1),
      good(2, { hourly_fee_yuan: 'free' }),
      good(3, { classification_code: '990101', purchase_date: '2020-13-01' }),
      good(4, { asset_code: `${prefix}1` }),
      good(5, { category: 'NO_SUCH_CATEGORY', category_name_en: '', category_name_zh: '' }),
      good(6, { lab_name: 'Another name for the same lab' }),
      good(7, { open_from_hour: '18' }),
      good(8, { status: 'RETIRED' }),
    ]);
    const result = await report(file);
    expect(result).toMatchObject({ status: 'REJECTED', rows: 8, rejectedCount: 8 });
    expect(result.rejected).toEqual([
      { row: 3, column: 'hourly_fee_yuan', reason: 'must be a number, got "free"' },
      { row: 4, column: 'purchase_date', reason: 'must be a date written YYYY-MM-DD, e.g. 2021-06-30' },
      { row: 4, column: 'classification_code', reason: 'must start with one of the 13 national classes (01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13); 99 is none of them' },
      { row: 5, column: 'asset_code', reason: `${prefix}1 is already on row 2; each instrument appears once` },
      { row: 6, column: 'category', reason: '"NO_SUCH_CATEGORY" is not a category of this registry: give category_name_en and category_name_zh to create it' },
      { row: 7, column: 'lab_name', reason: 'row 2 describes the lab LAB-' + RUN + ' otherwise; every row must agree' },
      { row: 8, column: 'open_to_hour', reason: 'must be later than openFromHour (18)' },
      { row: 9, column: 'status', reason: 'must be IN_SERVICE or MAINTENANCE (retire an instrument with its retire mutation)' },
    ]);
    expect(await instrumentsWithPrefix(prefix)).toEqual([]);
  });

  it('checks without writing on a dry run', async () => {
    const file = csv([row(1, { asset_code: `DRY-${RUN}-1` })]);
    expect(await report(file, { dryRun: true })).toMatchObject({ status: 'IMPORTED', created: 1 });
    expect(await instrumentsWithPrefix(`DRY-${RUN}-`)).toEqual([]);
  });

  it('reads the first worksheet of an XLSX workbook the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('registry');
    sheet.addRow([...REGISTRY_HEADERS]);
    const cells = row(1, { asset_code: `XLS-${RUN}-1` });
    // A spreadsheet types numbers as numbers: they are read as the text they show.
    sheet.addRow(REGISTRY_HEADERS.map((header) => (['hourly_fee_yuan', 'open_from_hour', 'open_to_hour'].includes(header) ? Number(cells[header]) : cells[header] ?? '')));
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(await report(buffer, { format: 'XLSX' })).toMatchObject({ status: 'IMPORTED', created: 1 });
    expect((await instrumentsWithPrefix(`XLS-${RUN}-`)).map((r: any) => r.fee)).toEqual(['320.50']);
  });

  it('refuses a file it cannot read at all, an unknown column, and one over the size limit, with BAD_USER_INPUT', async () => {
    const unknownColumn = await upload('asset_code,colour\nX-1,red\n');
    expect(onlyError(unknownColumn.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/row 1 \(the header\): unknown column\(s\) "colour"/) });
    const notBase64 = await gateway(IMPORT, { token: await tokenFor('sc.admin'), variables: { format: 'CSV', content: '%%%' } });
    expect(onlyError(notBase64.body).message).toMatch(/contentBase64 must be the file in base64/);
    const tooLarge = await upload(Buffer.alloc(720_000, 'a'));
    expect(onlyError(tooLarge.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/larger than 700,000 bytes.*npm run import/) });
    const notXlsx = await upload('asset_code\nX-1\n', { format: 'XLSX' });
    expect(onlyError(notXlsx.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/^The file cannot be read as an XLSX workbook/) });
    const badQuotes = await upload(`${REGISTRY_HEADERS.join(',')}\n"unterminated,x\n`);
    expect(onlyError(badQuotes.body)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/^The file cannot be read as a CSV file: /) });
  });

  it('is for admins of the province only: a researcher, the other province\'s admin and anonymous callers are refused, nothing written', async () => {
    const file = csv([row(1, { asset_code: `DENIED-${RUN}-1` })]);
    for (const username of ['li.wei', 'cq.admin']) {
      expect(onlyError((await upload(file, { as: username })).body).extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await gateway(IMPORT, { variables: { format: 'CSV', content: base64(file) } });
    expect(onlyError(anonymous.body).extensions?.code).toBe('UNAUTHENTICATED');
    expect(await instrumentsWithPrefix(`DENIED-${RUN}-`)).toEqual([]);
  });
});

describe('exporting a registry', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'registry-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['csv', 'xlsx'] as const)('round-trips through %s: the seeded registry loaded into an empty one exports the same file', async (extension) => {
    const format = extension === 'csv' ? 'CSV' : 'XLSX';
    const first = join(dir, `sichuan.${extension}`);
    const exported = await exportRegistryFile(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, first, format);
    expect(exported).toBeGreaterThan(40);

    const database = `round_trip_${extension}`;
    const url = await createOwnDatabase(database);
    try {
      const fresh = createProvinceDataSource(PROVINCES.sichuan, url, 1);
      await fresh.initialize();
      await fresh.runMigrations();
      await fresh.destroy();
      const loaded = await importRegistryFile(PROVINCES.sichuan, PROVINCES.chongqing, url, first, format);
      expect(loaded).toMatchObject({ status: 'IMPORTED', rows: exported, created: exported, rejectedCount: 0 });
      const second = join(dir, `again.${extension}`);
      expect(await exportRegistryFile(PROVINCES.sichuan, url, second, format)).toBe(exported);
      if (format === 'CSV') expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
      else expect(await sheetValues(second)).toEqual(await sheetValues(first));
      // Loaded again into the registry it came from: nothing to change.
      expect(await importRegistryFile(PROVINCES.sichuan, PROVINCES.chongqing, url, second, format)).toMatchObject({ created: 0, updated: 0, unchanged: exported });
    } finally {
      await dropOwnDatabase(database);
    }
  });

  it('runs as npm run import and npm run export: exit code 1 and a report file for bad rows, 0 and a summary for good ones', async () => {
    const bad = join(dir, 'cli-bad.csv');
    writeFileSync(bad, csv([row(1, { asset_code: `CLI-${RUN}-1` }), row(2, { asset_code: `CLI-${RUN}-2`, hourly_fee_yuan: '-1' })]));
    const env = { ...process.env, DATABASE_URL: testSystem().databaseUrls.sichuan };
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/registry/registryFile.ts', ...args], { env, encoding: 'utf8', cwd: join(__dirname, '..', '..') });
    const refused = cli('import', '--province', 'sichuan', bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`sichuan: ${bad} refused, nothing written: 1 problem(s) in 2 rows.`);
    expect(refused.stderr).toContain('row 3, hourly_fee_yuan: must not be negative');
    expect(readFileSync(`${bad}.rejected.csv`, 'utf8')).toBe('\uFEFFrow,column,reason\n3,hourly_fee_yuan,must not be negative\n');
    expect(await instrumentsWithPrefix(`CLI-${RUN}-`)).toEqual([]);

    const good = join(dir, 'cli-good.csv');
    writeFileSync(good, csv([row(1, { asset_code: `CLI-${RUN}-1` })]));
    const imported = cli('import', '--province', 'sichuan', good);
    expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: '' });
    expect(imported.stdout).toMatch(/^sichuan: imported .*cli-good\.csv: 1 rows in [\d.]+ s \(.* rows\/s\): 1 created, 0 updated, 0 unchanged/);
    const out = join(dir, 'cli-export.xlsx');
    const exported = cli('export', '--province', 'sichuan', out);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/^sichuan: exported [\d,]+ instruments to .*cli-export\.xlsx/);
    expect((await sheetValues(out)).some((values) => values[0] === `CLI-${RUN}-1`)).toBe(true);

    expect(cli('import', '--province', 'tibet', good).status).toBe(2);
    expect(cli('import', '--province', 'sichuan', join(dir, 'registry.ods')).status).toBe(2);
  });

  it('refuses a bad file from the command line\'s import with the same report', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, csv([row(1, { asset_code: `CLI-${RUN}-1`, country_of_manufacture: 'ZZ' })]));
    const result = await importRegistryFile(PROVINCES.sichuan, PROVINCES.chongqing, testSystem().databaseUrls.sichuan, file, 'CSV');
    expect(result).toMatchObject({ status: 'REJECTED', rejected: [{ row: 2, column: 'country_of_manufacture', reason: 'is not an ISO 3166-1 country code (e.g. CN, DE, JP, US)' }] });
  });
});

async function sheetValues(file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}
