import { In, type EntityManager, type Repository } from 'typeorm';
import { alignByKey, entityInsert, entityReads, groupByKey, type EntityInsert, type EntityReads, type ProvinceKey } from '../../../../shared/src';
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

/** How a balance change appears in the voucher's history. */
export type BalanceStep = Pick<VoucherEventEntity, 'kind' | 'amountFen' | 'holdId'>;

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

const HOLD_COLUMNS = [
  'id', 'voucherId', 'holdKey', 'servingProvince', 'chargeRef', 'amountFen', 'chargeAmountFen', 'status', 'releaseReason', 'expiresAt',
  'createdAt', 'capturedAt', 'releasedAt',
] as const;

/** A hold as a step names it: the voucher's local id, the serving side's key and province. */
export type HoldKey = Pick<VoucherHoldEntity, 'voucherId' | 'holdKey' | 'servingProvince'>;

/** What a hold's outcome sets: all four, so one statement serves a capture and a release alike (settleHeld). */
export type HoldOutcome = Pick<VoucherHoldEntity, 'status' | 'releaseReason' | 'capturedAt' | 'releasedAt'>;

/**
 * Every query on the vouchers this province issued, their holds and history (the issuer's side). The steps of a
 * payment (reserve, capture, release) read and write through prepared raw statements: each is one short transaction
 * on the voucher's row lock, and TypeORM's builders were most of their CPU.
 */
export class VoucherRepository {
  private readonly vouchers: Repository<VoucherEntity>;
  private readonly holds: Repository<VoucherHoldEntity>;
  private readonly events: Repository<VoucherEventEntity>;
  private readonly voucherReads: EntityReads<VoucherEntity>;
  private readonly holdReads: EntityReads<VoucherHoldEntity>;
  private readonly holdInserts: EntityInsert<VoucherHoldEntity>;

  constructor(private readonly manager: EntityManager) {
    this.vouchers = manager.getRepository(VoucherEntity);
    this.holds = manager.getRepository(VoucherHoldEntity);
    this.events = manager.getRepository(VoucherEventEntity);
    this.voucherReads = entityReads(manager, VoucherEntity);
    this.holdReads = entityReads(manager, VoucherHoldEntity);
    this.holdInserts = entityInsert(manager, VoucherHoldEntity, HOLD_COLUMNS);
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
    return this.voucherReads.first(`SELECT ${this.voucherReads.columns.select('v')} FROM vouchers v WHERE v.id = $1 FOR UPDATE`, [id]);
  }

  /**
   * Moves fen between a voucher's balance parts and records the step in its history (with the balance available
   * after it), in one statement. Conditional on the parts it takes from covering it, so even without the row lock a
   * balance never goes below zero: false when it would (nothing changed, nothing recorded).
   */
  async changeBalance(id: string, change: BalanceChange, step: BalanceStep): Promise<boolean> {
    const { available = 0, held = 0, captured = 0, expired = 0 } = change;
    const recorded = await this.manager.query<unknown[]>(
      `WITH changed AS (
         UPDATE vouchers SET available_fen = available_fen + $2, held_fen = held_fen + $3, captured_fen = captured_fen + $4, expired_fen = expired_fen + $5
          WHERE id = $1 AND available_fen + $2 >= 0 AND held_fen + $3 >= 0
         RETURNING id, available_fen)
       INSERT INTO voucher_events (voucher_id, kind, amount_fen, hold_id, at, available_after_fen)
       SELECT c.id, $6, $7, $8, now(), c.available_fen FROM changed c
       RETURNING id`,
      [id, available, held, captured, expired, step.kind, step.amountFen, step.holdId],
    );
    return recorded.length === 1;
  }

  /**
   * Settles a hold that is still HELD under this voucher and serving province (and, with `unexpiredAt`, expires
   * after it) with `outcome`: its amount leaves the voucher's held part for the captured part (a capture) or goes
   * back to the available part (a release), and the step enters the voucher's history, all in one statement. The
   * settled hold, or null when no such hold is held (nothing changed).
   *
   * It needs no transaction and no lock taken before it: it locks the voucher's row first, as every other step does,
   * and a hold another step settled meanwhile no longer matches `status = 'HELD'` when its row is updated (PostgreSQL
   * checks the newest version of a row it waited for). The balance's CHECKs end the whole statement, nothing
   * written, should a part ever go below zero.
   */
  settleHeld(ref: HoldKey, outcome: HoldOutcome, unexpiredAt: Date | null): Promise<VoucherHoldEntity | null> {
    const kind: VoucherEventKind = outcome.status === 'CAPTURED' ? 'CAPTURED' : outcome.releaseReason === 'EXPIRED' ? 'EXPIRED' : 'RELEASED';
    return this.holdReads.first(
      `WITH voucher AS (
         SELECT v.id FROM vouchers v WHERE v.id = $1 FOR UPDATE
       ), settled AS (
         UPDATE voucher_holds h SET status = $4, release_reason = $5, captured_at = $6, released_at = $7
           FROM voucher
          WHERE h.hold_key = $2 AND h.voucher_id = voucher.id AND h.serving_province = $3 AND h.status = 'HELD'
            AND ($8::timestamptz IS NULL OR h.expires_at > $8::timestamptz)
         RETURNING ${this.holdReads.columns.select('h')}
       ), changed AS (
         UPDATE vouchers v
            SET held_fen = v.held_fen - s."amountFen",
                captured_fen = v.captured_fen + CASE WHEN s.status = 'CAPTURED' THEN s."amountFen" ELSE 0 END,
                available_fen = v.available_fen + CASE WHEN s.status = 'CAPTURED' THEN 0 ELSE s."amountFen" END
           FROM settled s WHERE v.id = s."voucherId"
         RETURNING v.id, v.available_fen, s.id AS hold_id, s."amountFen" AS amount_fen
       ), recorded AS (
         INSERT INTO voucher_events (voucher_id, kind, amount_fen, hold_id, at, available_after_fen)
         SELECT c.id, $9, c.amount_fen, c.hold_id, now(), c.available_fen FROM changed c
       )
       SELECT * FROM settled`,
      [ref.voucherId, ref.holdKey, ref.servingProvince, outcome.status, outcome.releaseReason, outcome.capturedAt, outcome.releasedAt, unexpiredAt, kind],
    );
  }

