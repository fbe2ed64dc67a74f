import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CustomerCategory } from '../../../../shared/src';
import { bigintToNumber } from '../offerings/OfferingPriceEntity';
import type { OfferingKind } from '../offerings/pricing';
import type { ChargeSource, VoucherPartStatus } from './chargeRules';

/**
 * What a payer owes this province for one completed booking or one service request. Its lines are only ever
 * added to; the voucher part, when there is one, records a hold on a voucher its issuer owns.
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

  @Column('varchar', { name: 'voucher_id', length: 100, nullable: true })
  voucherId!: string | null;

  @Column('varchar', { name: 'voucher_hold_id', length: 100, nullable: true })
  voucherHoldId!: string | null;

  @Column('bigint', { name: 'voucher_amount_fen', nullable: true, transformer: bigintToNumber })
  voucherAmountFen!: number | null;

  @Column('varchar', { name: 'voucher_status', length: 10, nullable: true })
  voucherStatus!: VoucherPartStatus | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
