import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CardCheckMethod = 'CODE' | 'NUMBER';

/**
 * One check of this province's cards: by the holder's code or by a bare number. `result` is the card's status
 * answered (VALID, EXPIRED, REVOKED, UNKNOWN) or why the check was refused (CODE_UNKNOWN, CODE_EXPIRED,
 * CODE_ALREADY_USED, CODE_OF_ANOTHER_CARD).
 */
@Entity('card_checks')
export class CardCheckEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('timestamptz', { name: 'checked_at' })
  checkedAt!: Date;

  @Column('varchar', { length: 10 })
  method!: CardCheckMethod;

  /** Null when a code named no card here. */
  @Column('varchar', { name: 'card_number', length: 40, nullable: true })
  cardNumber!: string | null;

  @Column('varchar', { length: 30 })
  result!: string;

  @Column('varchar', { name: 'actor_kind', length: 10 })
  actorKind!: 'user' | 'client';

  @Column('varchar', { name: 'actor_id', length: 100 })
  actorId!: string;

  @Column('varchar', { name: 'actor_name', length: 200, nullable: true })
  actorName!: string | null;

  @Column('varchar', { name: 'client_id', length: 64, nullable: true })
  clientId!: string | null;

  /** The home province of the person who asked; null for a partner client (its grants say which provinces admit it). */
  @Column('varchar', { name: 'asker_province', length: 20, nullable: true })
  askerProvince!: string | null;

  @Column('varchar', { name: 'request_id', length: 100 })
  requestId!: string;
}
