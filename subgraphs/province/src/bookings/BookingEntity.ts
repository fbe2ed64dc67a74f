import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { BookingStatus } from '../domain/registryTypes';

@Entity('bookings')
export class BookingEntity {
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

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
