import { randomUUID } from 'node:crypto';
import { PROVINCES, type ProvinceKey, type RunningService } from '../../shared/src';
import { freePort } from '../../scripts/system';
import { createPartnerClient } from '../support/callers';
import { startOwnGateway, startOwnProvince } from '../support/ownServices';
import { ADMIN_OF, SlotAllocator, closePools, confirm, createInstrument, localIdOf, localTime, newKey, sql } from '../support/registryFixtures';
import { gateway, graphql, onlyError, tokenFor, type GraphQLResponse } from '../support/system';
import { createUser } from '../support/throwawayIdentities';
import { until } from '../support/until';

/*
 * Issue #12, qualifications, booking rules and actual use, through the gateway: training required, a partner's
 * qualification recognised through federation, lead time, late cancellation, check-in and check-out by staff and
 * by a kiosk client only, ratings, the no-show sweeper and the suspension it leads to.
 */

const SC = PROVINCES.sichuan.typePrefix;
const TRAINING = 'Training on Tuesdays; write to nmr-training@example.edu.cn';

afterAll(() => closePools());

const BOOK = (P: string) => `mutation Book($i: ID!, $s: DateTime!, $e: DateTime!, $k: String!, $self: Boolean) {
  booking: book${P}Instrument(instrumentId: $i, start: $s, end: $e, purpose: "Usage rules check", idempotencyKey: $k, selfOperated: $self) {
    id status selfOperated requesterCategory history { status actorName note }
  }
}`;

async function book(
  token: string, instrumentId: string, slot: { start: string; end: string }, options: { selfOperated?: boolean; url?: string; province?: ProvinceKey } = {},
): Promise<GraphQLResponse> {
  const P = PROVINCES[options.province ?? 'sichuan'].typePrefix;
  const variables = { i: instrumentId, s: slot.start, e: slot.end, k: newKey(), self: options.selfOperated ?? null };
  return options.url ? graphql(options.url, BOOK(P), { token, variables }) : gateway(BOOK(P), { token, variables });
}

async function ok<T = any>(response: Promise<GraphQLResponse<T>> | GraphQLResponse<T>): Promise<T> {
  const { body } = await response;
  expect(body.errors).toBeUndefined();
  return body.data!;
}

async function setRules(instrumentId: string, rules: Partial<Record<string, unknown>>, province: ProvinceKey = 'sichuan') {
  const P = PROVINCES[province].typePrefix;
  const all = {
    trainingRequired: false, trainingInfo: null, minLeadMinutes: 0, cancellationDeadlineMinutes: 0, autoConfirmQualified: false,
    acceptsPartnerQualifications: false, ...rules,
  };
  const data = await ok(gateway(`mutation($i: ID!, $r: BookingRulesInput!) { set${P}BookingRules(instrumentId: $i, rules: $r) { id bookingRules { trainingRequired minLeadMinutes } } }`, {
    token: await tokenFor(ADMIN_OF[province]),
    variables: { i: instrumentId, r: all },
  }));
  return data;
}

async function grant(province: ProvinceKey, userId: string, cover: { instrumentId?: string; model?: string }): Promise<string> {
  const P = PROVINCES[province].typePrefix;
  const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const data = await ok(gateway(`mutation($input: QualificationInput!) { q: grant${P}Qualification(input: $input) { id valid issuer } }`, {
    token: await tokenFor(ADMIN_OF[province]),
    variables: { input: { userId, ...cover, expiresAt, note: 'Trained in the usage test' } },
  }));
  expect(data.q).toMatchObject({ valid: true, issuer: PROVINCES[province].code });
  return data.q.id;
}

/** A fresh researcher (so no other test's bookings, no-shows or qualifications are theirs) and their token. */
async function person(prefix: string): Promise<{ id: string; token: string }> {
  const user = await createUser(prefix);
  return { id: user.id, token: await tokenFor(user.username) };
}

const model = () => `TM-${randomUUID().slice(0, 8).toUpperCase()}`;

