import { stringify, type Input, type Options } from 'csv-stringify/sync';

/**
 * CSV for people who open it in a spreadsheet (finance, auditors). A text cell that starts like a formula
 * (=, +, -, @, or a tab or carriage return before one) would run as one there (CSV injection), and text in these
 * exports comes from callers: a payer's name, an offering's name, a credit's reason, an actor's name, an instrument's or institution's name. Such a cell is
 * written with a leading ', which a spreadsheet shows as text; numbers are written as they are.
 */
// The province's CSV exports (charges, access log) and the gateway's evaluation report share this rule.
export function spreadsheetCsv(rows: Input, options: Omit<Options, 'cast'>): string {
  return stringify(rows, { ...options, cast: { string: spreadsheetText } });
}

/** The cast for csv-stringify's `cast.string`, for a streaming stringifier too. */
export function spreadsheetText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
