import type { EntityManager, Repository } from 'typeorm';
import { CardCheckEntity } from './CardCheckEntity';
import { CardCodeEntity } from './CardCodeEntity';

/** A line of the check log to append; the database sets its id. */
export type NewCardCheck = Omit<CardCheckEntity, 'id'>;

/** A stored code with the number of the card it is bound to. */
export interface StoredCode {
  readonly code: CardCodeEntity;
  readonly cardNumber: string;
}

/** Every query on card_verification_codes and card_checks. */
export class CardCheckRepository {
  private readonly codes: Repository<CardCodeEntity>;
  private readonly checks: Repository<CardCheckEntity>;

  constructor(private readonly manager: EntityManager) {
    this.codes = manager.getRepository(CardCodeEntity);
    this.checks = manager.getRepository(CardCheckEntity);
  }

  async insertCode(code: CardCodeEntity): Promise<void> {
    await this.codes.insert(code);
  }

  async findCode(codeHash: string): Promise<StoredCode | null> {
    const rows: { id: string; card_number: string }[] = await this.manager.query(
      'SELECT c.id, t.card_number FROM card_verification_codes c JOIN talent_cards t ON t.id = c.card_id WHERE c.code_hash = $1',
      [codeHash],
    );
    const row = rows[0];
    if (!row) return null;
    return { code: (await this.codes.findOneBy({ id: row.id }))!, cardNumber: row.card_number };
  }

  /**
   * Uses the code, if nobody has and it has not expired: one UPDATE whose condition PostgreSQL re-checks on the
   * row it locked, so of two checks at once exactly one gets the row back. Null when this one did not.
   */
  async use(codeHash: string, requestId: string, usedBy: string, now: Date): Promise<{ cardId: string } | null> {
    const [rows] = (await this.manager.query(
      `UPDATE card_verification_codes SET used_at = $2, used_request_id = $3, used_by = $4
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
       RETURNING card_id`,
      [codeHash, now, requestId, usedBy],
    )) as [{ card_id: string }[], number];
    return rows[0] ? { cardId: rows[0].card_id } : null;
  }

  async recordCheck(check: NewCardCheck): Promise<void> {
    await this.checks.insert({ ...check });
  }

  /** Newest first, keyset-paginated on id, optionally for one card number; one row more tells whether a page follows. */
  async findChecks(cardNumber: string | undefined, first: number, beforeId: string | undefined): Promise<{ rows: CardCheckEntity[]; hasNextPage: boolean }> {
    const builder = this.checks.createQueryBuilder('c').orderBy('c.id', 'DESC').limit(first + 1);
    if (cardNumber !== undefined) builder.andWhere('c.card_number = :cardNumber', { cardNumber });
    if (beforeId !== undefined) builder.andWhere('c.id < :beforeId', { beforeId });
    const rows = await builder.getMany();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }
}
