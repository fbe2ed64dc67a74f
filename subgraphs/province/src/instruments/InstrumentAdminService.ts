import { randomUUID } from 'node:crypto';
import {
  DomainError, badUserInput, conflict, decodeGlobalId, decodeOwnGlobalId, encodeGlobalId, notFound, parseInput, provinceByCode,
  type ProvinceDefinition,
} from '../../../../shared/src';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import {
  instrumentInputSchema, instrumentLimitsSchema, instrumentUpdateSchema, labInputSchema, labUpdateSchema, reasonSchema,
  type InstrumentUpdate, type LabUpdate,
} from '../domain/registryInput';
import type { InstrumentEntity } from './InstrumentEntity';
import type { LabEntity } from '../labs/LabEntity';
import { isUniqueViolation } from '../persistence/databaseErrors';
import { type LabRepository } from '../labs/LabRepository';
import { type ProvinceRepositories } from '../persistence/provinceRepositories';
import { type UnitOfWork } from '../persistence/UnitOfWork';
import type { CallerHeaders, PartnerInstrumentChecker } from '../labs/PartnerInstrumentChecker';

/** Instrument update fields whose column has another name. */
const INSTRUMENT_COLUMN: Partial<Record<keyof InstrumentUpdate, keyof InstrumentEntity>> = { category: 'categoryCode' };

/**
 * A province admin's management of the province's own instruments and labs.
 * Every change and its audit record commit in one transaction; checks that
 * need the partner (joint labs' partner instruments) run before it opens, so
 * nothing is written when the partner cannot answer.
 */