  findHoldByKey(holdKey: string): Promise<VoucherHoldEntity | null> {
    return this.holdReads.first(`SELECT ${this.holdReads.columns.select('h')} FROM voucher_holds h WHERE h.hold_key = $1`, [holdKey]);
  }

  /**
   * What a reservation decides on, read in one statement under the voucher's lock: the hold already under its key (a
   * repeat), and the fen this voucher already pays (held or captured) towards the same charge of the serving province.
   */
  async reservationFacts(hold: Pick<VoucherHoldEntity, 'holdKey' | 'voucherId' | 'servingProvince' | 'chargeRef'>): Promise<{ existing: VoucherHoldEntity | null; coveredFen: number }> {
    // A hold's columns with a figure beside them: the row is shaped as a hold (all null when none), the figure left as it came.
    const [row] = await this.holdReads.rows(
      `SELECT ${this.holdReads.columns.select('h')},
              (SELECT coalesce(sum(c.amount_fen), 0) FROM voucher_holds c
                WHERE c.voucher_id = $2 AND c.serving_province = $3 AND c.charge_ref = $4 AND c.status IN ('HELD', 'CAPTURED')) AS "coveredFen"
         FROM (SELECT 1) AS one LEFT JOIN voucher_holds h ON h.hold_key = $1`,
      [hold.holdKey, hold.voucherId, hold.servingProvince, hold.chargeRef],
    );
    const { coveredFen, ...existing } = row as VoucherHoldEntity & { coveredFen: string };
    return { existing: existing.id === null ? null : existing, coveredFen: Number(coveredFen) };
  }

  /** Records a hold that holds nothing (amount 0), e.g. one released before it was reserved. */
  async insertHold(hold: VoucherHoldEntity): Promise<void> {
    await this.holdInserts.insert([hold]);
  }

  /**
   * Writes a new HELD hold and moves its amount from the voucher's available part to its held part, recording the
   * step, in one statement. Run under the voucher's lock, after the balance was found to cover it; the balance's
   * CHECKs end the statement, nothing written, should it not.
   */
  async insertHeld(hold: VoucherHoldEntity): Promise<void> {
    const insert = this.holdInserts.statement([hold]);
    const recorded = await this.manager.query<unknown[]>(
      `WITH hold AS (${insert.text} RETURNING id, voucher_id, amount_fen),
       changed AS (
         UPDATE vouchers v SET available_fen = v.available_fen - h.amount_fen, held_fen = v.held_fen + h.amount_fen
           FROM hold h WHERE v.id = h.voucher_id
         RETURNING v.id, v.available_fen, h.id AS hold_id, h.amount_fen)
       INSERT INTO voucher_events (voucher_id, kind, amount_fen, hold_id, at, available_after_fen)
       SELECT c.id, 'HELD', c.amount_fen, c.hold_id, now(), c.available_fen FROM changed c
       RETURNING id`,
      insert.values,
    );
    if (recorded.length !== 1) throw new Error(`voucher ${hold.voucherId}: hold ${hold.holdKey} not written with its balance change`);
  }

  /** A step of a voucher's history that moves no balance (its issue), with the balance available after it. */
  async recordEvent(event: Pick<VoucherEventEntity, 'voucherId' | 'kind' | 'amountFen' | 'holdId'>): Promise<void> {
    const written = await this.manager.query<unknown[]>(
      `INSERT INTO voucher_events (voucher_id, kind, amount_fen, hold_id, at, available_after_fen)
       SELECT v.id, $2, $3, $4, now(), v.available_fen FROM vouchers v WHERE v.id = $1
       RETURNING id`,
      [event.voucherId, event.kind, event.amountFen, event.holdId],
    );
    if (written.length !== 1) throw new Error(`voucher ${event.voucherId} not found for its ${event.kind} event`);
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
