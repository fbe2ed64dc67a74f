import { randomUUID } from 'node:crypto';
import { encodeGlobalId, type ProvinceDefinition, type Viewer } from '../../../../shared/src';
import type { AuditRecord } from '../audit/AuditRepository';
import { differences } from '../domain/registryChanges';
import type { CategoryEntity } from '../instruments/CategoryEntity';
import { categoryInputSchema } from '../instruments/categoryInput';
import type { InstrumentTransaction } from '../instruments/InstrumentAdminService';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';
import { instrumentInputSchema, type InstrumentInput } from '../instruments/instrumentInput';
import type { LabEntity } from '../labs/LabEntity';
import { labInputSchema } from '../labs/labInput';
import type { LabRepository } from '../labs/LabRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import { CATEGORY_COLUMNS, columnOf, INSTRUMENT_COLUMNS, LAB_COLUMNS, readColumns, type CellProblem } from './registryColumns';
import type { RegistryRow } from './registryFileStreams';

/** What an import works with, in its one transaction. */
export interface RegistryImportTransaction extends Pick<InstrumentTransaction, 'instruments' | 'categories' | 'audit'> {
  readonly labs: LabRepository;
}

export interface RejectedRow {
  readonly row: number;
  readonly column: string;
  readonly reason: string;
}

export interface RegistryImportReport {
  /** IMPORTED: every row written; REJECTED: nothing written, `rejected` says why. */
  readonly status: 'IMPORTED' | 'REJECTED';
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly categoriesCreated: number;
  readonly categoriesRenamed: number;
  readonly labsCreated: number;
  readonly labsUpdated: number;
  /** The first MAX_REPORTED problems, in row order. */
  readonly rejected: readonly RejectedRow[];
  /** Every problem found, also those beyond the report's length. */
  readonly rejectedCount: number;
}

/** Rows validated and written together: one statement per kind of write for each batch. */
const BATCH_ROWS = 500;
const MAX_REPORTED = 1_000;
const ASSET_CODE_COLUMN = 'asset_code';
const LAB_CODE = /^[A-Za-z0-9-]{2,40}$/;
/** Statuses a file may set; retiring has its own mutation, which checks bookings. */
const FILE_STATUSES = ['IN_SERVICE', 'MAINTENANCE'] as const;

type LabFields = Pick<LabEntity, 'name' | 'nameZh' | 'institution' | 'city' | 'level'>;

interface ValidRow {
  readonly row: number;
  readonly input: InstrumentInput;
  readonly status: InstrumentEntity['status'];
  readonly labCode: string | null;
  /** The row's category and lab cells, by field. */
  readonly category: Record<string, unknown>;
  readonly lab: Record<string, unknown>;
}

/** Thrown inside the transaction to roll it back; carries the report out. */
class RejectedFile extends Error {
  constructor(readonly report: RegistryImportReport) {
    super('registry file rejected');
  }
}

/**
 * Loads a registry file (instruments with their categories and labs) into the province's registry, all of it or
 * nothing: one transaction, rolled back when any row is rejected, with a report of every rejected cell (row,
 * column, reason). Each row goes through the API's own rules (`instrumentInputSchema`, `labInputSchema`,
 * `categoryInputSchema`), and instruments are matched by asset code, so importing a file again updates what
 * changed and adds nothing twice. Rows are read and written a batch at a time, so memory stays flat.
 */
export class RegistryImportService {
  constructor(
    private readonly unitOfWork: UnitOfWork<RegistryImportTransaction>,
    private readonly province: ProvinceDefinition,
    private readonly partner: ProvinceDefinition,
  ) {}

  /** `actor` is an admin of this province (the upload mutation's `@policy` checked it) or the operator at the server (`npm run import`). */
  async importRows(actor: Viewer, rows: AsyncIterable<RegistryRow>, options: { dryRun?: boolean } = {}): Promise<RegistryImportReport> {
    try {
      return await this.unitOfWork.run(async (tx) => {
        const run = new ImportRun(tx, actor, this.province, this.partner);
        let batch: RegistryRow[] = [];
        for await (const row of rows) {
          batch.push(row);
          if (batch.length === BATCH_ROWS) {
            await run.batch(batch);
            batch = [];
          }
        }
        await run.batch(batch);
        const report = run.report();
        // A dry run, like a rejected file, leaves nothing behind.
        if (report.status === 'REJECTED' || options.dryRun) throw new RejectedFile(report);
        return report;
      });
    } catch (error) {
      if (error instanceof RejectedFile) return error.report;
      throw error;
    }
  }
}

