import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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
 * The rows of a registry file, streamed so memory stays flat however many rows it holds: a CSV file through
 * csv-parse, a workbook's first worksheet through exceljs' streaming reader (see xlsxRows). A bad header row is
 * BAD_USER_INPUT before any row is read; blank rows are skipped.
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
 * exceljs' streaming workbook reader, made to decode UTF-8 across chunk boundaries.
 *
 * Why: exceljs 4.4.0 turns each chunk of an inflated zip entry into text on its own (`utils/parse-sax.js` calls
 * `TextDecoder.decode(chunk)` without `{ stream: true }`), so a Chinese character whose three bytes straddle two
 * chunks (16 KiB as inflated, 64 KiB when a sheet is read back from the reader's temporary file) becomes two U+FFFD
 * and names change at random rows (exceljs issues #2063, #2084; the fixes proposed upstream, #1665 and #2081, are
 * not released). parse-sax passes strings through untouched, so the fix is to hand it text that is already
 * decoded: the zip entries the reader parses itself get a StringDecoder (`setEncoding`), and the chunks it passes
 * to a worksheet's or hyperlinks' reader go through one. This keeps everything exceljs does right (shared strings,
 * inline strings, styles and so dates, rich text, formulas) instead of reading the sheet's XML a second way.
 *
 * The hooks are the reader's own (underscored) methods, so the exact exceljs version is pinned in package.json and
 * every one is checked to exist when this module loads; `__tests__/registryFileStreams.test.ts` reads a workbook
 * whose chunk boundaries fall inside characters and checks both that the stock reader still garbles it (drop this
 * class once it does not) and that this one reads it exactly.
 */
type Chunks = AsyncIterable<Buffer | string>;
interface WorkbookReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(chunks: Chunks, sheetNo: string): Generator<unknown>;
  _parseHyperlinks(chunks: Chunks, sheetNo: string): Generator<unknown>;
}
const stockReader = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as WorkbookReaderInternals;
for (const method of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings', '_parseWorksheet', '_parseHyperlinks'] as const) {
  if (typeof stockReader[method] !== 'function') throw new Error(`exceljs' WorkbookReader has no ${method}: see Utf8WorkbookReader in registryFileStreams.ts before upgrading exceljs`);
}

/** Text of the chunks, decoded as one UTF-8 stream: a character split between two chunks comes out whole. */
export async function* utf8Chunks(chunks: Chunks): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text !== '') yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

class Utf8WorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader implements WorkbookReaderInternals {
  _parseRels(entry: Readable) {
    return stockReader._parseRels.call(this, entry.setEncoding('utf8'));
  }

  _parseWorkbook(entry: Readable) {
    return stockReader._parseWorkbook.call(this, entry.setEncoding('utf8'));
  }

  _parseStyles(entry: Readable) {
    return stockReader._parseStyles.call(this, entry.setEncoding('utf8'));
  }

  _parseSharedStrings(entry: Readable) {
    return stockReader._parseSharedStrings.call(this, entry.setEncoding('utf8'));
  }

  _parseWorksheet(chunks: Chunks, sheetNo: string) {
    return stockReader._parseWorksheet.call(this, utf8Chunks(chunks), sheetNo);
  }

  _parseHyperlinks(chunks: Chunks, sheetNo: string) {
    return stockReader._parseHyperlinks.call(this, utf8Chunks(chunks), sheetNo);
  }
}

/**
 * A copy of the text that shares no memory with the parser's input. The SAX parser hands out cell text as slices
 * of the chunk it was given (64 KiB of XML), and V8 keeps a whole chunk alive while any slice of it lives: an import
 * keeps every row's asset code (to find duplicates), so without the copy it kept the whole worksheet's XML
 * (a heap snapshot 45 s into a 50,000-row import: 1,029 chunks, 125 MiB, held by the asset codes).
 */
function ownString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * A workbook's first worksheet, streamed row by row: memory holds one chunk of the sheet and the workbook's shared
 * strings, however many rows it has. (exceljs keeps a worksheet that comes before the shared strings in the zip, as
 * Excel writes it, in a temporary file until they are read.) Later worksheets are read through and ignored, so the
 * reader finishes and removes its temporary files.
 */
async function* xlsxRows(input: Readable): AsyncGenerator<{ row: number; values: string[] }> {
  const reader = new Utf8WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets += 1;
      let rows = 0;
      for await (const row of sheet) {
        if (sheets > 1) continue;
        // A row with no cell is not in the file: row 1 is the header even when it is blank, as a spreadsheet shows it.
        if (rows === 0 && row.number > 1) yield { row: 1, values: [] };
        rows += 1;
        // row.values is 1-based: index 0 is empty.
        yield { row: row.number, values: Array.from((row.values as ExcelJS.CellValue[]).slice(1), (value) => ownString(cellText(value))) };
      }
    }
  } finally {
    input.destroy();
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
