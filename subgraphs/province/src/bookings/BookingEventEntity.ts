import { Column, Entity } from 'typeorm';
import type { BookingStatus } from '../domain/registryTypes';
import { WorkflowEventColumns } from '../persistence/WorkflowEventColumns';

/** One status change of a booking: who, when, why. */
@Entity('booking_events')
export class BookingEventEntity extends WorkflowEventColumns {
  @Column('uuid', { name: 'booking_id' })
  bookingId!: string;

  @Column('varchar', { length: 20 })
  status!: BookingStatus;
}
