import { randomUUID } from 'node:crypto';
import {
  badUserInput, conflict, encodeGlobalId, notFound, parseInput, type ProvinceDefinition,
} from '../../../../shared/src';
import type { AuditRepository } from '../audit/AuditRepository';
import type { ProvinceAdmin } from '../domain/provinceAdmin';
import { decodeOwnArgument, differences } from '../domain/registryChanges';
import type { InstrumentRepository } from '../instruments/InstrumentRepository';
import type { UnitOfWork } from '../persistence/UnitOfWork';
import type { OfferingEntity } from './OfferingEntity';
import { offeringInputSchema, offeringProblems, offeringUpdateSchema, priceListSchema } from './offeringInput';
import type { OfferingRepository } from './OfferingRepository';
import type { PriceEntry } from './pricing';

/** The repositories an offering change works with, in its transaction; labs are named by the little this needs. */
export interface OfferingTransaction {
  readonly offerings: OfferingRepository;
  readonly instruments: Pick<InstrumentRepository, 'lockForShare'>;
  readonly labs: { lock(id: string, mode: 'share'): Promise<{ name: string; retiredAt: Date | null } | null> };
  readonly audit: AuditRepository;
}

/**
 * A province admin's management of the province's offerings and their price lists. Each change and its audit
 * record commit in one unit of work, and the rules between fields are checked on the row as it will be.
 */
export class OfferingAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork<OfferingTransaction>,
    private readonly province: ProvinceDefinition,
  ) {}

  async create(admin: ProvinceAdmin, raw: unknown): Promise<OfferingEntity> {
    const input = parseInput(offeringInputSchema, raw, 'input');
    if ((input.instrumentId === null) === (input.labId === null)) {
      throw badUserInput('input: give exactly one of instrumentId (an offering with an instrument) or labId (a lab service centre).', { argument: 'input.instrumentId' });
    }
    const instrumentId = input.instrumentId === null ? null : this.ownId(input.instrumentId, 'instrument', 'input.instrumentId');
    const labId = input.labId === null ? null : this.ownId(input.labId, 'lab', 'input.labId');
    checkProblems(offeringProblems(input.kind, instrumentId ? 'instrument' : 'lab', input.sampleForm, input.prices), 'input');
    return this.unitOfWork.run(async (tx) => {
      if (instrumentId) {
        const instrument = await tx.instruments.lockForShare(instrumentId);
        if (!instrument) throw notFound(`No ${this.province.nameEn} instrument has the id ${input.instrumentId}.`, { argument: 'input.instrumentId' });
        if (instrument.status === 'RETIRED') throw conflict(`The instrument ${input.instrumentId} is retired: it offers nothing any more.`, { argument: 'input.instrumentId', reason: 'INSTRUMENT_RETIRED' });
      }
      if (labId) {
        const lab = await tx.labs.lock(labId, 'share');
        if (!lab) throw notFound(`No ${this.province.nameEn} lab has the id ${input.labId}.`, { argument: 'input.labId' });
        if (lab.retiredAt) throw conflict(`The lab ${lab.name} is closed: it offers nothing any more.`, { argument: 'input.labId', reason: 'LAB_RETIRED' });
      }
      const { prices, instrumentId: _i, labId: _l, ...fields } = input;
      const offering = await tx.offerings.insert({ id: randomUUID(), instrumentId, labId, ...fields, active: true });
      await tx.offerings.replacePrices(offering.id, prices);
      await tx.audit.record(admin, {
        action: 'offering.created', entityType: 'offering', entityId: this.globalId(offering.id), details: { ...input },
      });
      return offering;
    });
  }

  async update(admin: ProvinceAdmin, id: string, raw: unknown): Promise<OfferingEntity> {
    const localId = this.ownId(id, 'offering', 'id');
    const update = parseInput(offeringUpdateSchema, raw, 'input');
    return this.unitOfWork.run(async (tx) => {
      // Offered again: its provider must still be in service (locked first, in the order retiring takes them).
      if (update.active === true) await this.checkProviderOffers(tx, id, localId);
      const current = await this.locked(tx, id, localId);
      const changes = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined)) as Partial<OfferingEntity>;
      const merged = { ...current, ...changes };
      const [prices] = await tx.offerings.pricesOf([localId]);
      checkProblems(offeringProblems(merged.kind, merged.instrumentId ? 'instrument' : 'lab', merged.sampleForm, prices!), 'input');
      const diff = differences(current, changes);
      if (Object.keys(diff).length === 0) return current;
      const saved = await tx.offerings.update(localId, changes);
      await tx.audit.record(admin, { action: 'offering.updated', entityType: 'offering', entityId: id, details: diff });
      return saved;
    });
  }

  /** Replaces an offering's price list. Bookings and requests made earlier keep the prices they recorded. */
  async setPrices(admin: ProvinceAdmin, id: string, raw: unknown): Promise<OfferingEntity> {
    const localId = this.ownId(id, 'offering', 'id');
    const prices: PriceEntry[] = parseInput(priceListSchema, raw, 'prices');
    return this.unitOfWork.run(async (tx) => {
      const current = await this.locked(tx, id, localId);
      checkProblems(offeringProblems(current.kind, current.instrumentId ? 'instrument' : 'lab', current.sampleForm, prices), 'prices', true);
      const [before] = await tx.offerings.pricesOf([localId]);
      await tx.offerings.replacePrices(localId, prices);
      await tx.audit.record(admin, {
        action: 'offering.prices_set', entityType: 'offering', entityId: id,
        details: { from: before!.map(({ offeringId: _o, ...price }) => price), to: prices },
      });
      return current;
    });
  }

  private async checkProviderOffers(tx: OfferingTransaction, id: string, localId: string): Promise<void> {
    const [offering] = await tx.offerings.findByIds([localId]);
    if (!offering) throw notFound(`No ${this.province.nameEn} offering has the id ${id}.`, { argument: 'id' });
    const instrument = offering.instrumentId ? await tx.instruments.lockForShare(offering.instrumentId) : null;
    if (instrument?.status === 'RETIRED') {
      throw conflict(`The instrument ${instrument.name} is retired: its offerings cannot be offered again.`, { argument: 'input.active', reason: 'INSTRUMENT_RETIRED' });
    }
    const lab = offering.labId ? await tx.labs.lock(offering.labId, 'share') : null;
    if (lab?.retiredAt) throw conflict(`The lab ${lab.name} is closed: its offerings cannot be offered again.`, { argument: 'input.active', reason: 'LAB_RETIRED' });
  }

  private async locked(tx: OfferingTransaction, id: string, localId: string): Promise<OfferingEntity> {
    const offering = await tx.offerings.lockForUpdate(localId);
    if (!offering) throw notFound(`No ${this.province.nameEn} offering has the id ${id}.`, { argument: 'id' });
    return offering;
  }

  private ownId(id: string, kind: 'instrument' | 'lab' | 'offering', argument: string): string {
    return decodeOwnArgument(id, kind, this.province, argument);
  }

  private globalId(localId: string): string {
    return encodeGlobalId(this.province, 'offering', localId);
  }
}

/** One BAD_USER_INPUT naming every problem, in the shape parseInput gives (`extensions.fields`). */
function checkProblems(problems: { path: string; message: string }[], argument: string, pathIsArgument = false): void {
  if (problems.length === 0) return;
  const fields = problems.map((problem) => ({
    path: pathIsArgument && problem.path.startsWith('prices') ? problem.path : `${argument}.${problem.path}`,
    message: problem.message,
  }));
  throw badUserInput(fields.map((field) => `${field.path}: ${field.message}`).join('; '), { fields });
}
