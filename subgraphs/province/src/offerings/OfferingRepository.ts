import { In, type EntityManager, type Repository } from 'typeorm';
import { alignByKey, entityReads, entityRows, groupByKey, type EntityReads, type EntityRows } from '../../../../shared/src';
import { OfferingEntity } from './OfferingEntity';
import { OfferingPriceEntity } from './OfferingPriceEntity';
import type { OfferingKind } from './pricing';

export interface OfferingFilter {
  readonly kind?: OfferingKind;
  readonly instrumentId?: string;
  readonly labId?: string;
  readonly includeInactive?: boolean;
}

/** Every query on offerings and their price lists. */
export class OfferingRepository {
  private readonly offerings: Repository<OfferingEntity>;
  private readonly prices: Repository<OfferingPriceEntity>;
  /** What every booking request and submission reads (an offering and its price list) as prepared statements. */
  private readonly offeringReads: EntityReads<OfferingEntity>;
  private readonly priceReads: EntityRows<OfferingPriceEntity>;

  constructor(private readonly manager: EntityManager) {
    this.offerings = manager.getRepository(OfferingEntity);
    this.prices = manager.getRepository(OfferingPriceEntity);
    this.offeringReads = entityReads(manager, OfferingEntity);
    this.priceReads = entityRows(manager, OfferingPriceEntity);
  }

  async findByIds(ids: readonly string[]): Promise<(OfferingEntity | null)[]> {
    return alignByKey(ids, await this.offerings.findBy({ id: In([...ids]) }), (row) => row.id);
  }

  /** Active offerings of several instruments in one query, by kind then name. */
  async activeOfInstruments(instrumentIds: readonly string[]): Promise<OfferingEntity[][]> {
    const rows = await this.offerings.find({ where: { instrumentId: In([...instrumentIds]), active: true }, order: { kind: 'ASC', name: 'ASC' } });
    return groupByKey(instrumentIds, rows, (row) => row.instrumentId!);
  }

  list(filter: OfferingFilter): Promise<OfferingEntity[]> {
    const query = this.offerings.createQueryBuilder('o').orderBy('o.kind', 'ASC').addOrderBy('o.name', 'ASC').addOrderBy('o.id', 'ASC');
    if (!filter.includeInactive) query.andWhere('o.active');
    if (filter.kind) query.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter.instrumentId) query.andWhere('o.instrument_id = :instrumentId', { instrumentId: filter.instrumentId });
    if (filter.labId) query.andWhere('o.lab_id = :labId', { labId: filter.labId });
    return query.getMany();
  }

  /** Price lists of several offerings in one query. */
  async pricesOf(offeringIds: readonly string[]): Promise<OfferingPriceEntity[][]> {
    const rows = await this.priceReads.rows(
      `SELECT ${this.priceReads.columns.select('p')} FROM offering_prices p WHERE p.offering_id = ANY ($1::uuid[]) ORDER BY p.customer_category, p.from_hour`,
      [offeringIds],
    );
    return groupByKey(offeringIds, rows, (row) => row.offeringId);
  }

  /** The active self-operated offering of an instrument, with its prices: what a booking of it costs. */
  async selfOperatedOf(instrumentId: string): Promise<{ offering: OfferingEntity; prices: OfferingPriceEntity[] } | null> {
    const [offering] = await this.offeringReads.rows(
      `SELECT ${this.offeringReads.columns.select('o')} FROM offerings o
        WHERE o.instrument_id = $1 AND o.kind = 'SELF_OPERATED' AND o.active ORDER BY o.created_at LIMIT 1`,
      [instrumentId],
    );
    if (!offering) return null;
    const prices = await this.priceReads.rows(`SELECT ${this.priceReads.columns.select('p')} FROM offering_prices p WHERE p.offering_id = $1`, [offering.id]);
    return { offering, prices };
  }

  /** One offering, locked until the transaction ends, for a change. */
  lockForUpdate(id: string): Promise<OfferingEntity | null> {
    return this.offerings.createQueryBuilder('o').setLock('pessimistic_write').where('o.id = :id', { id }).getOne();
  }

  /** One offering, held against changes until the transaction ends, for a request that relies on it. */
  lockForShare(id: string): Promise<OfferingEntity | null> {
    return this.offeringReads.first(`SELECT ${this.offeringReads.columns.select('o')} FROM offerings o WHERE o.id = $1 FOR SHARE`, [id]);
  }

  /**
   * Withdraws every active offering of an instrument or a lab (what retiring it does, in its transaction): the ids
   * withdrawn. Requests and bookings already made keep their offering and price.
   */
  async withdrawOf(provider: { instrumentId: string } | { labId: string }): Promise<string[]> {
    const where = 'instrumentId' in provider ? 'instrument_id = :id' : 'lab_id = :id';
    const id = 'instrumentId' in provider ? provider.instrumentId : provider.labId;
    const result = await this.offerings.createQueryBuilder().update().set({ active: false })
      .where(`${where} AND active`, { id }).returning(['id']).execute();
    return (result.raw as { id: string }[]).map((row) => row.id).sort();
  }

  async insert(offering: Omit<OfferingEntity, 'createdAt' | 'updatedAt'>): Promise<OfferingEntity> {
    await this.offerings.insert(offering);
    return (await this.offerings.findOneBy({ id: offering.id }))!;
  }

  async update(id: string, changes: Partial<OfferingEntity>): Promise<OfferingEntity> {
    await this.offerings.update({ id }, changes);
    return (await this.offerings.findOneBy({ id }))!;
  }

  /** Replaces an offering's whole price list. */
  async replacePrices(offeringId: string, prices: readonly Omit<OfferingPriceEntity, 'offeringId'>[]): Promise<void> {
    await this.prices.delete({ offeringId });
    if (prices.length > 0) await this.prices.insert(prices.map((price) => ({ ...price, offeringId })));
  }
}
