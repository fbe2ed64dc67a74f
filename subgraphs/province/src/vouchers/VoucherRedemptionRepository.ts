import { In, type EntityManager, type Repository } from 'typeorm';
import { entityInsert, entityReads, groupByKey, type EntityInsert, type EntityReads, type ProvinceKey } from '../../../../shared/src';
import { VoucherRedemptionEntity, type RedemptionState } from './VoucherRedemptionEntity';
import { pageByCreation, type CreationPage } from '../persistence/pageByCreation';
import { VOUCHER_LIST_LIMIT, type CreationCursor } from './VoucherRepository';

/** Every column: the service answers the row it wrote, times included. */
const REDEMPTION_COLUMNS = [
  'id', 'userId', 'idempotencyKey', 'chargeRef', 'chargeId', 'voucherId', 'issuer', 'amountFen', 'chargeAmountFen', 'state', 'holdId',
  'issuerCapturedAt', 'failure', 'createdAt', 'updatedAt',
] as const;

/** What a step may change of a redemption, and each one's column, in the order a statement sets them. */
const STEP_COLUMNS = { state: 'state', holdId: 'hold_id', issuerCapturedAt: 'issuer_captured_at', failure: 'failure' } as const;
export type RedemptionStep = Partial<Pick<VoucherRedemptionEntity, keyof typeof STEP_COLUMNS>>;

/**
 * Every query on the serving side's redemptions (the charges they pay are the charges feature's). A payment's steps
 * read and write through prepared raw statements, as the issuer's do.
 */
export class VoucherRedemptionRepository {
  private readonly redemptions: Repository<VoucherRedemptionEntity>;
  private readonly reads: EntityReads<VoucherRedemptionEntity>;
  private readonly inserts: EntityInsert<VoucherRedemptionEntity>;

  constructor(private readonly manager: EntityManager) {
    this.redemptions = manager.getRepository(VoucherRedemptionEntity);
    this.reads = entityReads(manager, VoucherRedemptionEntity);
    this.inserts = entityInsert(manager, VoucherRedemptionEntity, REDEMPTION_COLUMNS);
  }

  findByIds(ids: readonly string[]): Promise<(VoucherRedemptionEntity | null)[]> {
    return this.reads.byIds(ids);
  }

  /** The payments of several charges (local ids) in one query, oldest first. */
  async byChargeIds(chargeIds: readonly string[]): Promise<VoucherRedemptionEntity[][]> {
    const rows = await this.redemptions.find({ where: { chargeId: In([...chargeIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return groupByKey(chargeIds, rows, (row) => row.chargeId!);
  }

  findByKey(userId: string, idempotencyKey: string): Promise<VoucherRedemptionEntity | null> {
    return this.reads.first(
      `SELECT ${this.reads.columns.select('r')} FROM voucher_redemptions r WHERE r.user_id = $1 AND r.idempotency_key = $2`,
      [userId, idempotencyKey],
    );
  }

  /** Queues one person's redemptions under one idempotency key behind each other until the transaction ends. */
  async lockKey(userId: string, idempotencyKey: string): Promise<void> {
    await this.redemptions.query("SELECT pg_advisory_xact_lock(hashtextextended('voucher_redemptions:' || $1 || ':' || $2, 0))", [userId, idempotencyKey]);
  }

  async insert(redemption: VoucherRedemptionEntity): Promise<void> {
    await this.inserts.insert([redemption]);
  }

  /**
   * Moves a redemption on, in one statement, only if it is still in one of the states `from`: the row as moved, or
   * null when it is in none of them (another worker moved it first, or it is settled).
   */
  transition(id: string, from: readonly RedemptionState[], changes: RedemptionStep): Promise<VoucherRedemptionEntity | null> {
    const given = (Object.keys(STEP_COLUMNS) as (keyof typeof STEP_COLUMNS)[]).filter((property) => changes[property] !== undefined);
    const sets = given.map((property, index) => `${STEP_COLUMNS[property]} = $${index + 3}`);
    return this.reads.first(
      `UPDATE voucher_redemptions r SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE r.id = $1 AND r.state = ANY ($2) RETURNING ${this.reads.columns.select('r')}`,
      [id, from, ...given.map((property) => changes[property])],
    );
  }

  /** Redemptions left between steps and untouched since `before`: what a restarted process finishes or undoes. */
  async pendingSince(before: Date): Promise<VoucherRedemptionEntity[]> {
    return this.redemptions
      .createQueryBuilder('r')
      .where("r.state IN ('INTENDED', 'RESERVED') AND r.updated_at <= :before", { before })
      .orderBy('r.updated_at', 'ASC')
      .limit(VOUCHER_LIST_LIMIT)
      .getMany();
  }

  /** A page of redemptions in a state (all when null), newest first, for admins. */
  byState(state: RedemptionState | null, first: number, after: CreationCursor | null): Promise<CreationPage<VoucherRedemptionEntity>> {
    const filtered = () => {
      const query = this.redemptions.createQueryBuilder('r');
      if (state) query.where('r.state = :state', { state });
      return query;
    };
    return pageByCreation(filtered, 'r', 'DESC', first, after);
  }

  /** Redemptions here paid with vouchers of `issuer`, captured (by the issuer's clock) in [from, to). */
  capturedFromIssuer(issuer: ProvinceKey, from: Date, to: Date): Promise<VoucherRedemptionEntity[]> {
    return this.redemptions
      .createQueryBuilder('r')
      .where("r.state = 'CAPTURED' AND r.issuer = :issuer", { issuer })
      .andWhere('r.issuer_captured_at >= :from AND r.issuer_captured_at < :to', { from, to })
      .orderBy('r.issuer_captured_at', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .getMany();
  }
}
