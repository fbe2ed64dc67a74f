import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CustomerCategory } from '../../../../shared/src';
import { bigintToNumber } from '../offerings/OfferingPriceEntity';
import type { OfferingKind } from '../offerings/pricing';
import type { ChargeSource } from './chargeRules';

/**
 * What a payer owes this province for one completed booking or one service request. Its lines are only ever
 * added to; what vouchers hold and paid of it moves with each voucher payment's step (vouchers/).
 */
@Entity('charges')
export class ChargeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'payer_id' })
  payerId!: string;

  @Column('varchar', { name: 'payer_name', length: 200 })
  payerName!: string;

  @Column('varchar', { name: 'customer_category', length: 30 })
  category!: CustomerCategory;

  @Column('varchar', { length: 20 })
  source!: ChargeSource;

  @Column('uuid', { name: 'booking_id', nullable: true })
  bookingId!: string | null;

  @Column('uuid', { name: 'service_request_id', nullable: true })
  serviceRequestId!: string | null;

  @Column('varchar', { name: 'offering_kind', length: 30 })
  offeringKind!: OfferingKind;

  /** Fen that voucher payments under way hold for this charge on their issuers. */
  @Column('bigint', { name: 'voucher_pending_fen', transformer: bigintToNumber })
  voucherPendingFen!: number;

  /** Fen that vouchers paid of this charge (captured by their issuers). */
  @Column('bigint', { name: 'voucher_captured_fen', transformer: bigintToNumber })
  voucherCapturedFen!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
