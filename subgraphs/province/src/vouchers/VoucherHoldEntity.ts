import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ProvinceKey } from '../../../../shared/src';
import { fen } from './fenColumn';

export type VoucherHoldStatus = 'HELD' | 'CAPTURED' | 'RELEASED';
/** Why a hold was released: the serving side asked, it expired uncaptured, or the serving side gave up before the issuer had it (ABORTED, nothing was held). */
export type HoldReleaseReason = 'RELEASED' | 'EXPIRED' | 'ABORTED';

/** Part of a voucher's balance reserved for one charge of a serving province. */
@Entity('voucher_holds')
export class VoucherHoldEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'voucher_id' })
  voucherId!: string;

  /** The serving side's reference for this hold (its redemption id): every step names the hold by it. */
  @Column('uuid', { name: 'hold_key' })
  holdKey!: string;

  @Column('varchar', { name: 'serving_province', length: 20 })
  servingProvince!: ProvinceKey;

  @Column('varchar', { name: 'charge_ref', length: 100 })
  chargeRef!: string;

  @Column('bigint', { name: 'amount_fen', transformer: fen })
  amountFen!: number;

  @Column('bigint', { name: 'charge_amount_fen', transformer: fen })
  chargeAmountFen!: number;

  @Column('varchar', { length: 20 })
  status!: VoucherHoldStatus;

  @Column('varchar', { name: 'release_reason', length: 20, nullable: true })
  releaseReason!: HoldReleaseReason | null;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'captured_at', nullable: true })
  capturedAt!: Date | null;

  @Column('timestamptz', { name: 'released_at', nullable: true })
  releasedAt!: Date | null;
}
