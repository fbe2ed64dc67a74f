import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { LabEntity } from './LabEntity';
import { LabPartnerInstrumentEntity } from './LabPartnerInstrumentEntity';
import { PreparedReads, entityReads, groupByKey, type EntityReads } from '../../../../shared/src';

/**
 * The columns every field of `<Province>Lab` is answered from (the resolvers in labResolvers.ts take a LabCard): all
 * but the timestamps and the reason a lab was closed, which no field shows. A test answers every field from these
 * and from the whole row, and compares.
 */
export const LAB_CARD_COLUMNS = [
  'id', 'code', 'name', 'nameZh', 'institution', 'city', 'level', 'jointlyBuilt', 'partnerProvince', 'partnerInstitutions', 'description', 'retiredAt',
] as const satisfies readonly (keyof LabEntity)[];

export type LabCard = Pick<LabEntity, (typeof LAB_CARD_COLUMNS)[number]>;

/** Every query on labs and the partner instruments joint labs share. */
export class LabRepository {
  private readonly labs: Repository<LabEntity>;
  private readonly partnerLinks: Repository<LabPartnerInstrumentEntity>;
  /** Labs by id and their partner instruments are read on every lab a query reaches: prepared statements. */
  private readonly reads: EntityReads<LabEntity>;
  private readonly prepared = new PreparedReads();

  constructor(private readonly manager: EntityManager) {
    this.labs = manager.getRepository(LabEntity);
    this.partnerLinks = manager.getRepository(LabPartnerInstrumentEntity);
    this.reads = entityReads(manager, LabEntity);
  }

  findByIds(ids: readonly string[]): Promise<(LabEntity | null)[]> {
    return this.reads.byIds(ids);
  }

  /** Labs by id as their GraphQL fields read them (LAB_CARD_COLUMNS): no timestamps to parse for a page's labs. */
  findCardsByIds(ids: readonly string[]): Promise<(LabCard | null)[]> {
    return this.reads.byIds(ids, LAB_CARD_COLUMNS);
  }

  /** Labs by their codes (the key registry files name them by), share-locked until the transaction ends. */
  lockByCodes(codes: readonly string[]): Promise<LabEntity[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return this.labs.createQueryBuilder('l').setLock('pessimistic_read').where('l.code IN (:...codes)', { codes: [...codes] }).getMany();
  }

  /** Open labs; retired ones leave the list but stay readable by id. */
  list(jointOnly: boolean): Promise<LabEntity[]> {
    const open = { retiredAt: IsNull() };
    return this.labs.find({ where: jointOnly ? { ...open, jointlyBuilt: true } : open, order: { name: 'ASC' } });
  }

  /** Global ids of the partner instruments of several labs, in one query. */
  async partnerInstrumentIds(labIds: readonly string[]): Promise<string[][]> {
    const read = this.prepared.of(
      'SELECT p.lab_id AS "labId", p.partner_instrument_id AS "partnerInstrumentId" FROM lab_partner_instruments p WHERE p.lab_id = ANY($1::uuid[]) ORDER BY p.position',
    );
    const rows = await read.rows<{ labId: string; partnerInstrumentId: string }>(this.manager, [labIds]);
    return groupByKey(labIds, rows, (row) => row.labId).map((links) => links.map((link) => link.partnerInstrumentId));
  }

  /**
   * The lab, locked until the transaction ends: `update` to change or retire
   * it, `share` while an instrument is put in it (so it cannot be retired meanwhile).
   */
  lock(id: string, mode: 'update' | 'share'): Promise<LabEntity | null> {
    return this.labs
      .createQueryBuilder('l')
      .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
      .where('l.id = :id', { id })
      .getOne();
  }

  async insert(row: Omit<LabEntity, 'createdAt' | 'updatedAt' | 'partnerInstruments'>, partnerInstrumentIds: readonly string[]): Promise<LabEntity> {
    await this.labs.insert(row);
    await this.replacePartnerInstruments(row.id, partnerInstrumentIds);
    return this.labs.findOneByOrFail({ id: row.id });
  }

  async update(id: string, changes: Partial<Omit<LabEntity, 'partnerInstruments'>>): Promise<LabEntity> {
    if (Object.keys(changes).length > 0) await this.labs.update({ id }, changes);
    return this.labs.findOneByOrFail({ id });
  }

  /** The joint lab's partner instruments become exactly `ids`, in that order. */
  async replacePartnerInstruments(labId: string, ids: readonly string[]): Promise<void> {
    await this.partnerLinks.delete({ labId });
    if (ids.length > 0) {
      await this.partnerLinks.insert(ids.map((partnerInstrumentId, position) => ({ labId, partnerInstrumentId, position })));
    }
  }
}
