import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { PROVINCES, partnerOf } from '../../shared/src';
import { INSTRUMENT_CATEGORIES, REGISTRY_HEADERS, exportRegistryFile, importRegistryFile, type RegistryFileFormat } from '../../subgraphs/province/src';

/** What a registry file costs at the bench's scale: a generated file imported, imported again, and the registry exported. */
export interface RegistryFileTiming {
  readonly step: string;
  readonly rows: number;
  readonly seconds: number;
  /** CPU time of the bench process (where the import runs) during the step: what the step costs here whatever else the machine runs; PostgreSQL's share is not in it. */
  readonly cpuSeconds: number;
  readonly fileMiB: number;
  /** The bench process's resident memory at its highest during the step, sampled every 50 ms. */
  readonly peakRssMiB: number;
  readonly outcome: string;
}

const LABS = 100;

/** One generated instrument row of the registry file, by number: plausible, distinct, and valid under the API's rules. */
function generatedRow(n: number): string[] {
  const category = INSTRUMENT_CATEGORIES[n % INSTRUMENT_CATEGORIES.length]!;
  const lab = n % LABS;
  const cells: Record<string, string> = {
    asset_code: `BENCH-IMP-${String(n).padStart(6, '0')}`,
    name: `Imported ${category.nameEn} ${n}`,
    name_zh: `导入${category.nameZh}${n}`,
    category: category.code,
    category_name_en: category.nameEn,
    category_name_zh: category.nameZh,
    model: `Model ${n % 37}`,
    manufacturer: ['Bruker', 'Thermo Fisher Scientific', 'JEOL', 'Carl Zeiss', 'Sugon'][n % 5]!,
    institution: `Bench University ${n % 20}`,
    lab_code: `BENCH-LAB-${String(lab).padStart(3, '0')}`,
    lab_name: `Bench Import Laboratory ${lab}`,
    lab_name_zh: `基准导入实验室${lab}`,
    lab_institution: `Bench University ${lab % 20}`,
    lab_city: lab % 2 === 0 ? 'Chengdu' : 'Mianyang',
    lab_level: lab % 10 === 0 ? 'NATIONAL' : 'PROVINCIAL',
    location: `Building ${n % 12}, room ${100 + (n % 300)}`,
    status: n % 50 === 0 ? 'MAINTENANCE' : 'IN_SERVICE',
    open_for_sharing: 'true',
    hourly_fee_yuan: `${100 + (n % 900)}.${String(n % 100).padStart(2, '0')}`,
    services: n % 3 === 0 ? 'TESTING,RND' : 'TESTING',
    open_from_hour: '9',
    open_to_hour: '17',
    min_booking_minutes: '30',
    max_booking_minutes: '480',
    description: `Generated for the import bench, row ${n}.`,
    original_value_yuan: `${500_000 + n * 37}.${String(n % 100).padStart(2, '0')}`,
    funding_source: ['CENTRAL_FISCAL', 'LOCAL_FISCAL', 'SELF_RAISED', 'OTHER'][n % 4]!,
    purchase_date: `20${String(10 + (n % 14)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`,
    commissioning_date: `20${String(10 + (n % 14)).padStart(2, '0')}-0${1 + (n % 9)}-2${n % 9}`,
    country_of_manufacture: ['CN', 'US', 'DE', 'JP', 'GB'][n % 5]!,
    classification_code: `${String(1 + (n % 13)).padStart(2, '0')}${String(1 + (n % 20)).padStart(2, '0')}${String(1 + (n % 30)).padStart(2, '0')}`,
    main_specifications: 'Resolution better than 0.1 nm; automated sample changer',
    main_functions: 'Testing and research services for partner institutions',
    sharing_contact_name: `Sharing office ${lab}`,
    sharing_contact_phone: `028-8${String(n).padStart(7, '0')}`,
    sharing_contact_email: `sharing${lab}@bench.example.cn`,
  };
  return REGISTRY_HEADERS.map((header) => cells[header] ?? '');
}

async function writeGenerated(file: string, rows: number, format: RegistryFileFormat): Promise<void> {
  const generate = function* () {
    for (let n = 1; n <= rows; n += 1) yield generatedRow(n);
  };
  if (format === 'CSV') {
    await pipeline(Readable.from([REGISTRY_HEADERS, ...generate()]), stringify({ bom: true }), createWriteStream(file));
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('instruments');
  sheet.addRow([...REGISTRY_HEADERS]).commit();
  for (const row of generate()) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
}

async function timed(step: string, file: string, work: () => Promise<{ rows: number; outcome: string }>): Promise<RegistryFileTiming> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  try {
    const { rows, outcome } = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    return { step, rows, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, fileMiB: statSync(file).size / 2 ** 20, peakRssMiB: Math.max(peak, process.memoryUsage().rss) / 2 ** 20, outcome };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Generates a registry file of `rows` instruments (with 100 labs and the bench's categories), imports it into
 * Sichuan's bench database as CSV, imports the same rows again as XLSX (every row matched by asset code and left
 * unchanged), then exports the whole registry as CSV and XLSX: the figures a provincial IT team needs.
 */
export async function measureRegistryFiles(databaseUrl: string, rows: number, log: (line: string) => void): Promise<RegistryFileTiming[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-registry-'));
  const sichuan = PROVINCES.sichuan;
  try {
    const csv = join(dir, 'instruments.csv');
    const xlsx = join(dir, 'instruments.xlsx');
    await writeGenerated(csv, rows, 'CSV');
    await writeGenerated(xlsx, rows, 'XLSX');
    const results: RegistryFileTiming[] = [];
    const importStep = (step: string, file: string, format: RegistryFileFormat) =>
      timed(step, file, async () => {
        const report = await importRegistryFile(sichuan, partnerOf(sichuan), databaseUrl, file, format);
        if (report.status !== 'IMPORTED') throw new Error(`the generated file was refused: ${JSON.stringify(report.rejected.slice(0, 3))}`);
        return { rows: report.rows, outcome: `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged` };
      });
    const exportStep = (step: string, file: string, format: RegistryFileFormat) =>
      timed(step, file, async () => {
        const count = await exportRegistryFile(sichuan, databaseUrl, file, format);
        return { rows: count, outcome: `${count.toLocaleString('en')} instruments written` };
      });
    for (const step of [
      () => importStep(`import ${rows.toLocaleString('en')} rows (CSV, new)`, csv, 'CSV'),
      () => importStep(`import the same rows again (XLSX, unchanged)`, xlsx, 'XLSX'),
      () => exportStep('export the whole registry (CSV)', join(dir, 'export.csv'), 'CSV'),
      () => exportStep('export the whole registry (XLSX)', join(dir, 'export.xlsx'), 'XLSX'),
    ]) {
      const result = await step();
      log(`registry files: ${result.step}: ${result.rows.toLocaleString('en')} rows in ${result.seconds.toFixed(1)} s ` +
        `(${Math.round(result.rows / result.seconds).toLocaleString('en')} rows/s; ${result.cpuSeconds.toFixed(1)} s CPU in this process), ${result.fileMiB.toFixed(1)} MiB file, peak RSS ${result.peakRssMiB.toFixed(0)} MiB; ${result.outcome}`);
      results.push(result);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