describe('training required', () => {
  it('refuses an unqualified researcher with how to get trained, confirms a qualified one at once, and refuses again after revocation', async () => {
    const instrumentModel = model();
    const instrumentId = await createInstrument('sichuan', { model: instrumentModel });
    await setRules(instrumentId, { trainingRequired: true, trainingInfo: TRAINING, autoConfirmQualified: true });
    const researcher = await person('trainee');
    const slots = new SlotAllocator(20);

    const refused = await book(researcher.token, instrumentId, slots.take());
    const error = onlyError(refused.body);
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TRAINING_REQUIRED', trainingInfo: TRAINING });
    expect(error.message).toContain(`To get trained: ${TRAINING}`);
    expect(await sql('sichuan', 'SELECT 1 FROM bookings WHERE instrument_id = $1', [localIdOf(instrumentId)])).toHaveLength(0);

    // Operated by staff for them, no training is needed; it waits for an admin.
    const assisted = (await ok(book(researcher.token, instrumentId, slots.take(), { selfOperated: false }))).booking;
    expect(assisted).toMatchObject({ status: 'REQUESTED', selfOperated: false, requesterCategory: 'OWN_PROVINCE' });

    const qualificationId = await grant('sichuan', researcher.id, { instrumentId });
    const confirmed = (await ok(book(researcher.token, instrumentId, slots.take()))).booking;
    expect(confirmed.status).toBe('CONFIRMED');
    expect(confirmed.history.map((event: { status: string }) => event.status)).toEqual(['REQUESTED', 'CONFIRMED']);
    expect(confirmed.history[1].actorName).toBe('Sichuan booking rules');

    await ok(gateway(`mutation($id: ID!) { revoke${SC}Qualification(id: $id, reason: "Left the group") { valid revokedReason } }`, {
      token: await tokenFor('sc.admin'), variables: { id: qualificationId },
    }));
    expect(onlyError((await book(researcher.token, instrumentId, slots.take())).body).extensions).toMatchObject({ reason: 'TRAINING_REQUIRED' });

    // A qualification on the model covers every instrument of it.
    await grant('sichuan', researcher.id, { model: instrumentModel.toLowerCase() });
    expect((await ok(book(researcher.token, instrumentId, slots.take()))).booking.status).toBe('CONFIRMED');
  });

  it('leaves a qualified request waiting for an admin when the instrument does not auto-confirm', async () => {
    const instrumentId = await createInstrument('sichuan', { model: model() });
    await setRules(instrumentId, { trainingRequired: true, trainingInfo: TRAINING });
    const researcher = await person('qualified');
    await grant('sichuan', researcher.id, { instrumentId });
    expect((await ok(book(researcher.token, instrumentId, new SlotAllocator(20).take()))).booking.status).toBe('REQUESTED');
  });
});

describe('the trained person’s platform account', () => {
  const GRANT = `mutation($input: QualificationInput!) { q: grant${SC}Qualification(input: $input) { id user { id username } } }`;
  const grantTo = (userId: string, instrumentModel: string) => ({ input: { userId, model: instrumentModel, expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString() } });
  const grantedOn = async (instrumentModel: string) => (await sql('sichuan', 'SELECT count(*)::int AS n FROM qualifications WHERE model = $1', [instrumentModel]))[0]!['n'];

  it('grants a qualification only to a person the platform has an account for, and writes nothing otherwise', async () => {
    const instrumentModel = model();
    const token = await tokenFor('sc.admin');
    const unknown = onlyError((await gateway(GRANT, { token, variables: grantTo(randomUUID(), instrumentModel) })).body);
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.userId', reason: 'UNKNOWN_USER' });
    expect(unknown.message).toMatch(/input\.userId: the platform has no account with the id .*Nothing was written\./);
    expect(await grantedOn(instrumentModel)).toBe(0);

    const trained = await createUser('trained');
    const granted = (await ok(gateway(GRANT, { token, variables: grantTo(trained.id, instrumentModel) }))).q;
    expect(granted.user).toEqual({ id: trained.id, username: trained.username });
    expect(await grantedOn(instrumentModel)).toBe(1);
  });
  // Refused while the platform cannot be asked: platformUnavailable.test.ts.
});

