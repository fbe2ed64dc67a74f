import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** How one instrument is booked, set by its province's admins. An instrument without a row follows DEFAULT_BOOKING_RULES. */
@Entity('instrument_booking_rules')
export class BookingRulesEntity {
  @PrimaryColumn('uuid', { name: 'instrument_id' })
  instrumentId!: string;

  /** Self-operated bookings need a valid qualification. */
  @Column('boolean', { name: 'training_required', default: false })
  trainingRequired!: boolean;

  /** How to get trained (whom to contact, when sessions are): told to everyone refused for want of it. */
  @Column('varchar', { name: 'training_info', length: 500, nullable: true })
  trainingInfo!: string | null;

  /** A booking must start at least this long after it is requested. */
  @Column('integer', { name: 'min_lead_minutes', default: 0 })
  minLeadMinutes!: number;

  /** A requester who cancels later than this before the start has cancelled late (recorded, still allowed). */
  @Column('integer', { name: 'cancellation_deadline_minutes', default: 0 })
  cancellationDeadlineMinutes!: number;

  /** Requests from people qualified on the instrument are confirmed at once. */
  @Column('boolean', { name: 'auto_confirm_qualified', default: false })
  autoConfirmQualified!: boolean;

  /** Qualifications the partner province issued on the instrument's model count as this province's own. */
  @Column('boolean', { name: 'accepts_partner_qualifications', default: false })
  acceptsPartnerQualifications!: boolean;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

export type BookingRules = Omit<BookingRulesEntity, 'instrumentId' | 'updatedAt'>;

export const DEFAULT_BOOKING_RULES: BookingRules = Object.freeze({
  trainingRequired: false,
  trainingInfo: null,
  minLeadMinutes: 0,
  cancellationDeadlineMinutes: 0,
  autoConfirmQualified: false,
  acceptsPartnerQualifications: false,
});
