import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProvinceKey } from '../../../../shared/src';
import { fen } from './fenColumn';

/**
 * INTENDED: written, the issuer not yet (known to be) asked; RESERVED: the issuer holds the amount;
 * CAPTURED: paid; RELEASED: undone, nothing paid; REFUSED: the issuer said no, nothing held.
 */
export type RedemptionState = 'INTENDED' | 'RESERVED' | 'CAPTURED' | 'RELEASED' | 'REFUSED';

/**
 * The serving side's record of paying part of one of its charges with a
 * voucher, written before the issuer is asked. Its id is the hold key the
 * issuer knows the hold by.
 */
@Entity('voucher_redemptions')
export class VoucherRedemptionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('varchar', { name: 'idempotency_key', length: 100 })
  idempotencyKey!: string;

  @Column('varchar', { name: 'charge_ref', length: 100 })
  chargeRef!: string;

  /** The charge it pays (this province's `charges` row); null only for payments recorded before charges carried their voucher parts. */
  @Column('uuid', { name: 'charge_id', nullable: true })
  chargeId!: string | null;

  /** The voucher's global id (`cq:voucher:…`): the issuer's row, never copied here. */
  @Column('varchar', { name: 'voucher_id', length: 100 })
  voucherId!: string;

  @Column('varchar', { length: 20 })
  issuer!: ProvinceKey;

  @Column('bigint', { name: 'amount_fen', transformer: fen })
  amountFen!: number;

  @Column('bigint', { name: 'charge_amount_fen', transformer: fen })
  chargeAmountFen!: number;

  @Column('varchar', { length: 20 })
  state!: RedemptionState;

  /** The issuer's hold id, once it answered. */
  @Column('varchar', { name: 'hold_id', length: 100, nullable: true })
  holdId!: string | null;

  /** When the issuer captured the hold, as the issuer says: both sides' settlement reports date a redemption by it. */
  @Column('timestamptz', { name: 'issuer_captured_at', nullable: true })
  issuerCapturedAt!: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  failure!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
