import { In, type EntityManager, type Repository } from 'typeorm';
import { TalentCardEntity } from './TalentCardEntity';
import { alignByKey, entityReads, type EntityReads } from '../../../../shared/src';

/** Every query on talent cards. */
export class TalentCardRepository {
  private readonly cards: Repository<TalentCardEntity>;
  /** Cards by id (every card a request reaches through the loader) as one prepared statement. */
  private readonly reads: EntityReads<TalentCardEntity>;

  constructor(manager: EntityManager) {
    this.cards = manager.getRepository(TalentCardEntity);
    this.reads = entityReads(manager, TalentCardEntity);
  }

  findByIds(ids: readonly string[]): Promise<(TalentCardEntity | null)[]> {
    return this.reads.byIds(ids);
  }

  findByCardNumber(cardNumber: string): Promise<TalentCardEntity | null> {
    return this.cards.findOneBy({ cardNumber });
  }

  /** Cards by number, several in one query (card numbers are unique). */
  async findByCardNumbers(cardNumbers: readonly string[]): Promise<(TalentCardEntity | null)[]> {
    return alignByKey(cardNumbers, await this.cards.findBy({ cardNumber: In([...cardNumbers]) }), (row) => row.cardNumber);
  }

  /** The current card of each holder: the active one if any, else the latest issued. */
  async findByHolderIds(userIds: readonly string[]): Promise<(TalentCardEntity | null)[]> {
    const rows = await this.cards.find({ where: { holderUserId: In([...userIds]) }, order: { issuedOn: 'ASC' } });
    const best = new Map<string, TalentCardEntity>();
    for (const row of rows) {
      const current = best.get(row.holderUserId!);
      if (!current || row.status === 'ACTIVE' || current.status !== 'ACTIVE') best.set(row.holderUserId!, row);
    }
    return userIds.map((id) => best.get(id) ?? null);
  }

  /**
   * The next serial for a new card number. A sequence, not max()+1: two admins
   * issuing at once never get the same number. A rolled-back issue leaves a
   * gap, which is harmless.
   */
  async nextNumberSerial(): Promise<number> {
    const [row] = await this.cards.query<{ serial: string }[]>("SELECT nextval('talent_card_number_seq') AS serial");
    return Number(row!.serial);
  }

  async insert(card: TalentCardEntity): Promise<void> {
    await this.cards.insert(card);
  }

  /** The card, locked until the transaction ends: concurrent renewals and revocations of one card run one after the other. */
  lockForUpdate(id: string): Promise<TalentCardEntity | null> {
    return this.cards.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(id: string, changes: Partial<Pick<TalentCardEntity, 'tier' | 'validUntil' | 'status' | 'revokedReason'>>): Promise<void> {
    await this.cards.update({ id }, changes);
  }
}
