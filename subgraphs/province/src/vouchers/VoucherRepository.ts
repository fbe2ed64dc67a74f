import { In, type EntityManager, type Repository } from 'typeorm';
import { alignByKey, groupByKey, type ProvinceKey } from '../../../../shared/src';
import { pageByCreation, type CreationPage } from '../persistence/pageByCreation';
import { VoucherEntity } from './VoucherEntity';
import { VoucherEventEntity, type VoucherEventKind } from './VoucherEventEntity';
import { VoucherHoldEntity, type VoucherHoldStatus } from './VoucherHoldEntity';

/** A change of a voucher's balance parts, in fen; the parts keep adding up to what was issued. */
export interface BalanceChange {
  readonly available?: number;
  readonly held?: number;
  readonly captured?: number;
  readonly expired?: number;
}

/** One captured hold as the issuer's settlement report lists it. */
export interface CapturedHold {
  readonly holdKey: string;
  readonly voucherId: string;
  readonly chargeRef: string;
  readonly servingProvince: ProvinceKey;
  readonly amountFen: number;
  readonly capturedAt: Date;
}

/** Most rows one sweep reads (lists are paged). */
export const VOUCHER_LIST_LIMIT = 200;

/** Where a page of vouchers, holds or redemptions continues: the last row's creation and id. */
export type CreationCursor = { createdAt: Date; id: string };

/** Every query on the vouchers this province issued, their holds and history (the issuer's side). */
export class VoucherRepository {
  private readonly vouchers: Repository<VoucherEntity>;
  private readonly holds: Repository<VoucherHoldEntity>;
  private readonly events: Repository<VoucherEventEntity>;

  constructor(manager: EntityManager) {
    this.vouchers = manager.getRepository(VoucherEntity);
    this.holds = manager.getRepository(VoucherHoldEntity);
    this.events = manager.getRepository(VoucherEventEntity);
  }

  async findByIds(ids: readonly string[]): Promise<(VoucherEntity | null)[]> {
    return alignByKey(ids, await this.vouchers.findBy({ id: In([...ids]) }), (row) => row.id);
  }

  /** Vouchers of several holders in one query, newest first. */
  async findByHolderIds(userIds: readonly string[]): Promise<VoucherEntity[][]> {
    const rows = await this.vouchers.find({ where: { holderUserId: In([...userIds]) }, order: { createdAt: 'DESC', id: 'ASC' } });
    return groupByKey(userIds, rows, (row) => row.holderUserId);
  }

  /** Histories of several vouchers in one query, oldest first. */
  async eventsOf(voucherIds: readonly string[]): Promise<VoucherEventEntity[][]> {
    const rows = await this.events.find({ where: { voucherId: In([...voucherIds]) }, order: { id: 'ASC' } });
    return groupByKey(voucherIds, rows, (row) => row.voucherId);
  }

