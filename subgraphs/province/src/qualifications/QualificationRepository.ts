import type { EntityManager, Repository } from 'typeorm';
import { alignByKey, entityRows, type EntityRows } from '../../../../shared/src';
import { BookingRulesEntity, type BookingRules } from './BookingRulesEntity';
import { QualificationEntity } from './QualificationEntity';

/** Every query on qualifications and instruments' booking rules. */
export class QualificationRepository {
  private readonly qualifications: Repository<QualificationEntity>;
  private readonly rules: Repository<BookingRulesEntity>;
  /** Every booking request reads its instrument's rules: a prepared statement. */
  private readonly ruleReads: EntityRows<BookingRulesEntity>;

  constructor(manager: EntityManager) {
    this.qualifications = manager.getRepository(QualificationEntity);
    this.rules = manager.getRepository(BookingRulesEntity);
    this.ruleReads = entityRows(manager, BookingRulesEntity);
  }

  /** The rules of several instruments in one query; null where an instrument has none of its own. */
  async rulesOf(instrumentIds: readonly string[]): Promise<(BookingRulesEntity | null)[]> {
    const rows = await this.ruleReads.rows(
      `SELECT ${this.ruleReads.columns.select('r')} FROM instrument_booking_rules r WHERE r.instrument_id = ANY ($1::uuid[])`,
      [instrumentIds],
    );
    return alignByKey(instrumentIds, rows, (row) => row.instrumentId);
  }

  async saveRules(instrumentId: string, rules: BookingRules): Promise<void> {
    await this.rules.upsert({ instrumentId, ...rules }, ['instrumentId']);
  }

  async insert(qualification: QualificationEntity): Promise<void> {
    await this.qualifications.insert(qualification);
  }

  findById(id: string): Promise<QualificationEntity | null> {
    return this.qualifications.findOneBy({ id });
  }

  lockForUpdate(id: string): Promise<QualificationEntity | null> {
    return this.qualifications.createQueryBuilder('q').setLock('pessimistic_write').where('q.id = :id', { id }).getOne();
  }

  async revoke(id: string, at: Date, reason: string): Promise<void> {
    await this.qualifications.update({ id }, { revokedAt: at, revokedReason: reason });
  }

  /**
   * A person's qualifications valid at `at` (not revoked, not expired) that cover an instrument: issued for it,
   * or for its model (compared without case or surrounding spaces). `model` null: only those for the instrument.
   */
  validFor(userId: string, at: Date, cover: { instrumentId?: string | null; model?: string | null }): Promise<QualificationEntity[]> {
    const query = this.qualifications
      .createQueryBuilder('q')
      .where('q.user_id = :userId', { userId })
      .andWhere('q.revoked_at IS NULL')
      .andWhere('q.expires_at > :at', { at })
      .andWhere('q.issued_at <= :at', { at });
    const covers: string[] = [];
    if (cover.instrumentId) covers.push('q.instrument_id = :instrumentId');
    if (cover.model) covers.push('lower(q.model) = lower(:model)');
    if (covers.length === 0) return Promise.resolve([]);
    return query
      .andWhere(`(${covers.join(' OR ')})`, { instrumentId: cover.instrumentId, model: cover.model?.trim() })
      .orderBy('q.expires_at', 'DESC')
      .getMany();
  }

  /** Every qualification of a person, newest first. */
  ofUser(userId: string): Promise<QualificationEntity[]> {
    return this.qualifications.find({ where: { userId }, order: { issuedAt: 'DESC', id: 'ASC' } });
  }
}
