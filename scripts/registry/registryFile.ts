/**
 * `npm run import -- --province <p> <file.csv|file.xlsx>` and `npm run export -- --province <p> <file.csv|file.xlsx>`:
 * a provincial IT team loads its existing registry into the province's database, or writes the registry out, in
 * the same file format (README, "Registry files"). Reads DATABASE_URL, the province service's own database.
 * An import is all or nothing: a file with bad rows writes nothing, prints the first of them and writes every
 * one to a report file (row, column, reason). Exit codes: 0 done, 1 refused or failed, 2 bad arguments.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { PROVINCES, PROVINCE_KEYS, isProvinceKey, partnerOf } from '../../shared/src';
import { exportRegistryFile, formatOfFileName, importRegistryFile, type RegistryImportReport } from '../../subgraphs/province/src';

const SHOWN_REJECTIONS = 20;

class UsageError extends Error {}

function usage(command: string): string {
  return command === 'import'
    ? 'usage: npm run import -- --province <sichuan|chongqing> <file.csv|file.xlsx> [--dry-run] [--report <rejected.csv>]'
    : 'usage: npm run export -- --province <sichuan|chongqing> <file.csv|file.xlsx>';
}

function describeReport(report: RegistryImportReport, seconds: number): string[] {
  const rate = seconds > 0 ? Math.round(report.rows / seconds).toLocaleString('en') : '–';
  const counts = `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged; ` +
    `categories ${report.categoriesCreated} created, ${report.categoriesRenamed} renamed; labs ${report.labsCreated} created, ${report.labsUpdated} updated`;
  return [`${report.rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s (${rate} rows/s): ${counts}`];
}

async function main(command: 'import' | 'export', argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { province: { type: 'string' }, 'dry-run': { type: 'boolean' }, report: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${usage(command)}\n`);
    return 0;
  }
  const province = values.province;
  if (!province || !isProvinceKey(province)) throw new UsageError(`--province must be ${PROVINCE_KEYS.join(' or ')}`);
  if (positionals.length !== 1) throw new UsageError('name exactly one file');
  const file = positionals[0]!;
  const format = formatOfFileName(file);
  if (!format) throw new UsageError(`${file}: the file name must end in .csv or .xlsx`);
  const databaseUrl = process.env['DATABASE_URL']?.trim();
  if (!databaseUrl) throw new UsageError(`DATABASE_URL is not set: the ${province} service's database, e.g. postgres://${province}_svc:…@db:5432/shuangcheng_${province}`);

  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  if (command === 'export') {
    const count = await exportRegistryFile(PROVINCES[province], databaseUrl, file, format);
    process.stdout.write(`${province}: exported ${count.toLocaleString('en')} instruments to ${file} in ${seconds().toFixed(1)} s\n`);
    return 0;
  }
  const dryRun = values['dry-run'] ?? false;
  const report = await importRegistryFile(PROVINCES[province], partnerOf(PROVINCES[province]), databaseUrl, file, format, { dryRun });
  const took = seconds();
  if (report.status === 'IMPORTED') {
    process.stdout.write(`${province}: ${dryRun ? 'checked (dry run, nothing written)' : 'imported'} ${file}: ${describeReport(report, took).join('\n')}\n`);
    return 0;
  }
  const reportFile = values.report ?? `${file}.rejected.csv`;
  writeFileSync(reportFile, stringify([['row', 'column', 'reason'], ...report.rejected.map((r) => [r.row, r.column, r.reason])], { bom: true }));
  process.stderr.write(`${province}: ${file} refused, nothing written: ${report.rejectedCount} problem(s) in ${report.rows.toLocaleString('en')} rows.\n`);
  for (const rejection of report.rejected.slice(0, SHOWN_REJECTIONS)) process.stderr.write(`  row ${rejection.row}, ${rejection.column}: ${rejection.reason}\n`);
  if (report.rejectedCount > SHOWN_REJECTIONS) process.stderr.write(`  … and ${report.rejectedCount - SHOWN_REJECTIONS} more\n`);
  process.stderr.write(`Every problem is in ${reportFile}${report.rejectedCount > report.rejected.length ? ` (the first ${report.rejected.length})` : ''}; fix them and import the whole file again.\n`);
  return 1;
}

const command = process.argv[2] === 'export' ? 'export' : 'import';
main(command, process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`${command}: ${(error as Error).message}\n${usage(command)}\n`);
      process.exit(2);
    }
    // A file that cannot be read at all (its header, its format) or a database that cannot be reached: one line.
    const message = (error as Error).message?.split('\n')[0] ?? String(error);
    process.stderr.write(`${command}: ${message}\n`);
    process.exit(1);
  },
);
