import { DomainError } from '../../../../../shared/src';
import type { InstrumentEntity } from '../../instruments/InstrumentEntity';
import { checkOpenBookingCap, checkRequestedSlot, checkTransition, differingRequestFields, formatPeriod, TRANSITIONS } from '../bookingRules';
import type { BookingStatus } from '../../domain/registryTypes';

/** The fields the rules read; the rules take an entity, whose class (and TypeORM with it) the test need not load. */
const instrument = (overrides: Partial<InstrumentEntity> = {}) => ({
  status: 'IN_SERVICE', openForSharing: true, openFromHour: 9, openToHour: 17, minBookingMinutes: 30, maxBookingMinutes: 240, ...overrides,
}) as InstrumentEntity;
const NOW = new Date('2026-11-25T04:00:00Z');
const at = (iso: string) => new Date(iso);

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('formatPeriod', () => {
  it('writes both ends in local (UTC+8) time', () => {
    expect(formatPeriod(at('2026-12-01T01:30:00Z'), at('2026-12-01T03:00:00Z'))).toBe('2026-12-01 09:30 (UTC+8) to 2026-12-01 11:00 (UTC+8)');
  });
});

describe('checkRequestedSlot', () => {
  it('accepts a slot inside opening hours, on half hours, of allowed length', () => {
    expect(() => checkRequestedSlot(instrument(), at('2026-12-01T01:00:00Z'), at('2026-12-01T03:30:00Z'), NOW)).not.toThrow();
    expect(() => checkRequestedSlot(instrument(), at('2026-12-01T08:30:00Z'), at('2026-12-01T09:00:00Z'), NOW)).not.toThrow();
  });

  it.each([
    ['before opening', '2026-12-01T00:30:00Z', '2026-12-01T01:30:00Z', /open 09:00–17:00/],
    ['past closing', '2026-12-01T08:30:00Z', '2026-12-01T09:30:00Z', /open 09:00–17:00/],
    ['too short', '2026-12-01T01:00:00Z', '2026-12-01T01:00:00Z', /after start/],
    ['too long', '2026-12-01T01:00:00Z', '2026-12-01T05:30:00Z', /lasts 30–240 minutes; this one lasts 270/],
    ['off the half hour', '2026-12-01T01:15:00Z', '2026-12-01T02:00:00Z', /whole or half hour/],
    ['in the past', '2026-11-20T01:00:00Z', '2026-11-20T02:00:00Z', /in the future/],
    ['too far ahead', '2027-12-01T01:00:00Z', '2027-12-01T02:00:00Z', /180 days/],
  ])('refuses a slot %s with BAD_USER_INPUT', (_, start, end, message) => {
    const error = refusal(() => checkRequestedSlot(instrument(), at(start), at(end), NOW));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ status: 'MAINTENANCE' as const }, /under maintenance/],
    [{ status: 'RETIRED' as const }, /retired/],
    [{ openForSharing: false }, /not open for sharing/],
  ])('refuses an instrument that cannot be booked (%j) with CONFLICT', (overrides, message) => {
    const error = refusal(() => checkRequestedSlot(instrument(overrides), at('2026-12-01T01:00:00Z'), at('2026-12-01T02:00:00Z'), NOW));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(message);
  });
});