export class RegistryAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork<ProvinceRepositories>,
    private readonly province: ProvinceDefinition,
    private readonly partner: ProvinceDefinition,
    private readonly labs: LabRepository,
    private readonly partnerInstruments: PartnerInstrumentChecker,
  ) {}

  async createInstrument(admin: ProvinceAdmin, raw: unknown): Promise<InstrumentEntity> {
    const input = parseInput(instrumentInputSchema, raw, 'input');
    const labId = input.labId === null ? null : this.ownLabId(input.labId, 'input.labId');
    return this.unitOfWork.run(async (tx) => {
      await this.checkCategory(tx, input.category, 'input.category');
      if (labId) await this.checkLabTakesInstruments(tx, labId, 'input.labId');
      if (await tx.instruments.assetCodeTaken(input.assetCode)) throw this.assetCodeConflict(input.assetCode);
      const { assetCode, category, labId: _labGlobalId, ...fields } = input;
      const row = { id: randomUUID(), assetCode, categoryCode: category, labId, ...fields, status: 'IN_SERVICE' as const, retiredReason: null };
      let instrument: InstrumentEntity;
      try {
        instrument = await tx.instruments.insert(row);
      } catch (error) {
        // Another admin added the same asset code between the check and the insert.
        if (isUniqueViolation(error, 'asset_code')) throw this.assetCodeConflict(assetCode);
        throw error;
      }
      await tx.audit.record(admin, {
        action: 'instrument.created',
        entityType: 'instrument',
        entityId: this.instrumentGlobalId(instrument.id),
        details: { ...input, labId: input.labId === null ? null : encodeGlobalId(this.province, 'lab', labId!) },
      });
      return instrument;
    });
  }

  async updateInstrument(admin: ProvinceAdmin, id: string, raw: unknown): Promise<InstrumentEntity> {
    const instrumentId = decodeOwnGlobalId(id, 'instrument', this.province).localId;
    const update = parseInput(instrumentUpdateSchema, raw, 'input');
    const labId = update.labId == null ? update.labId : this.ownLabId(update.labId, 'input.labId');
    return this.unitOfWork.run(async (tx) => {
      const current = await this.lockedInstrument(tx, id, instrumentId);
      if (current.status === 'RETIRED') throw conflict(`The instrument ${id} is retired and can no longer be changed.`, { id });

      const changes: Partial<InstrumentEntity> = {};
      for (const [field, value] of Object.entries(update) as [keyof InstrumentUpdate, unknown][]) {
        if (value === undefined || field === 'labId') continue;
        (changes as Record<string, unknown>)[INSTRUMENT_COLUMN[field] ?? field] = value;
      }
      if (labId !== undefined) changes.labId = labId;
      const diff = differences(current, changes);
      if (Object.keys(diff).length === 0) return current;

      parseInput(instrumentLimitsSchema, { ...pickLimits(current), ...pickLimits(changes) }, 'input');
      if ('categoryCode' in diff) await this.checkCategory(tx, changes.categoryCode!, 'input.category');
      const labAfter = changes.labId !== undefined ? changes.labId : current.labId;
      const statusAfter = changes.status ?? current.status;
      // A retired lab keeps no instrument in service: moving one into it, or back into service inside it, is refused.
      if (labAfter && 'labId' in diff) await this.checkLabTakesInstruments(tx, labAfter, 'input.labId');
      else if (labAfter && 'status' in diff && statusAfter === 'IN_SERVICE') await this.checkLabStillOpen(tx, labAfter);

      const instrument = await tx.instruments.update(instrumentId, pickKeys(changes, Object.keys(diff)));
      await tx.audit.record(admin, {
        action: 'instrument.updated',
        entityType: 'instrument',
        entityId: this.instrumentGlobalId(instrumentId),
        details: this.asClientFields(diff),
      });
      return instrument;
    });
  }

  async retireInstrument(admin: ProvinceAdmin, id: string, rawReason: unknown, now = new Date()): Promise<InstrumentEntity> {
    const instrumentId = decodeOwnGlobalId(id, 'instrument', this.province).localId;
    const reason = parseInput(reasonSchema, rawReason, 'reason');
    return this.unitOfWork.run(async (tx) => {
      // Locked first: a booking being inserted holds a key-share lock on the instrument, so it commits before this check reads.
      const current = await this.lockedInstrument(tx, id, instrumentId);
      if (current.status === 'RETIRED') throw conflict(`The instrument ${id} is already retired.`, { id });
      const open = await tx.bookings.openOfInstrument(instrumentId, now);
      if (open.length > 0) {
        const bookingIds = open.map((booking) => encodeGlobalId(this.province, 'booking', booking.id));
        throw conflict(
          `The instrument ${id} still has ${open.length} requested or confirmed booking(s) that have not ended: ${bookingIds.join(', ')}. ` +
            'Reject, cancel or complete them first, then retire it.',
          { id, bookingIds },
        );
      }
      const instrument = await tx.instruments.update(instrumentId, { status: 'RETIRED', openForSharing: false, retiredReason: reason });
      await tx.audit.record(admin, {
        action: 'instrument.retired',
        entityType: 'instrument',
        entityId: this.instrumentGlobalId(instrumentId),
        details: { reason, status: { from: current.status, to: 'RETIRED' }, openForSharing: { from: current.openForSharing, to: false } },
      });
      return instrument;
    });
  }

  async createLab(admin: ProvinceAdmin, raw: unknown, caller: CallerHeaders): Promise<LabEntity> {
    const input = parseInput(labInputSchema(this.province, this.partner), raw, 'input');
    const partnerIds = this.partnerInstrumentIds(input.partnerInstrumentIds);
    await this.checkPartnerInstruments(partnerIds, caller);
    return this.unitOfWork.run(async (tx) => {
      const id = randomUUID();
      const { partnerInstrumentIds: _given, partnerProvince, ...fields } = input;
      const lab = await tx.labs.insert(
        {
          id,
          // The code column is the seeds' stable key; a lab made here takes one from its id, so it is unique by construction.
          code: `${this.province.idPrefix.toUpperCase()}-LAB-${id.replace(/-/g, '').toUpperCase()}`,
          ...fields,
          jointlyBuilt: partnerProvince !== null,
          partnerProvince: partnerProvince === null ? null : provinceByCode(partnerProvince).key,
          retiredAt: null,
          retiredReason: null,
        },
        partnerIds,
      );
      await tx.audit.record(admin, {
        action: 'lab.created',
        entityType: 'lab',
        entityId: encodeGlobalId(this.province, 'lab', id),
        details: { ...input, partnerInstrumentIds: partnerIds },
      });
      return lab;
    });
  }

  async updateLab(admin: ProvinceAdmin, id: string, raw: unknown, caller: CallerHeaders): Promise<LabEntity> {
    const labId = decodeOwnGlobalId(id, 'lab', this.province).localId;
    const update = parseInput(labUpdateSchema, raw, 'input');
    const partnerIds = update.partnerInstrumentIds && this.partnerInstrumentIds(update.partnerInstrumentIds);
    const [existing] = await this.labs.findByIds([labId]);
    if (!existing) throw notFound(`No ${this.province.nameEn} lab has the id ${id}.`, { id });

    if (partnerIds) {
      // Only ids the lab does not list yet are asked about: keeping a checked link needs no answer from the partner.
      const [linked = []] = await this.labs.partnerInstrumentIds([labId]);
      const known = new Set(linked);
      await this.checkPartnerInstruments(partnerIds.filter((partnerId) => !known.has(partnerId)), caller);
    }
    return this.unitOfWork.run(async (tx) => {
      const current = await tx.labs.lock(labId, 'update');
      if (!current) throw notFound(`No ${this.province.nameEn} lab has the id ${id}.`, { id });
      if (current.retiredAt) throw conflict(`The lab ${id} is retired and can no longer be changed.`, { id });
      const joint = [update.partnerInstitutions, partnerIds].some((list) => list !== undefined && list.length > 0);
      if (joint && !current.jointlyBuilt) {
        throw badUserInput(`The lab ${id} is not a joint lab: partner institutions and instruments belong to labs built with ${this.partner.nameEn}.`, {
          argument: 'input',
        });
      }

      const { partnerInstrumentIds: _given, ...fieldUpdate } = update;
      const changes = Object.fromEntries(Object.entries(fieldUpdate).filter(([, value]) => value !== undefined)) as Partial<LabEntity>;
      const diff: Record<string, { from: unknown; to: unknown }> = differences(current, changes);
      if (partnerIds) {
        const [before = []] = await tx.labs.partnerInstrumentIds([labId]);
        if (!sameValue(before, partnerIds)) {
          await tx.labs.replacePartnerInstruments(labId, partnerIds);
          diff['partnerInstrumentIds'] = { from: before, to: partnerIds };
        }
      }
      if (Object.keys(diff).length === 0) return current;

      const lab = await tx.labs.update(labId, pickKeys(changes, Object.keys(diff)));
      await tx.audit.record(admin, { action: 'lab.updated', entityType: 'lab', entityId: encodeGlobalId(this.province, 'lab', labId), details: diff });
      return lab;
    });
  }

  async retireLab(admin: ProvinceAdmin, id: string, rawReason: unknown, now = new Date()): Promise<LabEntity> {
    const labId = decodeOwnGlobalId(id, 'lab', this.province).localId;
    const reason = parseInput(reasonSchema, rawReason, 'reason');
    return this.unitOfWork.run(async (tx) => {
      // Locked for update: an instrument being put in the lab holds a share lock, so it is seen by the check below.
      const current = await tx.labs.lock(labId, 'update');
      if (!current) throw notFound(`No ${this.province.nameEn} lab has the id ${id}.`, { id });
      if (current.retiredAt) throw conflict(`The lab ${id} is already retired.`, { id });
      const inService = await tx.instruments.inServiceOfLab(labId);
      if (inService.length > 0) {
        const instrumentIds = inService.map((instrument) => this.instrumentGlobalId(instrument.id));
        throw conflict(
          `The lab ${id} still has ${inService.length} instrument(s) in service: ${inService.map((i) => i.name).join(', ')}. ` +
            'Move them to another lab, put them in maintenance or retire them first.',
          { id, instrumentIds },
        );
      }
      const lab = await tx.labs.update(labId, { retiredAt: now, retiredReason: reason });
      await tx.audit.record(admin, {
        action: 'lab.retired',
        entityType: 'lab',
        entityId: encodeGlobalId(this.province, 'lab', labId),
        details: { reason, retiredAt: now.toISOString() },
      });
      return lab;
    });
  }

  private instrumentGlobalId(localId: string): string {
    return encodeGlobalId(this.province, 'instrument', localId);
  }

  private ownLabId(id: string, argument: string): string {
    try {
      return decodeOwnGlobalId(id, 'lab', this.province).localId;
    } catch (error) {
      throw withArgument(error, argument);
    }
  }

  /** The partner instruments' global ids, canonical and distinct. */
  private partnerInstrumentIds(ids: readonly string[]): string[] {
    const canonical = ids.map((id) => this.partnerInstrumentId(id));
    if (new Set(canonical).size !== canonical.length) {
      throw badUserInput('input.partnerInstrumentIds: must not list an instrument twice.', { argument: 'input.partnerInstrumentIds' });
    }
    return canonical;
  }

  /** A partner instrument's global id, canonical (lower-case UUID), or BAD_USER_INPUT saying which province's ids belong here. */
  private partnerInstrumentId(id: string): string {
    let decoded;
    try {
      decoded = decodeGlobalId(id, 'instrument');
    } catch (error) {
      throw withArgument(error, 'input.partnerInstrumentIds');
    }
    if (decoded.province.key !== this.partner.key) {
      throw badUserInput(
        `input.partnerInstrumentIds: "${id}" is a ${decoded.province.nameEn} instrument; a joint lab lists ${this.partner.nameEn}'s instruments ` +
          `(ids starting "${this.partner.idPrefix}:instrument:") and puts its own in the lab with the instrument's labId.`,
        { argument: 'input.partnerInstrumentIds', id },
      );
    }
    return encodeGlobalId(this.partner, 'instrument', decoded.localId);
  }

  private async checkPartnerInstruments(ids: readonly string[], caller: CallerHeaders): Promise<void> {
    const unknown = await this.partnerInstruments.findUnknown(ids, caller);
    if (unknown.length > 0) {
      throw badUserInput(
        `input.partnerInstrumentIds: ${this.partner.nameEn} has no instrument with the id(s) ${unknown.join(', ')}; ` +
          `check them with instrument(id:) or ${this.partner.key} { instruments }. Nothing was saved.`,
        { argument: 'input.partnerInstrumentIds', unknownIds: unknown },
      );
    }
  }

  private async checkCategory(tx: ProvinceRepositories, code: string, argument: string): Promise<void> {
    if (!(await tx.categories.exists(code))) {
      throw badUserInput(`${argument}: "${code}" is not a category of this registry; see "categories" for the codes.`, { argument });
    }
  }

  /** The lab exists in this province and is open; locked (shared) so it cannot be retired before this transaction ends. */
  private async checkLabTakesInstruments(tx: ProvinceRepositories, labId: string, argument: string): Promise<void> {
    const lab = await tx.labs.lock(labId, 'share');
    const id = encodeGlobalId(this.province, 'lab', labId);
    if (!lab) throw badUserInput(`${argument}: no ${this.province.nameEn} lab has the id ${id}.`, { argument });
    if (lab.retiredAt) throw badUserInput(`${argument}: the lab ${id} (${lab.name}) is retired; choose an open lab.`, { argument });
  }

  private async checkLabStillOpen(tx: ProvinceRepositories, labId: string): Promise<void> {
    const lab = await tx.labs.lock(labId, 'share');
    if (lab?.retiredAt) {
      throw conflict(
        `The instrument's lab ${encodeGlobalId(this.province, 'lab', labId)} (${lab.name}) is retired; give the instrument an open lab (labId) to put it back in service.`,
        { argument: 'input.status' },
      );
    }
  }

  private async lockedInstrument(tx: ProvinceRepositories, id: string, localId: string): Promise<InstrumentEntity> {
    const instrument = await tx.instruments.lockForUpdate(localId);
    if (!instrument) throw notFound(`No ${this.province.nameEn} instrument has the id ${id}.`, { id });
    return instrument;
  }

  private assetCodeConflict(assetCode: string) {
    return conflict(`An instrument with the asset code ${assetCode} is already in this registry; asset codes are unique.`, {
      argument: 'input.assetCode',
    });
  }

  /** Audit details name fields and labs as clients know them: `category`, lab global ids. */
  private asClientFields(diff: Record<string, { from: unknown; to: unknown }>) {
    const { categoryCode, labId, ...rest } = diff;
    const global = (value: unknown) => (typeof value === 'string' ? encodeGlobalId(this.province, 'lab', value) : null);
    return {
      ...rest,
      ...(categoryCode ? { category: categoryCode } : {}),
      ...(labId ? { labId: { from: global(labId.from), to: global(labId.to) } } : {}),
    };
  }
}

/** The fields of `changes` whose value differs from `current`, with both values. */
function differences<T extends object>(current: T, changes: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(changes)) {
    const from = (current as Record<string, unknown>)[key];
    if (!sameValue(from, to)) diff[key] = { from, to };
  }
  return diff;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pickKeys<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => keys.includes(key))) as Partial<T>;
}

function pickLimits(value: Partial<InstrumentEntity>) {
  const { openFromHour, openToHour, minBookingMinutes, maxBookingMinutes } = value;
  return Object.fromEntries(
    Object.entries({ openFromHour, openToHour, minBookingMinutes, maxBookingMinutes }).filter(([, v]) => v !== undefined),
  );
}

/** Names the argument in an id error raised by the shared decoders, keeping their explanation. */
function withArgument(error: unknown, argument: string): unknown {
  if (error instanceof DomainError && error.code === 'BAD_USER_INPUT') {
    return badUserInput(`${argument}: ${error.message}`, { ...error.details, argument });
  }
  return error;
}
