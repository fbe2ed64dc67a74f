import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintToNumber } from '../offerings/OfferingPriceEntity';
import type { ChargeLineKind } from './chargeRules';

/** One line of a charge: an item, or a credit (a negative amount with its reason). The database refuses edits. */
@Entity('charge_lines')
export class ChargeLineEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'charge_id' })
  chargeId!: string;

  @Column('varchar', { length: 10 })
  kind!: ChargeLineKind;

  @Column('varchar', { length: 300 })
  description!: string;

  /** numeric(12,3), kept as the exact decimal string PostgreSQL sends. */
  @Column('numeric', { precision: 12, scale: 3 })
  quantity!: string;

  @Column('bigint', { name: 'unit_fen', nullable: true, transformer: bigintToNumber })
  unitFen!: number | null;

  @Column('bigint', { name: 'amount_fen', transformer: bigintToNumber })
  amountFen!: number;

  @Column('varchar', { length: 500, nullable: true })
  reason!: string | null;

  @Column('varchar', { name: 'actor_id', length: 100 })
  actorId!: string;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;
}
