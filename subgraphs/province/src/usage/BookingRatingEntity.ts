import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A requester's rating of a completed booking: one per booking, by its requester only. */
@Entity('booking_ratings')
export class BookingRatingEntity {
  @PrimaryColumn('uuid', { name: 'booking_id' })
  bookingId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** 1 (poor) to 5 (excellent). */
  @Column('smallint')
  score!: number;

  @Column('varchar', { length: 1000, nullable: true })
  comment!: string | null;

  @Column('timestamptz', { name: 'rated_at' })
  ratedAt!: Date;
}
