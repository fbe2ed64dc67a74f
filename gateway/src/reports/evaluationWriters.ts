import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { spreadsheetText } from '../../../shared/src';
import { FORM_TITLES, type Cell } from './evaluationReport';

/**
 * Writes the evaluation's forms to a stream as they come: the per-instrument form a page of rows at a time, then the
 * (small) per-institution and per-province forms. Nothing but the current page is held.
 */
export interface EvaluationFormWriter {
  instruments(rows: readonly Cell[][]): Promise<void>;
  /** The remaining forms; resolves once the file is complete in `out`. */
  finish(institutions: readonly Cell[][], provinces: readonly Cell[][]): Promise<void>;
}

/**
 * One CSV: the three forms one after the other, each under its title row, with a byte-order mark so spreadsheets read
 * UTF-8. Names come from the provinces' registries, so text that starts like a formula is written as text.
 */
export function csvFormWriter(out: Writable, instrumentHeader: Cell[]): EvaluationFormWriter {
  const csv = stringify({ bom: true, cast: { string: spreadsheetText } });
  csv.pipe(out);
  const write = async (rows: readonly Cell[][]) => {
    for (const row of rows) {
      // Wait for the response to take what it has: a slow client holds back the next page, not memory.
      if (!csv.write(row)) await once(csv, 'drain');
    }
  };
  const started = write([[FORM_TITLES.instruments], instrumentHeader]);
  return {
    instruments: async (rows) => {
      await started;
      await write(rows);
    },
    finish: async (institutions, provinces) => {
      await started;
      await write([[], [FORM_TITLES.institutions], ...institutions, [], [FORM_TITLES.provinces], ...provinces]);
      csv.end();
      await finished(out);
    },
  };
}

/**
 * One workbook, a sheet per form, headings bold and frozen, written with exceljs's streaming writer: rows are committed
 * as they come. A string is written as a text cell, never as a formula, whatever it starts with.
 */
export function xlsxFormWriter(out: Writable, instrumentHeader: Cell[]): EvaluationFormWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Shuangcheng';
  const sheetOf = (title: string, header: readonly Cell[]) => {
    const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = header.map(() => ({ width: 16 }));
    const heading = sheet.addRow([...header]);
    heading.font = { bold: true };
    heading.commit();
    return sheet;
  };
  // The workbook's first sheet is written into the zip as its rows are committed; the others follow it.
  const instruments = sheetOf(FORM_TITLES.instruments, instrumentHeader);
  return {
    instruments: async (rows) => {
      for (const row of rows) instruments.addRow([...row]).commit();
    },
    finish: async (institutions, provinces) => {
      instruments.commit();
      for (const [title, [header, ...rows]] of [[FORM_TITLES.institutions, institutions], [FORM_TITLES.provinces, provinces]] as const) {
        const sheet = sheetOf(title, header ?? []);
        for (const row of rows) sheet.addRow([...row]).commit();
        sheet.commit();
      }
      await workbook.commit();
      await finished(out);
    },
  };
}
