import type { CustomerCategory, ProvinceDefinition } from '../../../../shared/src';
import type { OutboxRepository } from '../events/OutboxRepository';
import type { InstrumentRepository } from '../instruments/InstrumentRepository';
import type { PriceLine } from '../offerings/pricing';
import type { ChargeRepository } from './ChargeRepository';
import { chargeOutboxEvent } from './chargeOutboxEvent';
import { snapshotLines } from './chargeRules';

/** What of a completed booking its charge is written from (named by shape: bookings import charges, not the reverse). */
export interface CompletedBooking {
  readonly id: string;
  readonly userId: string;
  readonly instrumentId: string;
  readonly priceCategory: CustomerCategory | null;
  readonly priceLines: PriceLine[] | null;
  readonly priceTotalFen: number | null;
}

export interface CompletedBookingChargeTransaction {
  readonly charges: Pick<ChargeRepository, 'insertDraft'>;
  readonly instruments: Pick<InstrumentRepository, 'findByIds'>;
  readonly events: Pick<OutboxRepository, 'record'>;
  readonly bookings: { eventsOf(bookingIds: readonly string[]): Promise<ReadonlyArray<ReadonlyArray<{ readonly actorName: string | null }>>> };
}

/**
 * The charge for a completed booking, from the price it recorded when made, in the completion's transaction —
 * whichever way the booking completes (an admin's decision, or staff checking the user out).
 * A booking made before prices were recorded has none to charge from, and gets no charge.
 */
export async function chargeCompletedBooking(
  tx: CompletedBookingChargeTransaction,
  province: ProvinceDefinition,
  actorId: string,
  booking: CompletedBooking,
): Promise<void> {
  if (booking.priceCategory === null || booking.priceLines === null || booking.priceTotalFen === null) return;
  const [instrument] = await tx.instruments.findByIds([booking.instrumentId]);
  const [events] = await tx.bookings.eventsOf([booking.id]);
  const snapshot = { category: booking.priceCategory, lines: booking.priceLines, totalFen: booking.priceTotalFen };
  const chargeId = await tx.charges.insertDraft({
    payerId: booking.userId,
    payerName: events?.[0]?.actorName ?? 'Unnamed user',
    category: booking.priceCategory,
    source: 'BOOKING',
    bookingId: booking.id,
    serviceRequestId: null,
    offeringKind: 'SELF_OPERATED',
    lines: snapshotLines(`Self-operated use of ${instrument?.name ?? 'an instrument'}`, snapshot, 'HOUR'),
  }, actorId);
  tx.events.record(chargeOutboxEvent(province, 'charge.created', { id: chargeId, bookingId: booking.id, serviceRequestId: null }));
}
