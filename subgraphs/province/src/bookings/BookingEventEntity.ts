import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { BookingStatus } from '../domain/registryTypes';

/** One status change of a booking: who, when, why. */
@Entity('booking_events')
export class BookingEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'booking_id' })
  bookingId!: string;

  @Column('varchar', { length: 20 })
  status!: BookingStatus;

  /** Token subject of who made the change (a platform user id, or `client:<id>`). */
  @Column('varchar', { name: 'actor_id', length: 100 })
  actorId!: string;

  /** Who made the change by display name, as their token named them then: all that researchers see of staff. */
  @Column('varchar', { name: 'actor_name', length: 200 })
  actorName!: string;

  @Column('varchar', { length: 500, nullable: true })
  note!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}
