import { randomUUID } from 'node:crypto';
import { In, type EntityManager, type Repository } from 'typeorm';
import { alignByKey, entityReads, entityRows, groupByKey, type EntityReads, type EntityRows } from '../../../../shared/src';
import { ChargeEntity } from './ChargeEntity';
import { ChargeLineEntity } from './ChargeLineEntity';
import type { ChargeDraft, ChargeLineDraft } from './chargeRules';

export interface ChargePeriod {
  readonly from: Date;
  readonly to: Date;
  readonly payerId?: string;
}

/**
 * Every query on charges and their lines. Lines are inserted, never updated (the database refuses it too). What each
 * step of a voucher payment does to its charge (lock it, read its lines, move its voucher parts) goes as prepared raw
 * statements.
 */
export class ChargeRepository {
  private readonly charges: Repository<ChargeEntity>;
  private readonly lines: Repository<ChargeLineEntity>;
  private readonly chargeReads: EntityReads<ChargeEntity>;
  private readonly lineReads: EntityRows<ChargeLineEntity>;

  constructor(manager: EntityManager) {
    this.charges = manager.getRepository(ChargeEntity);
    this.lines = manager.getRepository(ChargeLineEntity);
    this.chargeReads = entityReads(manager, ChargeEntity);
    this.lineReads = entityRows(manager, ChargeLineEntity);
  }

  /** Writes a charge and its lines; the caller's transaction makes them one with the step that owes them. */
  async insertDraft(draft: ChargeDraft, actorId: string): Promise<string> {
    const id = randomUUID();
    const { lines, ...charge } = draft;
    await this.charges.insert({ id, ...charge, voucherPendingFen: 0, voucherCapturedFen: 0 });
    for (const line of lines) await this.addLine(id, line, actorId);
    return id;
  }

  async addLine(chargeId: string, line: ChargeLineDraft, actorId: string): Promise<void> {
    await this.lines.insert({ chargeId, ...line, actorId });
  }

  findByIds(ids: readonly string[]): Promise<(ChargeEntity | null)[]> {
    return this.chargeReads.byIds(ids);
  }

  async findByBookingIds(ids: readonly string[]): Promise<(ChargeEntity | null)[]> {
    return alignByKey(ids, await this.charges.findBy({ bookingId: In([...ids]) }), (row) => row.bookingId!);
  }

  async findByServiceRequestIds(ids: readonly string[]): Promise<(ChargeEntity | null)[]> {
    return alignByKey(ids, await this.charges.findBy({ serviceRequestId: In([...ids]) }), (row) => row.serviceRequestId!);
  }

  /** Lines of several charges in one query, in the order they were written. */
  async linesOf(chargeIds: readonly string[]): Promise<ChargeLineEntity[][]> {
    const rows = await this.lineReads.rows(
      `SELECT ${this.lineReads.columns.select('l')} FROM charge_lines l WHERE l.charge_id = ANY ($1::uuid[]) ORDER BY l.id`,
      [chargeIds],
    );
    return groupByKey(chargeIds, rows, (row) => row.chargeId);
  }

  /**
   * The lines of one charge, oldest first. Its own statement, not `linesOf([id])`: PostgreSQL plans `= ANY` of an
   * array parameter anew on every call (its generic plan is costed for an array of unknown length), `= $1` once.
   */
  linesOfCharge(chargeId: string): Promise<ChargeLineEntity[]> {
    return this.lineReads.rows(`SELECT ${this.lineReads.columns.select('l')} FROM charge_lines l WHERE l.charge_id = $1 ORDER BY l.id`, [chargeId]);
  }

  /** One charge, locked until the transaction ends, while a line is added. */
  lockForUpdate(id: string): Promise<ChargeEntity | null> {
    return this.chargeReads.first(`SELECT ${this.chargeReads.columns.select('c')} FROM charges c WHERE c.id = $1 FOR UPDATE`, [id]);
  }

  /** Charges written in [from, to), optionally of one payer, oldest first. */
  inPeriod(period: ChargePeriod): Promise<ChargeEntity[]> {
    const query = this.charges
      .createQueryBuilder('c')
      .where('c.created_at >= :from AND c.created_at < :to', { from: period.from, to: period.to })
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC');
    if (period.payerId) query.andWhere('c.payer_id = :payerId', { payerId: period.payerId });
    return query.getMany();
  }
}
