import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CustomerCategory } from '../../../../shared/src';
import type { BookingStatus, RequesterCategory } from '../domain/registryTypes';
import { bigintToNumber } from '../offerings/OfferingPriceEntity';
import type { PriceLine } from '../offerings/pricing';
import { RequestChannelColumns } from '../domain/requestChannel';

@Entity('bookings')
export class BookingEntity extends RequestChannelColumns {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'instrument_id' })
  instrumentId!: string;

  /** Platform user id of the requester (a person of either province). */
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt!: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt!: Date;

  @Column('varchar', { length: 20 })
  status!: BookingStatus;

  @Column('varchar', { length: 500 })
  purpose!: string;

  @Column('varchar', { name: 'idempotency_key', length: 100, nullable: true })
  idempotencyKey!: string | null;

  /** Whether the requester operates the instrument themselves (training rules apply) or staff operate it for them. */
  @Column('boolean', { name: 'self_operated', default: true })
  selfOperated!: boolean;

  /** Who asked, relative to the instrument's owner, when the booking was made (null for bookings made before it was kept). */
  @Column('varchar', { name: 'requester_category', length: 20, nullable: true })
  requesterCategory!: RequesterCategory | null;

  /** The requester's institution as their token named it when the booking was made. */
  @Column('varchar', { name: 'requester_institution', length: 200, nullable: true })
  requesterInstitution!: string | null;

  /** Actual use, recorded at check-in and check-out, beside the booked period. */
  @Column('timestamptz', { name: 'actual_start', nullable: true })
  actualStart!: Date | null;

  @Column('timestamptz', { name: 'actual_end', nullable: true })
  actualEnd!: Date | null;

  /** Cancelled by its requester after the instrument's cancellation deadline. */
  @Column('boolean', { name: 'late_cancellation', default: false })
  lateCancellation!: boolean;
  /** The price recorded when the booking was made: null on bookings made before prices were recorded. */
  @Column('varchar', { name: 'price_category', length: 30, nullable: true })
  priceCategory!: CustomerCategory | null;

  @Column('uuid', { name: 'price_offering_id', nullable: true })
  priceOfferingId!: string | null;

  @Column('jsonb', { name: 'price_lines', nullable: true })
  priceLines!: PriceLine[] | null;

  @Column('bigint', { name: 'price_total_fen', nullable: true, transformer: bigintToNumber })
  priceTotalFen!: number | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