describe('the partner province’s qualification, asked through the gateway', () => {
  it('is accepted when the instrument recognises it and the partner says it holds; refused otherwise, and when the partner is down', async () => {
    const instrumentModel = model();
    const instrumentId = await createInstrument('sichuan', { model: instrumentModel });
    await setRules(instrumentId, { trainingRequired: true, trainingInfo: TRAINING, autoConfirmQualified: true, acceptsPartnerQualifications: true });
    const trainedInChongqing = await person('cq-trained');
    const untrained = await person('untrained');
    await grant('chongqing', trainedInChongqing.id, { model: instrumentModel });
    const slots = new SlotAllocator(30);

    const accepted = (await ok(book(trainedInChongqing.token, instrumentId, slots.take()))).booking;
    expect(accepted.status).toBe('CONFIRMED');
    expect(accepted.history[1].note).toContain('Chongqing qualification');

    const refused = onlyError((await book(untrained.token, instrumentId, slots.take())).body);
    expect(refused.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TRAINING_REQUIRED' });
    expect(refused.message).toContain(`nor a Chongqing one on model ${instrumentModel}`);

    // Sichuan stops recognising Chongqing's qualifications on this instrument.
    await setRules(instrumentId, { trainingRequired: true, trainingInfo: TRAINING, autoConfirmQualified: true, acceptsPartnerQualifications: false });
    expect(onlyError((await book(trainedInChongqing.token, instrumentId, slots.take())).body).extensions).toMatchObject({ reason: 'TRAINING_REQUIRED' });
    await setRules(instrumentId, { trainingRequired: true, trainingInfo: TRAINING, autoConfirmQualified: true, acceptsPartnerQualifications: true });

    // Chongqing cannot be reached: a Sichuan subgraph whose gateway has no Chongqing behind it refuses, saying why.
    const deadChongqing = `http://127.0.0.1:${await freePort()}/graphql`;
    const lonelyGateway = await startOwnGateway('gateway-without-chongqing', { CIRCUIT_BREAKER_FAILURES: '0', SUBGRAPH_RETRIES: '0' }, { chongqing: deadChongqing });
    let sichuan: RunningService | undefined;
    try {
      sichuan = await startOwnProvince('sichuan-lonely', 'sichuan', { GATEWAY_URL: `http://127.0.0.1:${lonelyGateway.port}/graphql` });
      const down = onlyError((await book(trainedInChongqing.token, instrumentId, slots.take(), { url: sichuan.url })).body);
      expect(down.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'PARTNER_UNAVAILABLE' });
      expect(down.message).toMatch(/Chongqing could not be asked .* nothing was booked\. Retry later\./);
    } finally {
      await sichuan?.close();
      await lonelyGateway.close();
    }
  }, 60_000);
});

describe('booking rules', () => {
  it('refuses a start inside the minimum lead time, naming the earliest start', async () => {
    const instrumentId = await createInstrument('sichuan');
    await setRules(instrumentId, { minLeadMinutes: 2 * 1440 });
    const researcher = await person('lead');
    const tooSoon = onlyError((await book(researcher.token, instrumentId, { start: localTime(1, 10), end: localTime(1, 11) })).body);
    expect(tooSoon.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'LEAD_TIME', minLeadMinutes: 2880 });
    expect(tooSoon.message).toContain('at least 2 days ahead');
    await ok(book(researcher.token, instrumentId, { start: localTime(3, 10), end: localTime(3, 11) }));
  });

  it('records a requester’s cancellation after the deadline as late, and not an admin’s or one in time', async () => {
    const instrumentId = await createInstrument('sichuan');
    await setRules(instrumentId, { cancellationDeadlineMinutes: 3 * 1440 });
    const researcher = await person('cancel');
    const cancel = async (bookingId: string, as: string) =>
      (await ok(gateway(`mutation($id: ID!) { c: cancel${SC}Booking(bookingId: $id) { status lateCancellation } }`, { token: as, variables: { id: bookingId } }))).c;
    const soon = (await ok(book(researcher.token, instrumentId, { start: localTime(2, 10), end: localTime(2, 11) }))).booking.id;
    const byAdmin = (await ok(book(researcher.token, instrumentId, { start: localTime(2, 12), end: localTime(2, 13) }))).booking.id;
    const later = (await ok(book(researcher.token, instrumentId, { start: localTime(10, 10), end: localTime(10, 11) }))).booking.id;
    expect(await cancel(soon, researcher.token)).toEqual({ status: 'CANCELLED', lateCancellation: true });
    expect(await cancel(byAdmin, await tokenFor('sc.admin'))).toEqual({ status: 'CANCELLED', lateCancellation: false });
    expect(await cancel(later, researcher.token)).toEqual({ status: 'CANCELLED', lateCancellation: false });
  });

  it('records who asked, relative to the owner: own province, other province', async () => {
    const instrumentId = await createInstrument('sichuan');
    const slots = new SlotAllocator(40);
    expect((await ok(book(await tokenFor('li.wei'), instrumentId, slots.take()))).booking.requesterCategory).toBe('OWN_PROVINCE');
    expect((await ok(book(await tokenFor('chen.jing'), instrumentId, slots.take()))).booking.requesterCategory).toBe('OTHER_PROVINCE');
  });
});

