import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CustomerCategory } from '../../../../shared/src';
import { bigintToNumber } from '../offerings/OfferingPriceEntity';
import type { PriceUnit } from '../offerings/pricing';
import type { ServiceRequestStatus } from './serviceRequestRules';
import { RequestChannelColumns } from '../domain/requestChannel';

/** A request for a service of this province: its form, its price snapshot, its quote and where it stands. */
@Entity('service_requests')
export class ServiceRequestEntity extends RequestChannelColumns {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'offering_id' })
  offeringId!: string;

  /** Platform user id of the person who asked (of either province). */
  @Column('uuid', { name: 'requester_id' })
  requesterId!: string;

  @Column('varchar', { name: 'requester_name', length: 200 })
  requesterName!: string;

  @Column('varchar', { length: 20 })
  status!: ServiceRequestStatus;

  @Column('jsonb', { name: 'form_values' })
  formValues!: Record<string, string | number | boolean>;

  @Column('integer', { name: 'sample_count' })
  sampleCount!: number;

  @Column('timestamptz', { name: 'needed_by' })
  neededBy!: Date;

  @Column('varchar', { length: 2000 })
  description!: string;

  @Column('varchar', { name: 'idempotency_key', length: 100 })
  idempotencyKey!: string;

  @Column('varchar', { name: 'price_category', length: 30 })
  priceCategory!: CustomerCategory;

  @Column('varchar', { name: 'price_unit', length: 10 })
  priceUnit!: PriceUnit;

  /** The list price per unit when the request was made; null for a quoted offering without one. */
  @Column('bigint', { name: 'price_unit_fen', nullable: true, transformer: bigintToNumber })
  priceUnitFen!: number | null;

  @Column('bigint', { name: 'price_estimate_fen', nullable: true, transformer: bigintToNumber })
  priceEstimateFen!: number | null;

  @Column('bigint', { name: 'quote_amount_fen', nullable: true, transformer: bigintToNumber })
  quoteAmountFen!: number | null;

  @Column('timestamptz', { name: 'quote_valid_until', nullable: true })
  quoteValidUntil!: Date | null;

  /** Why the request was declined, cancelled or rejected. */
  @Column('varchar', { name: 'closing_reason', length: 500, nullable: true })
  closingReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
