import { QueryFailedError, type EntityManager } from 'typeorm';
import { BookingEntity, CategoryEntity, InstrumentEntity, LabEntity, LabPartnerInstrumentEntity } from '../entities';

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** Whether `error` is the unique violation of one constraint (e.g. two admins adding the same asset code at once). */
export function isUniqueViolation(error: unknown, constraintColumn: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; detail?: string };
  return driverError.code === UNIQUE_VIOLATION && (driverError.detail ?? '').includes(`(${constraintColumn})`);
}

/**
 * Reads and writes of registry data management, on the EntityManager of the
 * caller's transaction: the checks lock what they depend on, so a check and
 * the write that relies on it cannot be separated by another transaction.
 */
export class RegistryAdminRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The instrument, locked until the transaction ends (FOR UPDATE). */
  lockInstrument(id: string): Promise<InstrumentEntity | null> {
    return this.manager.getRepository(InstrumentEntity).createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  /**
   * The lab, locked: `update` to change or retire it, `share` while an
   * instrument is put in it (so it cannot be retired meanwhile).
   */
  lockLab(id: string, mode: 'update' | 'share'): Promise<LabEntity | null> {
    return this.manager
      .getRepository(LabEntity)
      .createQueryBuilder('l')
      .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
      .where('l.id = :id', { id })
      .getOne();
  }

  async categoryExists(code: string): Promise<boolean> {
    return this.manager.existsBy(CategoryEntity, { code });
  }

  async assetCodeTaken(assetCode: string): Promise<boolean> {
    return this.manager.existsBy(InstrumentEntity, { assetCode });
  }

  async insertInstrument(row: Omit<InstrumentEntity, 'createdAt' | 'updatedAt'>): Promise<InstrumentEntity> {
    await this.manager.insert(InstrumentEntity, row);
    return this.manager.findOneByOrFail(InstrumentEntity, { id: row.id });
  }

  async updateInstrument(id: string, changes: Partial<InstrumentEntity>): Promise<InstrumentEntity> {
    await this.manager.update(InstrumentEntity, { id }, changes);
    return this.manager.findOneByOrFail(InstrumentEntity, { id });
  }

  /** Requested or confirmed bookings of an instrument that end after `now`, soonest first. */
  async openBookings(instrumentId: string, now: Date): Promise<Pick<BookingEntity, 'id' | 'startsAt' | 'status'>[]> {
    return this.manager
      .getRepository(BookingEntity)
      .createQueryBuilder('b')
      .select(['b.id', 'b.startsAt', 'b.status'])
      .where('b.instrument_id = :instrumentId', { instrumentId })
      .andWhere("b.status IN ('REQUESTED', 'CONFIRMED')")
      .andWhere('b.ends_at > :now', { now })
      .orderBy('b.starts_at', 'ASC')
      .getMany();
  }

  /** Instruments in service that belong to a lab, by name. */
  async instrumentsInService(labId: string): Promise<Pick<InstrumentEntity, 'id' | 'name'>[]> {
    return this.manager.find(InstrumentEntity, {
      select: { id: true, name: true },
      where: { labId, status: 'IN_SERVICE' },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  async insertLab(row: Omit<LabEntity, 'createdAt' | 'updatedAt' | 'partnerInstruments'>, partnerInstrumentIds: readonly string[]): Promise<LabEntity> {
    await this.manager.insert(LabEntity, row);
    await this.replacePartnerInstruments(row.id, partnerInstrumentIds);
    return this.manager.findOneByOrFail(LabEntity, { id: row.id });
  }

  async updateLab(id: string, changes: Partial<Omit<LabEntity, 'partnerInstruments'>>): Promise<LabEntity> {
    if (Object.keys(changes).length > 0) await this.manager.update(LabEntity, { id }, changes);
    return this.manager.findOneByOrFail(LabEntity, { id });
  }

  async partnerInstrumentIds(labId: string): Promise<string[]> {
    const links = await this.manager.find(LabPartnerInstrumentEntity, { where: { labId }, order: { position: 'ASC' } });
    return links.map((link) => link.partnerInstrumentId);
  }

  /** The joint lab's partner instruments become exactly `ids`, in that order. */
  async replacePartnerInstruments(labId: string, ids: readonly string[]): Promise<void> {
    await this.manager.delete(LabPartnerInstrumentEntity, { labId });
    if (ids.length > 0) {
      await this.manager.insert(LabPartnerInstrumentEntity, ids.map((partnerInstrumentId, position) => ({ labId, partnerInstrumentId, position })));
    }
  }
}
