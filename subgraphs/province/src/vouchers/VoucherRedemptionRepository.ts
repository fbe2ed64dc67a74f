import { In, type EntityManager, type Repository } from 'typeorm';
import { alignByKey, groupByKey, type ProvinceKey } from '../../../../shared/src';
import { VoucherRedemptionEntity, type RedemptionState } from './VoucherRedemptionEntity';
import { pageByCreation, type CreationPage } from '../persistence/pageByCreation';
import { VOUCHER_LIST_LIMIT, type CreationCursor } from './VoucherRepository';

/** Every query on the serving side's redemptions (the charges they pay are the charges feature's). */
export class VoucherRedemptionRepository {
  private readonly redemptions: Repository<VoucherRedemptionEntity>;

  constructor(manager: EntityManager) {
    this.redemptions = manager.getRepository(VoucherRedemptionEntity);
  }

  async findByIds(ids: readonly string[]): Promise<(VoucherRedemptionEntity | null)[]> {
    return alignByKey(ids, await this.redemptions.findBy({ id: In([...ids]) }), (row) => row.id);
  }

  /** The payments of several charges (local ids) in one query, oldest first. */
  async byChargeIds(chargeIds: readonly string[]): Promise<VoucherRedemptionEntity[][]> {
    const rows = await this.redemptions.find({ where: { chargeId: In([...chargeIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return groupByKey(chargeIds, rows, (row) => row.chargeId!);
  }

  findByKey(userId: string, idempotencyKey: string): Promise<VoucherRedemptionEntity | null> {
    return this.redemptions.findOneBy({ userId, idempotencyKey });
  }

  lockForUpdate(id: string): Promise<VoucherRedemptionEntity | null> {
    return this.redemptions.createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
  }

  /** Queues one person's redemptions under one idempotency key behind each other until the transaction ends. */
  async lockKey(userId: string, idempotencyKey: string): Promise<void> {
    await this.redemptions.query("SELECT pg_advisory_xact_lock(hashtextextended('voucher_redemptions:' || $1 || ':' || $2, 0))", [userId, idempotencyKey]);
  }

  async insert(redemption: VoucherRedemptionEntity): Promise<void> {
    await this.redemptions.insert(redemption);
  }

  /** Moves a redemption on only from the state it was read in: false when another worker moved it first. */
  async transition(
    id: string,
    from: readonly RedemptionState[],
    changes: Partial<Pick<VoucherRedemptionEntity, 'state' | 'holdId' | 'issuerCapturedAt' | 'failure'>>,
  ): Promise<boolean> {
    const result = await this.redemptions
      .createQueryBuilder()
      .update(VoucherRedemptionEntity)
      .set({ ...changes, updatedAt: () => 'now()' })
      .where('id = :id AND state IN (:...from)', { id, from })
      .execute();
    return (result.affected ?? 0) === 1;
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
