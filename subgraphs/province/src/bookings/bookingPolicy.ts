import type { Viewer } from '../../../../shared/src';
import type { CallerHeaders } from '../domain/askGateway';
import type { InstrumentEntity } from '../instruments/InstrumentEntity';

/** A booking request as the instrument's own rules judge it. */
export interface AdmissionRequest {
  readonly viewer: Viewer;
  readonly instrument: InstrumentEntity;
  readonly start: Date;
  readonly end: Date;
  /** The requester operates the instrument themselves (training rules apply). */
  readonly selfOperated: boolean;
  readonly now: Date;
  /** The caller's token, for asking the partner province through the gateway. */
  readonly caller: CallerHeaders;
}

export interface Admission {
  /** Confirmed at once (a qualified requester on an instrument that says so). */
  readonly autoConfirm: boolean;
  /** Why, for the booking's history. */
  readonly note: string | null;
}

/**
 * The per-instrument rules a booking also keeps (training, lead time, suspension after no-shows, cancellation
 * deadline), owned by another feature and named here by shape. `admit` throws the refusal a person can act on.
 */
export interface BookingPolicy {
  admit(request: AdmissionRequest): Promise<Admission>;
  /** How long before its start a booking of this instrument may be cancelled without counting as late (0: any time). */
  cancellationDeadlineMinutes(instrumentId: string): Promise<number>;
}

/** No rules beyond the workflow's own: every request waits for an admin, no cancellation is late. */
export const NO_BOOKING_POLICY: BookingPolicy = {
  admit: async () => ({ autoConfirm: false, note: null }),
  cancellationDeadlineMinutes: async () => 0,
};
