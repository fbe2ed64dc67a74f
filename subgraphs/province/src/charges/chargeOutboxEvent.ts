import { encodeGlobalId, type ProvinceDefinition } from '../../../../shared/src';

/**
 * The outbox event of a charge written or credited: the charge's id and what it was written for, never the payer
 * or an amount.
 */
export function chargeOutboxEvent(
  province: ProvinceDefinition,
  type: 'charge.created' | 'charge.credited',
  charge: { id: string; bookingId: string | null; serviceRequestId: string | null },
) {
  return {
    type,
    entityId: encodeGlobalId(province, 'charge', charge.id),
    state: charge.bookingId
      ? { source: 'BOOKING', bookingId: encodeGlobalId(province, 'booking', charge.bookingId) }
      : { source: 'SERVICE_REQUEST', serviceRequestId: encodeGlobalId(province, 'servicerequest', charge.serviceRequestId!) },
  };
}