/** The state of one import: what it has seen, looked up and written so far. */
class ImportRun {
  private rows = 0;
  private created = 0;
  private updated = 0;
  private unchanged = 0;
  private categoriesCreated = 0;
  private categoriesRenamed = 0;
  private labsCreated = 0;
  private labsUpdated = 0;
  private readonly rejected: RejectedRow[] = [];
  private rejectedCount = 0;
  /** Asset codes seen, with the row that named each first. */
  private readonly assetCodes = new Map<string, number>();
  /** Categories and labs as this file leaves them, and the row that first described each. */
  private readonly categories = new Map<string, (Pick<CategoryEntity, 'nameEn' | 'nameZh'> & { retired: boolean; describedOn?: number }) | null>();
  private readonly labs = new Map<string, (LabFields & { id: string; retired: boolean; describedOn?: number }) | null>();
  /** Built once: a zod schema costs far more to build than to run. */
  private readonly labSchema: ReturnType<typeof labInputSchema>;

  constructor(
    private readonly tx: RegistryImportTransaction,
    private readonly actor: Viewer,
    private readonly province: ProvinceDefinition,
    partner: ProvinceDefinition,
  ) {
    this.labSchema = labInputSchema(province, partner);
  }

  report(): RegistryImportReport {
    return {
      status: this.rejectedCount > 0 ? 'REJECTED' : 'IMPORTED',
      rows: this.rows,
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      categoriesCreated: this.categoriesCreated,
      categoriesRenamed: this.categoriesRenamed,
      labsCreated: this.labsCreated,
      labsUpdated: this.labsUpdated,
      rejected: [...this.rejected].sort((a, b) => a.row - b.row),
      rejectedCount: this.rejectedCount,
    };
  }

  private reject(row: number, column: string, reason: string) {
    this.rejectedCount += 1;
    if (this.rejected.length < MAX_REPORTED) this.rejected.push({ row, column, reason });
  }

  /** Once a row is rejected nothing more is written (the transaction will be rolled back), but every row is still checked. */
  private get writing() {
    return this.rejectedCount === 0;
  }

  async batch(rows: readonly RegistryRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.rows += rows.length;
    const parsed = rows.map((row) => this.parse(row));
    const valid = parsed.filter((row): row is ValidRow => row !== null);
    await this.loadCategories(valid.map((row) => row.input.category));
    await this.loadLabs(valid.flatMap((row) => (row.labCode ? [row.labCode] : [])));
    const ready: ValidRow[] = [];
    for (const row of valid) {
      const categoryOk = await this.category(row.row, row.input.category, row.category);
      const labOk = row.labCode === null || (await this.lab(row.row, row.labCode, row.lab));
      if (categoryOk && labOk) ready.push(row);
    }
    await this.writeInstruments(ready);
  }