describe('checkTransition', () => {
  const future = { startsAt: at('2026-12-01T01:00:00Z'), endsAt: at('2026-12-01T02:00:00Z') };
  const past = { startsAt: at('2026-11-01T01:00:00Z'), endsAt: at('2026-11-01T02:00:00Z') };
  const statuses: BookingStatus[] = ['REQUESTED', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'COMPLETED'];

  it('allows exactly the workflow’s moves, from every status', () => {
    const allowed: string[] = [];
    for (const action of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
      for (const status of statuses) {
        const timing = action === 'complete' ? past : future;
        try {
          checkTransition(action, { status, ...timing }, NOW);
          allowed.push(`${status} -${action}-> ${TRANSITIONS[action].to}`);
        } catch (error) {
          expect((error as DomainError).code).toBe('CONFLICT');
        }
      }
    }
    expect(allowed.sort()).toEqual([
      'CONFIRMED -cancel-> CANCELLED',
      'CONFIRMED -complete-> COMPLETED',
      'REQUESTED -cancel-> CANCELLED',
      'REQUESTED -confirm-> CONFIRMED',
      'REQUESTED -reject-> REJECTED',
    ]);
  });

  it('refuses cancelling or confirming after the start, and completing before the end', () => {
    expect(refusal(() => checkTransition('cancel', { status: 'CONFIRMED', ...past }, NOW)).message).toMatch(/can no longer be cancelled/);
    expect(refusal(() => checkTransition('confirm', { status: 'REQUESTED', ...past }, NOW)).message).toMatch(/can no longer be confirmed/);
    expect(refusal(() => checkTransition('complete', { status: 'CONFIRMED', ...future }, NOW)).message).toMatch(/only after use/);
  });
});

describe('checkOpenBookingCap', () => {
  it('lets a person ask while they hold fewer open bookings than the cap', () => {
    expect(() => checkOpenBookingCap(0, 3, 'Sichuan')).not.toThrow();
    expect(() => checkOpenBookingCap(2, 3, 'Sichuan')).not.toThrow();
  });

  it.each([
    [3, 3],
    [5, 3],
  ])('refuses a person holding %i open bookings under a cap of %i with CONFLICT, saying the cap, the count and what to do', (open, cap) => {
    const error = refusal(() => checkOpenBookingCap(open, cap, 'Chongqing'));
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toEqual({ reason: 'OPEN_BOOKING_LIMIT', limit: cap, open });
    expect(error.message).toContain(`You already have ${open} open Chongqing bookings`);
    expect(error.message).toContain(`at most ${cap}`);
    expect(error.message).toMatch(/Cancel one you no longer need, or wait until one has ended/);
  });

  it('has no cap at 0', () => {
    expect(() => checkOpenBookingCap(1_000, 0, 'Sichuan')).not.toThrow();
  });
});

describe('differingRequestFields', () => {
  const booking = {
    instrumentId: '0b6c1e3a-52a4-4e0f-9d0e-7f5b8c3a1d20',
    startsAt: at('2026-12-01T01:00:00Z'),
    endsAt: at('2026-12-01T02:00:00Z'),
    purpose: 'Protein structure screening run',
    selfOperated: true,
  };
  const same = {
    instrumentId: booking.instrumentId, start: at('2026-12-01T01:00:00Z'), end: at('2026-12-01T02:00:00Z'), purpose: booking.purpose, selfOperated: true,
  };

  it('finds nothing when the request repeats the booking exactly (other Date objects, same instants)', () => {
    expect(differingRequestFields(booking, same)).toEqual([]);
  });

  it.each([
    ['the instrument', { instrumentId: '5d2f7a10-0c3b-4b8e-a1f4-2e6d9c8b7a65' }, ['instrumentId']],
    ['the start', { start: at('2026-12-01T00:30:00Z') }, ['start']],
    ['the end', { end: at('2026-12-01T02:30:00Z') }, ['end']],
    ['the purpose', { purpose: 'Something else entirely' }, ['purpose']],
    ['the purpose by one letter’s case', { purpose: 'protein structure screening run' }, ['purpose']],
    ['who operates the instrument', { selfOperated: false }, ['selfOperated']],
    ['the whole slot', { start: at('2026-12-02T01:00:00Z'), end: at('2026-12-02T02:00:00Z') }, ['start', 'end']],
    ['everything', { instrumentId: '5d2f7a10-0c3b-4b8e-a1f4-2e6d9c8b7a65', start: at('2026-12-02T01:00:00Z'), end: at('2026-12-02T02:00:00Z'), purpose: 'Other' }, ['instrumentId', 'start', 'end', 'purpose']],
  ] as const)('names %s, in argument order', (_what, change, fields) => {
    expect(differingRequestFields(booking, { ...same, ...change })).toEqual(fields);
  });
});
