import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { REGISTRY_HEADERS } from '../registryColumns';
import { readRegistryRows, utf8Chunks, writeRegistryRows } from '../registryFileStreams';

/**
 * exceljs' streaming reader decodes each chunk of a zip entry on its own; these workbooks are built so that chunk
 * boundaries (16 KiB of inflated XML, 64 KiB of the reader's temporary file) fall inside three-byte characters.
 * 100 rows make some 400 KB of XML in each workbook, the sheet's and the shared strings': at every multiple of 16 KiB
 * and of 64 KiB, boundaries fall both after a character's first byte and after its second, in both (300 rows made
 * three times as many, for three times the CPU).
 */
const CJK = '仪器共享平台四川重庆大型科研设备检测分析服务中心实验室电子显微镜质谱核磁共振';
const ROWS = 100;

/** A long cell of Chinese text, shifted by a few ASCII characters per row so boundaries land at every byte of a character. */
function longCell(n: number, column: number): string {
  const start = (n * 7 + column) % CJK.length;
  return `${'x'.repeat(n % 3)}${n}:${(CJK.slice(start) + CJK.repeat(12)).slice(0, 200 + (n % 11))}`;
}

function generatedRows(): string[][] {
  return Array.from({ length: ROWS }, (_, index) =>
    REGISTRY_HEADERS.map((header, column) => (header === 'asset_code' ? `SC-CJK-${index + 1}` : header.endsWith('_zh') || header === 'description' ? longCell(index + 1, column) : `${header} ${index + 1}`)));
}

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** What readRegistryRows gives back, as rows of cells under REGISTRY_HEADERS. */
async function readBack(file: Buffer): Promise<{ rows: number[]; values: string[][] }> {
  const rows: number[] = [];
  const values: string[][] = [];
  for await (const row of readRegistryRows(Readable.from(file), 'XLSX')) {
    rows.push(row.row);
    values.push(REGISTRY_HEADERS.map((header) => row.cells.get(header) ?? ''));
  }
  return { rows, values };
}

/** Every cell's text as exceljs' own streaming reader gives it. */
async function stockReaderCells(file: Buffer): Promise<string[]> {
  const cells: string[] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(file), { sharedStrings: 'cache', worksheets: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      for (const value of (row.values as ExcelJS.CellValue[]).slice(1)) cells.push(String(value));
    }
  }
  return cells;
}

describe('reading a streamed XLSX workbook', () => {
  it('round-trips long Chinese cells exactly through the export writer (inline strings, sheet read back from a temporary file)', async () => {
    const rows = generatedRows();
    const output = new PassThrough();
    const [written, file] = await Promise.all([writeRegistryRows(from(rows), output, 'XLSX'), collect(output)]);
    expect(written).toBe(ROWS);
    // The case is a real one: exceljs' stock streaming reader garbles this very file. When it no longer does,
    // Utf8WorkbookReader can go.
    expect((await stockReaderCells(file)).some((cell) => cell.includes('\uFFFD'))).toBe(true);

    const read = await readBack(file);
    expect(read.rows).toEqual(rows.map((_, index) => index + 2));
    expect(read.values).toEqual(rows);
  });

  it('reads long Chinese shared strings exactly (a workbook as Excel writes it)', async () => {
    const rows = generatedRows();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('仪器');
    sheet.addRow([...REGISTRY_HEADERS]);
    for (const row of rows) sheet.addRow(row);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await stockReaderCells(file)).some((cell) => cell.includes('\uFFFD'))).toBe(true);

    expect((await readBack(file)).values).toEqual(rows);
  });

  it('reads only the first worksheet, numbering rows as a spreadsheet shows them', async () => {
    const workbook = new ExcelJS.Workbook();
    const first = workbook.addWorksheet('instruments');
    first.addRow([...REGISTRY_HEADERS]);
    first.getRow(4).values = REGISTRY_HEADERS.map((header) => (header === 'asset_code' ? 'SC-ROW-4' : ''));
    workbook.addWorksheet('notes').addRow(['asset_code', 'not an instrument']);
    const read = [];
    for await (const row of readRegistryRows(Readable.from(Buffer.from(await workbook.xlsx.writeBuffer())), 'XLSX')) read.push([row.row, row.cells.get('asset_code')]);
    expect(read).toEqual([[4, 'SC-ROW-4']]);
  });
});

describe('utf8Chunks', () => {
  it('decodes a character split between chunks whole, at every byte it can be split', async () => {
    const bytes = Buffer.from(`a${CJK}b`);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const text: string[] = [];
      for await (const part of utf8Chunks(from([bytes.subarray(0, cut), bytes.subarray(cut)]))) text.push(part);
      expect(text.join('')).toBe(`a${CJK}b`);
    }
  });
});