  /** A row's cells through the API's rules; null (and the problems reported) when it breaks any. */
  private parse({ row, cells }: RegistryRow): ValidRow | null {
    const problems: CellProblem[] = [];
    const fields = readColumns(INSTRUMENT_COLUMNS, cells, problems);
    const category = readColumns(CATEGORY_COLUMNS, cells, problems);
    const lab = readColumns(LAB_COLUMNS, cells, problems);
    const { status = 'IN_SERVICE', ...instrumentFields } = fields;
    if (!(FILE_STATUSES as readonly unknown[]).includes(status)) {
      problems.push({ column: 'status', reason: `must be ${FILE_STATUSES.join(' or ')} (retire an instrument with its retire mutation)` });
    }
    const labCode = typeof lab['code'] === 'string' ? lab['code'] : null;
    if (labCode !== null && !LAB_CODE.test(labCode)) problems.push({ column: 'lab_code', reason: 'must be 2–40 letters, digits and dashes, e.g. SC-LAB-01' });

    const result = instrumentInputSchema.safeParse({ ...instrumentFields, labId: null });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path[0] === undefined ? undefined : String(issue.path[0]);
        // A cell that could not be read is reported once, as unreadable.
        const columnName = columnOf(INSTRUMENT_COLUMNS, field);
        if (!problems.some((problem) => problem.column === columnName)) problems.push({ column: columnName, reason: issue.message });
      }
    }
    if (result.success) {
      const assetCode = result.data.assetCode;
      const first = this.assetCodes.get(assetCode);
      if (first !== undefined) problems.push({ column: ASSET_CODE_COLUMN, reason: `${assetCode} is already on row ${first}; each instrument appears once` });
      else this.assetCodes.set(assetCode, row);
    }
    for (const problem of problems) this.reject(row, problem.column, problem.reason);
    if (problems.length > 0 || !result.success) return null;
    return { row, input: result.data, status: status as ValidRow['status'], labCode, category, lab };
  }

  private async loadCategories(codes: readonly string[]) {
    const unknown = [...new Set(codes)].filter((code) => !this.categories.has(code));
    const found = await this.tx.categories.lockByCodes(unknown);
    for (const code of unknown) {
      const row = found.find((category) => category.code === code);
      this.categories.set(code, row ? { nameEn: row.nameEn, nameZh: row.nameZh, retired: row.retiredAt !== null } : null);
    }
  }

  private async loadLabs(codes: readonly string[]) {
    const unknown = [...new Set(codes)].filter((code) => !this.labs.has(code));
    const found = await this.tx.labs.lockByCodes(unknown);
    for (const code of unknown) {
      const lab = found.find((row) => row.code === code);
      this.labs.set(code, lab ? { id: lab.id, name: lab.name, nameZh: lab.nameZh, institution: lab.institution, city: lab.city, level: lab.level, retired: lab.retiredAt !== null } : null);
    }
  }

  /** The row's category exists (or the row creates it), is not retired, and the row's names agree with the file's. */
  private async category(row: number, code: string, names: Record<string, unknown>): Promise<boolean> {
    const known = this.categories.get(code) ?? null;
    const named = names['nameEn'] !== undefined || names['nameZh'] !== undefined;
    // The common case, a row repeating what an earlier row said: nothing to check again.
    if (known?.describedOn !== undefined && !known.retired && (names['nameEn'] ?? known.nameEn) === known.nameEn && (names['nameZh'] ?? known.nameZh) === known.nameZh) return true;
    if (known?.retired) {
      this.reject(row, 'category', `the category "${code}" is retired and takes no new instrument; choose another`);
      return false;
    }
    if (!named) {
      if (known) return true;
      this.reject(row, 'category', `"${code}" is not a category of this registry: give category_name_en and category_name_zh to create it`);
      return false;
    }
    const parsed = categoryInputSchema.safeParse({ code, nameEn: names['nameEn'] ?? known?.nameEn, nameZh: names['nameZh'] ?? known?.nameZh });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) this.reject(row, columnOf(CATEGORY_COLUMNS, String(issue.path[0])), issue.message);
      return false;
    }
    const { nameEn, nameZh } = parsed.data;
    if (known?.describedOn !== undefined && (known.nameEn !== nameEn || known.nameZh !== nameZh)) {
      this.reject(row, 'category_name_en', `row ${known.describedOn} names the category ${code} "${known.nameEn}" / "${known.nameZh}"; every row must agree`);
      return false;
    }
    if (!known) {
      if (this.writing) await this.tx.categories.insert({ code, nameEn, nameZh });
      await this.audit({ action: 'category.created', entityType: 'category', entityId: code, details: { code, nameEn, nameZh, source: 'registry file' } });
      this.categoriesCreated += 1;
    } else if (known.nameEn !== nameEn || known.nameZh !== nameZh) {
      const diff = differences(known, { nameEn, nameZh });
      if (this.writing) await this.tx.categories.update(code, { nameEn, nameZh });
      await this.audit({ action: 'category.renamed', entityType: 'category', entityId: code, details: { ...diff, source: 'registry file' } });
      this.categoriesRenamed += 1;
    }
    this.categories.set(code, { nameEn, nameZh, retired: false, describedOn: known?.describedOn ?? row });
    return true;
  }

  /** The row's lab exists (or the row creates it as a lab of this province alone), is open, and the row agrees with the file. */
  private async lab(row: number, code: string, cells: Record<string, unknown>): Promise<boolean> {
    const known = this.labs.get(code) ?? null;
    const { code: _code, ...described } = cells;
    if (known?.retired) {
      this.reject(row, 'lab_code', `the lab ${code} (${known.name}) is retired; choose an open lab`);
      return false;
    }
    if (Object.keys(described).length === 0) {
      if (known) return true;
      this.reject(row, 'lab_code', `no lab of this registry has the code ${code}: give lab_name, lab_name_zh, lab_institution, lab_city and lab_level to create it`);
      return false;
    }
    if (known?.describedOn !== undefined && Object.entries(described).every(([field, value]) => known[field as keyof LabFields] === value)) return true;
    const current = known ? { name: known.name, nameZh: known.nameZh, institution: known.institution, city: known.city, level: known.level } : {};
    const parsed = this.labSchema.safeParse({ ...current, ...described });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) this.reject(row, columnOf(LAB_COLUMNS, String(issue.path[0])), issue.message);
      return false;
    }
    const fields: LabFields = { name: parsed.data.name, nameZh: parsed.data.nameZh, institution: parsed.data.institution, city: parsed.data.city, level: parsed.data.level };
    const diff = known ? differences(known, fields) : {};
    if (known?.describedOn !== undefined && Object.keys(diff).length > 0) {
      this.reject(row, columnOf(LAB_COLUMNS, Object.keys(diff)[0]), `row ${known.describedOn} describes the lab ${code} otherwise; every row must agree`);
      return false;
    }
    let id = known?.id;
    if (!known) {
      id = randomUUID();
      if (this.writing) {
        await this.tx.labs.insert(
          { id, code, ...fields, jointlyBuilt: false, partnerProvince: null, partnerInstitutions: [], description: null, retiredAt: null, retiredReason: null },
          [],
        );
      }
      await this.audit({ action: 'lab.created', entityType: 'lab', entityId: encodeGlobalId(this.province, 'lab', id), details: { code, ...fields, source: 'registry file' } });
      this.labsCreated += 1;
    } else if (Object.keys(diff).length > 0) {
      if (this.writing) await this.tx.labs.update(known.id, fields);
      await this.audit({ action: 'lab.updated', entityType: 'lab', entityId: encodeGlobalId(this.province, 'lab', known.id), details: { ...diff, source: 'registry file' } });
      this.labsUpdated += 1;
    }
    this.labs.set(code, { id: id!, ...fields, retired: false, describedOn: known?.describedOn ?? row });
    return true;
  }

  private async writeInstruments(rows: readonly ValidRow[]) {
    if (rows.length === 0) return;
    const existing = new Map((await this.tx.instruments.lockByAssetCodes(rows.map((row) => row.input.assetCode))).map((i) => [i.assetCode, i]));
    const inserts: Omit<InstrumentEntity, 'createdAt' | 'updatedAt'>[] = [];
    const records: AuditRecord[] = [];
    for (const row of rows) {
      const { assetCode, category, labId: _labId, ...fields } = row.input;
      const labId = row.labCode === null ? null : this.labs.get(row.labCode)!.id;
      const values = { ...fields, categoryCode: category, labId, status: row.status };
      const current = existing.get(assetCode);
      if (!current) {
        const id = randomUUID();
        inserts.push({ id, assetCode, ...values, retiredReason: null });
        records.push({ action: 'instrument.created', entityType: 'instrument', entityId: encodeGlobalId(this.province, 'instrument', id), details: { ...row.input, source: 'registry file' } });
        this.created += 1;
        continue;
      }
      if (current.status === 'RETIRED') {
        this.reject(row.row, ASSET_CODE_COLUMN, `the instrument ${assetCode} is retired and can no longer be changed`);
        continue;
      }
      const diff = differences(current, values);
      if (Object.keys(diff).length === 0) {
        this.unchanged += 1;
        continue;
      }
      if (this.writing) await this.tx.instruments.update(current.id, Object.fromEntries(Object.keys(diff).map((key) => [key, values[key as keyof typeof values]])));
      records.push({ action: 'instrument.updated', entityType: 'instrument', entityId: encodeGlobalId(this.province, 'instrument', current.id), details: { ...diff, source: 'registry file' } });
      this.updated += 1;
    }
    if (this.writing) {
      await this.tx.instruments.insertMany(inserts);
      await this.tx.audit.recordMany(this.actor, records);
    }
  }

  private async audit(record: AuditRecord) {
    if (this.writing) await this.tx.audit.record(this.actor, record);
  }
}

