import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import { fenToYuan } from '../domain/money';

/**
 * The columns of a registry file (CSV or the first worksheet of an XLSX workbook), one row per instrument with its
 * category and lab: what `npm run import`, the upload mutation and the export read and write. Each column names
 * the API field it fills, so a rule the API applies is reported against the column a person sees.
 */

type Kind = 'text' | 'int' | 'number' | 'boolean' | 'list' | 'yuan';

export interface RegistryColumn {
  readonly header: string;
  /** The field of the instrument input (or of the row's category or lab) the cell fills. */
  readonly field: string;
  readonly kind: Kind;
  readonly required?: boolean;
}

const column = (header: string, field: string, kind: Kind = 'text', required = false): RegistryColumn => ({ header, field, kind, required });

export const INSTRUMENT_COLUMNS: readonly RegistryColumn[] = [
  column('asset_code', 'assetCode', 'text', true),
  column('name', 'name'),
  column('name_zh', 'nameZh'),
  column('category', 'category'),
  column('model', 'model'),
  column('manufacturer', 'manufacturer'),
  column('institution', 'institution'),
  column('location', 'location'),
  column('status', 'status'),
  column('open_for_sharing', 'openForSharing', 'boolean'),
  column('hourly_fee_yuan', 'hourlyFee', 'number'),
  column('services', 'services', 'list'),
  column('open_from_hour', 'openFromHour', 'int'),
  column('open_to_hour', 'openToHour', 'int'),
  column('min_booking_minutes', 'minBookingMinutes', 'int'),
  column('max_booking_minutes', 'maxBookingMinutes', 'int'),
  column('description', 'description'),
  column('original_value_yuan', 'originalValueFen', 'yuan'),
  column('funding_source', 'fundingSource'),
  column('purchase_date', 'purchaseDate'),
  column('commissioning_date', 'commissioningDate'),
  column('country_of_manufacture', 'countryOfManufacture'),
  column('classification_code', 'classificationCode'),
  column('main_specifications', 'mainSpecifications'),
  column('main_functions', 'mainFunctions'),
  column('sharing_contact_name', 'sharingContactName'),
  column('sharing_contact_phone', 'sharingContactPhone'),
  column('sharing_contact_email', 'sharingContactEmail'),
];

/** The row's category: its code is the instrument's `category`; names create or rename it. */
export const CATEGORY_COLUMNS: readonly RegistryColumn[] = [column('category_name_en', 'nameEn'), column('category_name_zh', 'nameZh')];

/** The row's lab, by code; the other cells create the lab or change it. */
export const LAB_COLUMNS: readonly RegistryColumn[] = [
  column('lab_code', 'code'),
  column('lab_name', 'name'),
  column('lab_name_zh', 'nameZh'),
  column('lab_institution', 'institution'),
  column('lab_city', 'city'),
  column('lab_level', 'level'),
];

/** Every column, in the order the export writes them. */
export const REGISTRY_HEADERS: readonly string[] = [
  ...INSTRUMENT_COLUMNS.slice(0, 4).map((c) => c.header),
  ...CATEGORY_COLUMNS.map((c) => c.header),
  ...LAB_COLUMNS.map((c) => c.header),
  ...INSTRUMENT_COLUMNS.slice(4).map((c) => c.header),
];

const KNOWN = new Set(REGISTRY_HEADERS);

/** What is wrong with a file's header row, or null: every column named once, none unknown, asset_code present. */
export function headerProblem(headers: readonly string[]): string | null {
  const unknown = headers.filter((header) => header !== '' && !KNOWN.has(header));
  if (unknown.length > 0) return `unknown column(s) ${unknown.map((h) => JSON.stringify(h)).join(', ')}; the columns are ${REGISTRY_HEADERS.join(', ')}`;
  const repeated = headers.filter((header, index) => header !== '' && headers.indexOf(header) !== index);
  if (repeated.length > 0) return `column(s) named twice: ${[...new Set(repeated)].join(', ')}`;
  if (!headers.includes('asset_code')) return 'the first row must name the columns, asset_code among them';
  return null;
}

export interface CellProblem {
  readonly column: string;
  readonly reason: string;
}

/** Yuan written with at most two decimals, as exact fen in digits: no floating point on the way. */
function yuanToFen(text: string): string | null {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.replace(/,/g, ''));
  if (!match) return null;
  return (BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'))).toString();
}


