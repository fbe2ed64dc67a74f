import { randomUUID } from 'node:crypto';
import { conflict, badUserInput, decodeOwnGlobalId, encodeGlobalId, notFound, parseInput, type ProvinceDefinition } from '../../../../shared/src';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import { differences, pickKeys, withArgument, type FieldChanges } from '../domain/registryChanges';
import { reasonSchema } from '../domain/registryInput';
import { INSTRUMENT_RULE_FIELDS, instrumentInputSchema, instrumentLimitsSchema, instrumentUpdateSchema, withFeeInYuan, type InstrumentUpdate } from './instrumentInput';
import { isUniqueViolation } from '../persistence/databaseErrors';
import type { AuditRepository } from '../audit/AuditRepository';
import type { OutboxRepository } from '../events/OutboxRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import type { CategoryRepository } from './CategoryRepository';
import type { InstrumentEntity } from './InstrumentEntity';
import type { InstrumentRepository } from './InstrumentRepository';

/**
 * The repositories an instrument change works with, in its transaction. Labs
 * and bookings are named by the little this needs of them, so this feature
 * does not import theirs (they import this one).
 */
export interface InstrumentTransaction {
  readonly instruments: InstrumentRepository;
  readonly categories: CategoryRepository;
  readonly audit: AuditRepository;
  readonly events: Pick<OutboxRepository, 'record'>;
  readonly labs: { lock(id: string, mode: 'share'): Promise<{ name: string; retiredAt: Date | null } | null> };
  readonly bookings: { openOfInstrument(instrumentId: string, now: Date): Promise<{ id: string }[]> };
  /** Offerings, named by what retiring needs: withdrawing an instrument's (their ids). */
  readonly offerings: { withdrawOf(provider: { instrumentId: string }): Promise<string[]> };
}

/** Instrument update fields whose column has another name. */
const INSTRUMENT_COLUMN: Partial<Record<keyof InstrumentUpdate, keyof InstrumentEntity>> = { category: 'categoryCode' };

/**
 * A province admin's management of the province's own instruments. Every
 * change and its audit record commit in one unit of work; the checks lock
 * what they rely on (the instrument, its lab), so no other transaction can
 * slip between a check and the write.
 */
export class InstrumentAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork<InstrumentTransaction>,
    private readonly province: ProvinceDefinition,
  ) {}

  async createInstrument(admin: ProvinceAdmin, raw: unknown): Promise<InstrumentEntity> {
    const input = parseInput(instrumentInputSchema, withFeeInYuan(raw, 'input', true), 'input');
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
      tx.events.record({ type: 'instrument.created', entityId: this.instrumentGlobalId(instrument.id), state: instrumentState(instrument) });
      return instrument;
    });
  }

  async updateInstrument(admin: ProvinceAdmin, id: string, raw: unknown): Promise<InstrumentEntity> {
    const instrumentId = decodeOwnGlobalId(id, 'instrument', this.province).localId;
    const update = parseInput(instrumentUpdateSchema, withFeeInYuan(raw, 'input', false), 'input');
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
      tx.events.record({ type: 'instrument.updated', entityId: this.instrumentGlobalId(instrumentId), state: instrumentState(instrument) });
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
      // A retired instrument offers nothing: its offerings go with it, in the same transaction, so none stays requestable.
      const withdrawn = await tx.offerings.withdrawOf({ instrumentId });
      await tx.audit.record(admin, {
        action: 'instrument.retired',
        entityType: 'instrument',
        entityId: this.instrumentGlobalId(instrumentId),
        details: {
          reason, status: { from: current.status, to: 'RETIRED' }, openForSharing: { from: current.openForSharing, to: false },
          offeringsWithdrawn: withdrawn.map((offeringId) => encodeGlobalId(this.province, 'offering', offeringId)),
        },
      });
      tx.events.record({ type: 'instrument.retired', entityId: this.instrumentGlobalId(instrumentId), state: instrumentState(instrument) });
      return instrument;
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

  private checkCategory(tx: InstrumentTransaction, code: string, argument: string): Promise<void> {
    return checkCategoryTakesInstruments(tx, code, argument);
  }

  /** The lab exists in this province and is open; locked (shared) so it cannot be retired before this transaction ends. */
  private async checkLabTakesInstruments(tx: InstrumentTransaction, labId: string, argument: string): Promise<void> {
    const lab = await tx.labs.lock(labId, 'share');
    const id = encodeGlobalId(this.province, 'lab', labId);
    if (!lab) throw badUserInput(`${argument}: no ${this.province.nameEn} lab has the id ${id}.`, { argument });
    if (lab.retiredAt) throw badUserInput(`${argument}: the lab ${id} (${lab.name}) is retired; choose an open lab.`, { argument });
  }

  private async checkLabStillOpen(tx: InstrumentTransaction, labId: string): Promise<void> {
    const lab = await tx.labs.lock(labId, 'share');
    if (lab?.retiredAt) {
      throw conflict(
        `The instrument's lab ${encodeGlobalId(this.province, 'lab', labId)} (${lab.name}) is retired; give the instrument an open lab (labId) to put it back in service.`,
        { argument: 'input.status' },
      );
    }
  }

  private async lockedInstrument(tx: InstrumentTransaction, id: string, localId: string): Promise<InstrumentEntity> {
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
  private asClientFields(diff: FieldChanges) {
    const { categoryCode, labId, ...rest } = diff;
    const global = (value: unknown) => (typeof value === 'string' ? encodeGlobalId(this.province, 'lab', value) : null);
    return {
      ...rest,
      ...(categoryCode ? { category: categoryCode } : {}),
      ...(labId ? { labId: { from: global(labId.from), to: global(labId.to) } } : {}),
    };
  }
}

/**
 * The category exists and is not retired; share-locked, so it cannot be retired before the instrument filed
 * under it commits. Instruments written one by one and from a registry file are checked by this one rule.
 */
export async function checkCategoryTakesInstruments(tx: Pick<InstrumentTransaction, 'categories'>, code: string, argument: string): Promise<void> {
  const category = await tx.categories.lock(code, 'share');
  if (!category) throw badUserInput(`${argument}: "${code}" is not a category of this registry; see "categories" for the codes.`, { argument });
  if (category.retiredAt) throw badUserInput(`${argument}: the category "${code}" is retired and takes no new instrument; choose another from "categories".`, { argument });
}

/** The fields among `value`'s whose rules involve each other (opening hours, booking lengths, dates, contact): they are checked together. */
function pickLimits(value: Partial<InstrumentEntity>) {
  return Object.fromEntries(INSTRUMENT_RULE_FIELDS.map((field) => [field, value[field]]).filter(([, v]) => v !== undefined));
}

/** An instrument's new state in its events: what the public catalogue shows of it that changes bookings. */
function instrumentState(instrument: Pick<InstrumentEntity, 'status' | 'openForSharing' | 'categoryCode'>) {
  return { status: instrument.status, openForSharing: instrument.openForSharing, category: instrument.categoryCode };
}