/** A confirmed booking of `token`'s owner that started `minutesAgo` minutes ago and lasts two hours. */
async function startedBooking(token: string, instrumentId: string, slots: SlotAllocator, minutesAgo = 10): Promise<string> {
  const id = (await ok(book(token, instrumentId, slots.take()))).booking.id;
  await confirm('sichuan', id);
  await sql('sichuan', `UPDATE bookings SET starts_at = now() - make_interval(mins => $2), ends_at = now() - make_interval(mins => $2) + interval '2 hours' WHERE id = $1`, [localIdOf(id), minutesAgo]);
  return id;
}

const CHECK_IN = `mutation($id: ID!, $at: DateTime) { b: checkIn${SC}Booking(bookingId: $id, at: $at) { status actualStart actualEnd } }`;
const CHECK_OUT = `mutation($id: ID!, $at: DateTime) { b: checkOut${SC}Booking(bookingId: $id, at: $at) { status actualStart actualEnd } }`;

describe('actual use', () => {
  it('is recorded by Sichuan staff or a kiosk holding usage:record:sichuan, and nobody else', async () => {
    const instrumentId = await createInstrument('sichuan');
    const researcher = await person('user');
    const slots = new SlotAllocator(50);
    const bookingId = await startedBooking(researcher.token, instrumentId, slots);
    // Each kiosk is granted its scope by its own province, which alone decides who records use of its instruments.
    const chongqingKiosk = await createPartnerClient(['usage:record:chongqing'], { organisation: 'Chongqing kiosk', grants: { chongqing: ['usage:record:chongqing'] } });
    const sichuanKiosk = await createPartnerClient(['usage:record:sichuan'], { organisation: 'Sichuan kiosk', grants: { sichuan: ['usage:record:sichuan'] } });
    for (const token of [researcher.token, await tokenFor('cq.admin'), chongqingKiosk.token, await tokenFor('platform.admin')]) {
      expect(onlyError((await gateway(CHECK_IN, { token, variables: { id: bookingId } })).body).extensions!.code).toBe('FORBIDDEN');
    }
    expect(onlyError((await gateway(CHECK_IN, { variables: { id: bookingId } })).body).extensions!.code).toBe('UNAUTHENTICATED');
    expect((await sql('sichuan', 'SELECT actual_start FROM bookings WHERE id = $1', [localIdOf(bookingId)]))[0]!['actual_start']).toBeNull();

    const checkedIn = (await ok(gateway(CHECK_IN, { token: sichuanKiosk.token, variables: { id: bookingId } }))).b;
    expect(checkedIn).toMatchObject({ status: 'CONFIRMED', actualEnd: null });
    expect(Math.abs(Date.parse(checkedIn.actualStart) - Date.now())).toBeLessThan(60_000);
    expect(onlyError((await gateway(CHECK_IN, { token: sichuanKiosk.token, variables: { id: bookingId } })).body).extensions).toMatchObject({ code: 'CONFLICT' });

    const checkedOut = (await ok(gateway(CHECK_OUT, { token: await tokenFor('sc.admin'), variables: { id: bookingId } }))).b;
    expect(checkedOut.status).toBe('COMPLETED');
    expect(Date.parse(checkedOut.actualEnd)).toBeGreaterThan(Date.parse(checkedOut.actualStart));
    const history = await sql('sichuan', 'SELECT e.status, e.actor_name, e.note FROM booking_events e WHERE booking_id = $1 ORDER BY id', [localIdOf(bookingId)]);
    expect(history.map((row) => [row['status'], row['actor_name']])).toEqual([
      ['REQUESTED', 'Token Test'], ['CONFIRMED', 'Sichuan Registry Admin'], ['CONFIRMED', 'Sichuan kiosk'], ['COMPLETED', 'Sichuan Registry Admin'],
    ]);
  });

  it('refuses a check-out before the check-in and a check-in outside the booking', async () => {
    const instrumentId = await createInstrument('sichuan');
    const researcher = await person('early');
    const bookingId = await startedBooking(researcher.token, instrumentId, new SlotAllocator(50));
    const admin = await tokenFor('sc.admin');
    expect(onlyError((await gateway(CHECK_OUT, { token: admin, variables: { id: bookingId } })).body).message).toContain('record the check-in first');
    const tooEarly = new Date(Date.now() - 3 * 3_600_000).toISOString();
    expect(onlyError((await gateway(CHECK_IN, { token: admin, variables: { id: bookingId, at: tooEarly } })).body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'at' });
  });
});

