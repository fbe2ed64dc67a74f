import type { Readable, Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { badUserInput } from '../../../../shared/src';
import { headerProblem, REGISTRY_HEADERS } from './registryColumns';

export type RegistryFileFormat = 'CSV' | 'XLSX';

/** One data row: its number as a spreadsheet shows it (the header is row 1) and its cells by column. */
export interface RegistryRow {
  readonly row: number;
  readonly cells: ReadonlyMap<string, string>;
}

/** The format a file name says, or null. */
export function formatOfFileName(name: string): RegistryFileFormat | null {
  if (/\.csv$/i.test(name)) return 'CSV';
  if (/\.xlsx$/i.test(name)) return 'XLSX';
  return null;
}

/**
 * The rows of a registry file: a CSV file streamed through csv-parse, so memory stays flat however many rows it
 * holds; a workbook's first worksheet through exceljs (see xlsxRows). A bad header row
 * is BAD_USER_INPUT before any row is read; blank rows are skipped.
 */
export async function* readRegistryRows(input: Readable, format: RegistryFileFormat): AsyncGenerator<RegistryRow> {
  const rows = readable(format === 'CSV' ? csvRows(input) : xlsxRows(input), format);
  let headers: string[] | null = null;
  for await (const { row, values } of rows) {
    if (headers === null) {
      headers = values.map((value) => value.trim().replace(/^\uFEFF/, ''));
      const problem = headerProblem(headers);
      if (problem) throw badUserInput(`row 1 (the header): ${problem}.`, { row: 1 });
      continue;
    }
    if (values.every((value) => value.trim() === '')) continue;
    const cells = new Map<string, string>();
    headers.forEach((header, index) => {
      if (header !== '') cells.set(header, values[index] ?? '');
    });
    yield { row, cells };
  }
  if (headers === null) throw badUserInput('The file is empty: its first row must name the columns, asset_code among them.', {});
}

/** The parser's rows; a file the parser cannot read is BAD_USER_INPUT saying what it is not, never a crash. */
async function* readable<T>(rows: AsyncIterable<T>, format: RegistryFileFormat): AsyncGenerator<T> {
  try {
    yield* rows;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
    const what = format === 'CSV' ? 'a CSV file' : 'an XLSX workbook (Excel 2007 or later; save .xls and .ods files as .xlsx)';
    throw badUserInput(`The file cannot be read as ${what}: ${reason}.`, { format });
  }
}

async function* csvRows(input: Readable): AsyncGenerator<{ row: number; values: string[] }> {
  // relax_column_count: a short row is reported by its missing cells, not refused as a whole file.
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
    yield { row: info.records, values: record };
  }
}

/** A cell's value as text: rich text joined, hyperlinks by their text, formulas by their result, dates as days. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

/**
 * A workbook's first worksheet, row by row. Read whole, not with exceljs' streaming reader: that reader (4.4.0,
 * utils/parse-sax.js) decodes each compressed chunk to text on its own, so a Chinese character split across two
 * chunks comes out garbled and a large file's names change at random rows. The whole reader decodes each part of
 * the workbook in one piece. CSV files, the format for very large registries, stay streamed.
 */
async function* xlsxRows(input: Readable): AsyncGenerator<{ row: number; values: string[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.read(input);
  const sheet = workbook.worksheets[0];
  if (!sheet) return;
  for (let number = 1; number <= sheet.rowCount; number += 1) {
    // row.values is 1-based: index 0 is empty.
    const values = Array.from((sheet.getRow(number).values as ExcelJS.CellValue[]).slice(1), cellText);
    yield { row: number, values };
  }
}

/** Writes the rows under REGISTRY_HEADERS as a stream: CSV (UTF-8 with a byte-order mark, so spreadsheets read Chinese) or XLSX. */
export async function writeRegistryRows(rows: AsyncIterable<string[]>, output: Writable, format: RegistryFileFormat): Promise<number> {
  let count = 0;
  if (format === 'CSV') {
    const csv = stringify({ bom: true });
    const done = new Promise<void>((resolve, reject) => {
      csv.pipe(output).on('finish', resolve).on('error', reject);
      csv.on('error', reject);
    });
    const write = (values: readonly string[]) =>
      new Promise<void>((resolve) => (csv.write(values) ? resolve() : csv.once('drain', resolve)));
    await write(REGISTRY_HEADERS);
    for await (const values of rows) {
      await write(values);
      count += 1;
    }
    csv.end();
    await done;
    return count;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('instruments');
  sheet.addRow([...REGISTRY_HEADERS]).commit();
  for await (const values of rows) {
    // Every cell as text: a spreadsheet then shows exactly what was exported (no rounding of fees or values).
    sheet.addRow(values).commit();
    count += 1;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