  async holdsOf(voucherIds: readonly string[]): Promise<VoucherHoldEntity[][]> {
    const rows = await this.holds.find({ where: { voucherId: In([...voucherIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return groupByKey(voucherIds, rows, (row) => row.voucherId);
  }

  /** A page of the vouchers issued, newest first, for admins. */
  latest(first: number, after: CreationCursor | null): Promise<CreationPage<VoucherEntity>> {
    return pageByCreation(() => this.vouchers.createQueryBuilder('v'), 'v', 'DESC', first, after);
  }

  /** A page of holds by status, oldest first: `HELD` is what is pending. */
  holdsByStatus(status: VoucherHoldStatus | null, first: number, after: CreationCursor | null): Promise<CreationPage<VoucherHoldEntity>> {
    const filtered = () => {
      const query = this.holds.createQueryBuilder('h');
      if (status) query.where('h.status = :status', { status });
      return query;
    };
    return pageByCreation(filtered, 'h', 'ASC', first, after);
  }

  async insert(voucher: VoucherEntity): Promise<void> {
    await this.vouchers.insert(voucher);
  }

  /** One voucher, locked until the transaction ends: every change of its balance is decided in turn. */
  lockForUpdate(id: string): Promise<VoucherEntity | null> {
    return this.vouchers.createQueryBuilder('v').setLock('pessimistic_write').where('v.id = :id', { id }).getOne();
  }

  /**
   * Moves fen between a voucher's balance parts. Conditional on the parts it takes from covering it, so even
   * without the row lock a balance never goes below zero: false when it would (nothing changed).
   */
  async changeBalance(id: string, change: BalanceChange): Promise<boolean> {
    const { available = 0, held = 0, captured = 0, expired = 0 } = change;
    const result = await this.vouchers
      .createQueryBuilder()
      .update(VoucherEntity)
      .set({
        availableFen: () => `available_fen + ${available}`,
        heldFen: () => `held_fen + ${held}`,
        capturedFen: () => `captured_fen + ${captured}`,
        expiredFen: () => `expired_fen + ${expired}`,
      })
      .where('id = :id', { id })
      .andWhere('available_fen + :available >= 0 AND held_fen + :held >= 0', { available, held })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  findHoldByKey(holdKey: string): Promise<VoucherHoldEntity | null> {
    return this.holds.findOneBy({ holdKey });
  }

  async insertHold(hold: VoucherHoldEntity): Promise<void> {
    await this.holds.insert(hold);
  }

  async updateHold(id: string, changes: Partial<Pick<VoucherHoldEntity, 'status' | 'releaseReason' | 'capturedAt' | 'releasedAt'>>): Promise<void> {
    await this.holds.update({ id }, changes);
  }

  /** Fen this voucher already pays (held or captured) towards one charge of a serving province. */
  async coveredOfCharge(voucherId: string, servingProvince: ProvinceKey, chargeRef: string): Promise<number> {
    const row = await this.holds
      .createQueryBuilder('h')
      .select('COALESCE(SUM(h.amount_fen), 0)', 'covered')
      .where('h.voucher_id = :voucherId AND h.serving_province = :servingProvince AND h.charge_ref = :chargeRef', { voucherId, servingProvince, chargeRef })
      .andWhere("h.status IN ('HELD', 'CAPTURED')")
      .getRawOne<{ covered: string }>();
    return Number(row?.covered ?? 0);
  }

  async recordEvent(event: Pick<VoucherEventEntity, 'voucherId' | 'kind' | 'amountFen' | 'holdId'> & { at?: Date }): Promise<void> {
    const voucher = await this.vouchers.findOneByOrFail({ id: event.voucherId });
    await this.events.insert({ ...event, availableAfterFen: voucher.availableFen });
  }

  /** Keys of held holds past their expiry, oldest first (the sweeper releases them). */
  async expiredHoldKeys(now: Date): Promise<string[]> {
    const rows = await this.holds
      .createQueryBuilder('h')
      .select('h.hold_key', 'holdKey')
      .where("h.status = 'HELD' AND h.expires_at <= :now", { now })
      .orderBy('h.expires_at', 'ASC')
      .limit(VOUCHER_LIST_LIMIT)
      .getRawMany<{ holdKey: string }>();
    return rows.map((row) => row.holdKey);
  }

  /** Vouchers past their last moment with a balance still available (the sweeper expires it). */
  async lapsedWithBalance(now: Date): Promise<string[]> {
    const rows = await this.vouchers
      .createQueryBuilder('v')
      .select('v.id', 'id')
      .where('v.valid_until <= :now AND v.available_fen > 0', { now })
      .limit(VOUCHER_LIST_LIMIT)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** Holds captured in [from, to) for charges of another province than `own`, by capture time. */
  async capturedElsewhere(own: ProvinceKey, from: Date, to: Date): Promise<CapturedHold[]> {
    const rows = await this.holds
      .createQueryBuilder('h')
      .where("h.status = 'CAPTURED' AND h.serving_province <> :own", { own })
      .andWhere('h.captured_at >= :from AND h.captured_at < :to', { from, to })
      .orderBy('h.captured_at', 'ASC')
      .addOrderBy('h.hold_key', 'ASC')
      .getMany();
    return rows.map((row) => ({
      holdKey: row.holdKey, voucherId: row.voucherId, chargeRef: row.chargeRef, servingProvince: row.servingProvince,
      amountFen: row.amountFen, capturedAt: row.capturedAt!,
    }));
  }

  /** Figures for stats: vouchers issued in [from, to) and fen captured for the other province's charges. */
  async figures(own: ProvinceKey, from: Date, to: Date): Promise<{ issued: number; issuedFen: string; capturedFen: string; redeemedAcrossBorderFen: string }> {
    const issued = await this.vouchers
      .createQueryBuilder('v')
      .select('COUNT(*)', 'count')
      .addSelect('COALESCE(SUM(v.issued_fen), 0)', 'fen')
      .where('v.created_at >= :from AND v.created_at < :to', { from, to })
      .getRawOne<{ count: string; fen: string }>();
    const captured = await this.holds
      .createQueryBuilder('h')
      .select('COALESCE(SUM(h.amount_fen), 0)', 'fen')
      .addSelect('COALESCE(SUM(h.amount_fen) FILTER (WHERE h.serving_province <> :own), 0)', 'across')
      .where("h.status = 'CAPTURED'")
      .andWhere('h.captured_at >= :from AND h.captured_at < :to', { from, to, own })
      .getRawOne<{ fen: string; across: string }>();
    // Sums stay PostgreSQL's exact decimal text: a year of a province's vouchers passes 2^31 fen.
    return {
      issued: Number(issued?.count ?? 0), issuedFen: issued?.fen ?? '0',
      capturedFen: captured?.fen ?? '0', redeemedAcrossBorderFen: captured?.across ?? '0',
    };
  }
}

export type { VoucherEventKind };