const TRUE = new Set(['true', 'yes', 'y', '1', '是']);
const FALSE = new Set(['false', 'no', 'n', '0', '否']);

/**
 * One cell as the API would receive the field: empty cells are left out (the API's default or "keep" applies);
 * numbers, booleans and lists are read from their text. A cell that cannot be read is a problem of its column.
 */
function cellValue(column: RegistryColumn, text: string): { value: unknown } | { problem: string } {
  switch (column.kind) {
    case 'text':
      return { value: text };
    case 'int':
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(text)) return { problem: `must be a number, got ${JSON.stringify(text.slice(0, 40))}` };
      return { value: Number(text) };
    case 'boolean':
      if (TRUE.has(text.toLowerCase())) return { value: true };
      if (FALSE.has(text.toLowerCase())) return { value: false };
      return { problem: `must be true or false (yes/no, 1/0, 是/否), got ${JSON.stringify(text.slice(0, 40))}` };
    case 'list':
      return { value: text.split(/[\s,;|]+/).filter(Boolean) };
    case 'yuan': {
      const fen = yuanToFen(text);
      return fen === null ? { problem: `must be an amount in yuan with at most two decimals, e.g. 4500000.00; got ${JSON.stringify(text.slice(0, 40))}` } : { value: fen };
    }
  }
}

/** The fields a group of columns fills from a row's cells, and the cells that could not be read. */
export function readColumns(columns: readonly RegistryColumn[], cells: ReadonlyMap<string, string>, problems: CellProblem[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const column of columns) {
    const text = cells.get(column.header)?.trim() ?? '';
    if (text === '') continue;
    const read = cellValue(column, text);
    if ('problem' in read) problems.push({ column: column.header, reason: read.problem });
    else fields[column.field] = read.value;
  }
  return fields;
}

/** The column that holds an input field, for reporting a rule the API applied to it. */
export function columnOf(columns: readonly RegistryColumn[], field: string | undefined): string {
  return columns.find((c) => c.field === field)?.header ?? field ?? '(row)';
}

/** An instrument with its category and lab as one row of text cells, in REGISTRY_HEADERS order. */
export function instrumentRow(
  instrument: InstrumentEntity,
  category: { nameEn: string; nameZh: string } | undefined,
  lab: { code: string; name: string; nameZh: string; institution: string; city: string; level: string } | null | undefined,
): string[] {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const instrumentCells: Record<string, string> = {
    asset_code: instrument.assetCode,
    name: instrument.name,
    name_zh: instrument.nameZh,
    category: instrument.categoryCode,
    model: text(instrument.model),
    manufacturer: text(instrument.manufacturer),
    institution: instrument.institution,
    location: text(instrument.location),
    status: instrument.status,
    open_for_sharing: String(instrument.openForSharing),
    hourly_fee_yuan: String(instrument.hourlyFee),
    services: instrument.services.join(','),
    open_from_hour: String(instrument.openFromHour),
    open_to_hour: String(instrument.openToHour),
    min_booking_minutes: String(instrument.minBookingMinutes),
    max_booking_minutes: String(instrument.maxBookingMinutes),
    description: text(instrument.description),
    original_value_yuan: instrument.originalValueFen === null ? '' : fenToYuan(instrument.originalValueFen),
    funding_source: text(instrument.fundingSource),
    purchase_date: text(instrument.purchaseDate),
    commissioning_date: text(instrument.commissioningDate),
    country_of_manufacture: text(instrument.countryOfManufacture),
    classification_code: text(instrument.classificationCode),
    main_specifications: text(instrument.mainSpecifications),
    main_functions: text(instrument.mainFunctions),
    sharing_contact_name: text(instrument.sharingContactName),
    sharing_contact_phone: text(instrument.sharingContactPhone),
    sharing_contact_email: text(instrument.sharingContactEmail),
    category_name_en: text(category?.nameEn),
    category_name_zh: text(category?.nameZh),
    lab_code: text(lab?.code),
    lab_name: text(lab?.name),
    lab_name_zh: text(lab?.nameZh),
    lab_institution: text(lab?.institution),
    lab_city: text(lab?.city),
    lab_level: text(lab?.level),
  };
  return REGISTRY_HEADERS.map((header) => instrumentCells[header]!);
}
