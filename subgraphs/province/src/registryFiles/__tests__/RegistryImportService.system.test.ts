/**
 * @testSystem in-process: only the file's own Sichuan database is used.
 *
 * A large registry file is imported a batch at a time: rows are read from the file only as fast as they are
 * written, so the import never holds more than one batch of them, however long the file.
 */
import { PassThrough, Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { PROVINCES, type Viewer } from '../../../../../shared/src';
import { StatementLog, testSystem } from '../../../../../test/support';
import { UnitOfWork } from '../../persistence/UnitOfWork';
import { createProvinceDataSource } from '../../provinceDataSource';
import { provinceRepositories } from '../../provinceRepositories';
import { REGISTRY_HEADERS } from '../registryColumns';
import { readRegistryRows, writeRegistryRows, type RegistryRow } from '../registryFileStreams';
import { RegistryImportService } from '../RegistryImportService';

const ROWS = 2_600;
/** RegistryImportService's batch. */
const BATCH = 500;

/** Counts the instrument rows the import's INSERT statements carry, as they are sent. */
class InsertedInstruments extends StatementLog {
  rows = 0;
  override logQuery(query: string) {
    if (query.startsWith('INSERT INTO "instruments"')) this.rows += query.match(/\(\$\d+/g)?.length ?? 0;
  }
}

const operator: Viewer = {
  subject: 'operator:test', kind: 'user', province: null, roles: [], scopes: [],
  displayName: 'test operator', institution: null, affiliation: null, quota: null, delegation: null,
};

function cells(n: number): string[] {
  const values: Record<string, string> = {
    asset_code: `SC-BATCH-${String(n).padStart(5, '0')}`,
    name: `Batch-imported mass spectrometer ${n}`,
    name_zh: `批量导入质谱仪${n}`,
    category: 'BATCH_MS',
    category_name_en: 'Mass spectrometer',
    category_name_zh: '质谱仪',
    institution: 'Sichuan University',
    lab_code: `SC-BATCH-LAB-${n % 7}`,
    lab_name: `Batch Import Laboratory ${n % 7}`,
    lab_name_zh: `批量导入实验室${n % 7}`,
    lab_institution: 'Sichuan University',
    lab_city: 'Chengdu',
    lab_level: 'PROVINCIAL',
    hourly_fee_yuan: `${200 + (n % 50)}.50`,
    services: 'TESTING',
    open_from_hour: '9',
    open_to_hour: '17',
    original_value_yuan: `${1_000_000 + n}.00`,
    funding_source: 'LOCAL_FISCAL',
    purchase_date: '2021-03-04',
    commissioning_date: '2021-05-06',
    country_of_manufacture: 'JP',
    classification_code: '010401',
    sharing_contact_name: 'Mass spectrometry office',
    sharing_contact_email: 'ms@example.edu.cn',
  };
  return REGISTRY_HEADERS.map((header) => values[header] ?? '');
}

async function workbookOf(rows: number): Promise<Buffer> {
  const output = new PassThrough();
  const parts: Buffer[] = [];
  output.on('data', (part: Buffer) => parts.push(part));
  const generate = async function* () {
    for (let n = 1; n <= rows; n += 1) yield cells(n);
  };
  await writeRegistryRows(generate(), output, 'XLSX');
  return Buffer.concat(parts);
}

let dataSource: DataSource;
const inserted = new InsertedInstruments();

beforeAll(async () => {
  dataSource = createProvinceDataSource(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, 1);
  dataSource.setOptions({ logging: ['query'], logger: inserted });
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

describe('importing a large registry file', () => {
  it('reads the next batch of rows only once the last one is written, and writes them all', async () => {
    const service = new RegistryImportService(new UnitOfWork(dataSource, provinceRepositories), PROVINCES.sichuan, PROVINCES.chongqing);
    let read = 0;
    let mostHeld = 0;
    const counted = async function* (rows: AsyncIterable<RegistryRow>) {
      for await (const row of rows) {
        read += 1;
        // Rows read from the file and not yet written: what the import holds.
        mostHeld = Math.max(mostHeld, read - inserted.rows);
        yield row;
      }
    };
    const report = await service.importRows(operator, counted(readRegistryRows(Readable.from(await workbookOf(ROWS)), 'XLSX')));

    expect(report.rejected.slice(0, 3)).toEqual([]);
    expect(report).toMatchObject({ status: 'IMPORTED', rows: ROWS, created: ROWS, labsCreated: 7, categoriesCreated: 1, rejectedCount: 0 });
    expect(inserted.rows).toBe(ROWS);
    expect(mostHeld).toBe(BATCH);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM instruments WHERE asset_code LIKE 'SC-BATCH-%'`);
    expect(count).toBe(ROWS);
  });

  it('keeps problems, not rows, for a file it refuses: a report of the first thousand and a count of all', async () => {
    const service = new RegistryImportService(new UnitOfWork(dataSource, provinceRepositories), PROVINCES.sichuan, PROVINCES.chongqing);
    const before = inserted.rows;
    const bad = async function* (): AsyncGenerator<RegistryRow> {
      for (let n = 1; n <= ROWS; n += 1) {
        const values = cells(n + ROWS);
        yield { row: n + 1, cells: new Map(REGISTRY_HEADERS.map((header, index) => [header, header === 'hourly_fee_yuan' ? '-1' : values[index]!])) };
      }
    };
    const report = await service.importRows(operator, bad());

    expect(report).toMatchObject({ status: 'REJECTED', rows: ROWS, rejectedCount: ROWS });
    expect(report.rejected).toHaveLength(1_000);
    expect(report.rejected[0]).toEqual({ row: 2, column: 'hourly_fee_yuan', reason: 'must not be negative' });
    expect(inserted.rows).toBe(before);
  });
});
