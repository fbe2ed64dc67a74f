import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Self-booking suspended for a period after repeated no-shows. */
@Entity('booking_suspensions')
export class SuspensionEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt!: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt!: Date;

  /** No-shows within the window when the suspension began. */
  @Column('integer', { name: 'no_shows' })
  noShows!: number;
}
