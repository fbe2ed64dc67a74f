import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { fen } from './fenColumn';

export type VoucherEventKind = 'ISSUED' | 'HELD' | 'CAPTURED' | 'RELEASED' | 'EXPIRED';

/** One line of a voucher's history, with the balance it left available. */
@Entity('voucher_events')
export class VoucherEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'voucher_id' })
  voucherId!: string;

  @Column('varchar', { length: 20 })
  kind!: VoucherEventKind;

  @Column('bigint', { name: 'amount_fen', transformer: fen })
  amountFen!: number;

  @Column('bigint', { name: 'available_after_fen', transformer: fen })
  availableAfterFen!: number;

  @Column('uuid', { name: 'hold_id', nullable: true })
  holdId!: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  at!: Date;
}
