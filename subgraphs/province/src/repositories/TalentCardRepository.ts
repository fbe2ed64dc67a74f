import { In, type DataSource, type Repository } from 'typeorm';
import { TalentCardEntity } from '../entities/TalentCardEntity';
import { alignByKey } from '../../../../shared/src';

/** Every query on talent cards. */
export class TalentCardRepository {
  private readonly cards: Repository<TalentCardEntity>;

  constructor(dataSource: DataSource) {
    this.cards = dataSource.getRepository(TalentCardEntity);
  }

  async findByIds(ids: readonly string[]): Promise<(TalentCardEntity | null)[]> {
    return alignByKey(ids, await this.cards.findBy({ id: In([...ids]) }), (row) => row.id);
  }

  findByCardNumber(cardNumber: string): Promise<TalentCardEntity | null> {
    return this.cards.findOneBy({ cardNumber });
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
}