describe('ratings', () => {
  it('are given once, by the requester only, for a completed booking', async () => {
    const instrumentId = await createInstrument('sichuan');
    const researcher = await person('rater');
    const other = await person('other');
    const slots = new SlotAllocator(60);
    const bookingId = await startedBooking(researcher.token, instrumentId, slots);
    const RATE = `mutation($id: ID!, $s: Int!, $c: String) { r: rate${SC}Booking(bookingId: $id, score: $s, comment: $c) { rating { score comment } } }`;
    expect(onlyError((await gateway(RATE, { token: researcher.token, variables: { id: bookingId, s: 5 } })).body).extensions).toMatchObject({ code: 'CONFLICT' });
    const admin = await tokenFor('sc.admin');
    await ok(gateway(CHECK_IN, { token: admin, variables: { id: bookingId } }));
    await ok(gateway(CHECK_OUT, { token: admin, variables: { id: bookingId } }));

    expect(onlyError((await gateway(RATE, { token: other.token, variables: { id: bookingId, s: 1 } })).body).extensions!.code).toBe('FORBIDDEN');
    expect(onlyError((await gateway(RATE, { token: researcher.token, variables: { id: bookingId, s: 6 } })).body).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await ok(gateway(RATE, { token: researcher.token, variables: { id: bookingId, s: 4, c: 'Clean and well kept' } }))).r.rating)
      .toEqual({ score: 4, comment: 'Clean and well kept' });
    const again = onlyError((await gateway(RATE, { token: researcher.token, variables: { id: bookingId, s: 2 } })).body);
    expect(again.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_RATED' });
    expect(await sql('sichuan', 'SELECT score FROM booking_ratings WHERE booking_id = $1', [localIdOf(bookingId)])).toEqual([{ score: 4 }]);
  });
});

describe('no-shows', () => {
  it('are marked by the sweeper after the grace period, and three suspend self-booking', async () => {
    const researcher = await person('absent');
    const slots = new SlotAllocator(70);
    // Each on an instrument of its own: bookings that started minutes apart would overlap on one.
    const startedOnOwnInstrument = async (minutesAgo: number) => startedBooking(researcher.token, await createInstrument('sichuan'), slots, minutesAgo);
    const missed = [await startedOnOwnInstrument(30), await startedOnOwnInstrument(40), await startedOnOwnInstrument(50)];
    const withinGrace = await startedOnOwnInstrument(5);
    const attended = await startedOnOwnInstrument(45);
    await ok(gateway(CHECK_IN, { token: await tokenFor('sc.admin'), variables: { id: attended } }));
    const instrumentId = await createInstrument('sichuan');

    const sweeping = await startOwnProvince('sichuan-sweeper', 'sichuan', { NO_SHOW_SWEEP_SECONDS: '1', NO_SHOW_GRACE_MINUTES: '15', NO_SHOW_LIMIT: '3' });
    try {
      const statuses = async () =>
        Object.fromEntries((await sql('sichuan', 'SELECT id, status FROM bookings WHERE user_id = $1', [researcher.id])).map((r) => [r['id'], r['status']]));
      await until('the sweeper marks the no-shows', async () => (await statuses())[localIdOf(missed[2]!)] === 'NO_SHOW');
      const after = await statuses();
      expect(missed.map((id) => after[localIdOf(id)])).toEqual(['NO_SHOW', 'NO_SHOW', 'NO_SHOW']);
      expect(after[localIdOf(withinGrace)]).toBe('CONFIRMED');
      expect(after[localIdOf(attended)]).toBe('CONFIRMED');
      // Each no-show is an event for partners, written with the change: ids and the new state, nobody's name.
      const events = await sql('sichuan', "SELECT entity_id, state FROM events WHERE type = 'booking.no_show' AND entity_id = ANY ($1)", [[...missed, withinGrace, attended]]);
      expect(events.map((event) => event['entity_id']).sort()).toEqual([...missed].sort());
      expect(events.map((event) => Object.keys(event['state']).sort())).toEqual(missed.map(() => ['end', 'instrumentId', 'start', 'status']));
    } finally {
      await sweeping.close();
    }
    const suspended = onlyError((await book(researcher.token, instrumentId, slots.take())).body);
    expect(suspended.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'BOOKING_SUSPENDED' });
    expect(suspended.message).toContain('3 of your bookings were not checked in to');
    // Each province decides its own: the Chongqing registry still takes the person's bookings.
    await ok(book(researcher.token, await createInstrument('chongqing'), slots.take(), { province: 'chongqing' }));
  }, 60_000);
});
