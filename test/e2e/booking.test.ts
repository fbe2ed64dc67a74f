import { Client } from 'pg';
import { PROVINCES, encodeGlobalId, seededUserId, type ProvinceKey } from '../../shared/src';
import { DEMO_SEEDS, seededId } from '../support/demoData';
import { gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';

/** Bookable seeded instruments open at least 09:00–17:00, a different one per test so tests never share a slot. */
const bookable = (province: ProvinceKey) =>
  DEMO_SEEDS[province].instruments
    .filter((i) => i.openForSharing && i.status === 'IN_SERVICE' && i.openFromHour <= 9 && i.openToHour >= 17)
    .map((i) => ({ ...i, id: encodeGlobalId(PROVINCES[province], 'instrument', seededId(province, 'instrument', i.code)) }));

/** `hour`:00 local time (UTC+8) `days` days from today. */
function localTime(days: number, hour: number, minute = 0): string {
  const now = new Date();
  const localMidnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 8 * 3_600_000;
  return new Date(localMidnight + days * 86_400_000 + (hour * 60 + minute) * 60_000).toISOString();
}

let keyCounter = 0;
const newKey = () => `booking-key-${++keyCounter}`;

const BOOK = (P: string) => `mutation Book($instrumentId: ID!, $start: DateTime!, $end: DateTime!, $purpose: String!, $key: String!) {
  booking: book${P}Instrument(instrumentId: $instrumentId, start: $start, end: $end, purpose: $purpose, idempotencyKey: $key) {
    id status start end instrument { id name } user { id displayName }
  }
}`;

async function book(province: ProvinceKey, token: string, instrumentId: string, start: string, end: string, key = newKey(), url?: string) {
  const P = PROVINCES[province].typePrefix;
  const variables = { instrumentId, start, end, purpose: 'Protein structure screening run', key };
  return url ? graphql(url, BOOK(P), { token, variables }) : gateway(BOOK(P), { token, variables });
}

async function transition(province: ProvinceKey, action: 'confirm' | 'reject' | 'cancel' | 'complete', token: string, bookingId: string, url?: string) {
  const P = PROVINCES[province].typePrefix;
  const reasonArg = action === 'reject' ? ', reason: "Instrument reserved for calibration"' : '';
  const query = `mutation T($id: ID!) { result: ${action}${P}Booking(bookingId: $id${reasonArg}) { id status history { status actor { id } note } } }`;
  return url ? graphql(url, query, { token, variables: { id: bookingId } }) : gateway(query, { token, variables: { id: bookingId } });
}

/** Requested or confirmed bookings of an instrument in the province's own database, overlapping [from, to) when given. */
async function activeBookingsInDb(province: ProvinceKey, localInstrumentId: string, from = new Date().toISOString(), to = 'infinity'): Promise<number> {
  const client = new Client({ connectionString: testSystem().databaseUrls[province] });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1 AND status IN ('REQUESTED', 'CONFIRMED')
         AND tstzrange(starts_at, ends_at) && tstzrange($2::timestamptz, $3::timestamptz)`,
      [localInstrumentId, from, to],
    );
    return result.rows[0].n;
  } finally {
    await client.end();
  }
}

const localIdOf = (globalId: string) => globalId.split(':')[2]!;
/** The active bookings themselves (id and purpose) of an instrument overlapping [from, to). */
async function activeRows(province: ProvinceKey, localInstrumentId: string, from: string, to: string): Promise<{ id: string; purpose: string }[]> {
  const client = new Client({ connectionString: testSystem().databaseUrls[province] });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT id, purpose FROM bookings WHERE instrument_id = $1 AND status IN ('REQUESTED', 'CONFIRMED')
         AND tstzrange(starts_at, ends_at) && tstzrange($2::timestamptz, $3::timestamptz)`,
      [localInstrumentId, from, to],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}


describe('booking a partner province’s instrument', () => {
  it('lets a Chongqing researcher book a Sichuan instrument, a Sichuan admin confirm it, and shows it in her bookings', async () => {
    const instrument = bookable('sichuan')[0]!;
    const researcher = await tokenFor('chen.jing');
    const requested = await book('sichuan', researcher, instrument.id, localTime(7, 10), localTime(7, 12));
    expect(requested.body.errors).toBeUndefined();
    const booking = requested.body.data.booking;
    expect(booking).toMatchObject({ status: 'REQUESTED', instrument: { id: instrument.id, name: instrument.name }, user: { displayName: 'Chen Jing' } });
    expect(booking.id.startsWith('sc:booking:')).toBe(true);

    const confirmed = await transition('sichuan', 'confirm', await tokenFor('sc.admin'), booking.id);
    expect(confirmed.body.errors).toBeUndefined();
    expect(confirmed.body.data.result.status).toBe('CONFIRMED');
    expect(confirmed.body.data.result.history.map((e: any) => e.status)).toEqual(['REQUESTED', 'CONFIRMED']);

    // Her only booking: the seed books nothing in her name.
    const mine = await gateway(`{ me { sichuanBookings { id status instrument { name } history { status actorName actor { displayName } } } chongqingBookings { id } } }`, { token: researcher });
    expect(mine.body).toEqual({
      data: {
        me: {
          sichuanBookings: [{
            id: booking.id,
            status: 'CONFIRMED',
            instrument: { name: instrument.name },
            // The admin who confirmed is named, not shown as an account ("who acted on a booking" below).
            history: [
              { status: 'REQUESTED', actorName: 'Chen Jing', actor: { displayName: 'Chen Jing' } },
              { status: 'CONFIRMED', actorName: 'Sichuan Registry Admin', actor: null },
            ],
          }],
          chongqingBookings: [],
        },
      },
    });

    const requestedOnly = await gateway(`{ me { sichuanBookings(status: REQUESTED) { id } } }`, { token: researcher });
    expect(requestedOnly.body).toEqual({ data: { me: { sichuanBookings: [] } } });
  });

  it('shows a researcher’s bookings of both provinces in one request, each answered by its own province', async () => {
    const token = await tokenFor('li.wei');
    const inChongqing = await book('chongqing', token, bookable('chongqing')[1]!.id, localTime(8, 9), localTime(8, 10));
    const inSichuan = await book('sichuan', token, bookable('sichuan')[1]!.id, localTime(8, 9), localTime(8, 10));
    const { body } = await gateway(`{ me { sichuanBookings { id } chongqingBookings { id } } }`, { token });
    // Her first bookings in this file; the seed books nothing in her name.
    expect(body).toEqual({
      data: { me: { sichuanBookings: [{ id: inSichuan.body.data.booking.id }], chongqingBookings: [{ id: inChongqing.body.data.booking.id }] } },
    });
    expect(inChongqing.body.data.booking.id).toMatch(/^cq:booking:/);
    expect(inSichuan.body.data.booking.id).toMatch(/^sc:booking:/);
  });
});

describe('no double booking', () => {
  it('lets exactly one of 20 concurrent requests for the same slot win; the others get CONFLICT naming the period', async () => {
    const instrument = bookable('chongqing')[2]!;
    const tokens = [await tokenFor('li.wei'), await tokenFor('chen.jing')];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => book('chongqing', tokens[i % 2]!, instrument.id, localTime(9, 13), localTime(9, 15))),
    );
    const winners = responses.filter((r) => r.body.data?.booking);
    const losers = responses.filter((r) => r.body.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.status).toBe(200);
      const error = onlyError(loser.body);
      expect(error.extensions?.['code']).toBe('CONFLICT');
      expect(error.message).toMatch(/already booked from \d{4}-\d{2}-\d{2} 13:00 \(UTC\+8\) to \d{4}-\d{2}-\d{2} 15:00/);
    }
    expect(await activeBookingsInDb('chongqing', localIdOf(instrument.id), localTime(9, 13), localTime(9, 15))).toBe(1);
  });

  it('refuses an overlapping slot but accepts the adjacent one and a slot freed by cancellation', async () => {
    const instrument = bookable('chongqing')[3]!;
    const token = await tokenFor('li.wei');
    const first = await book('chongqing', token, instrument.id, localTime(10, 10), localTime(10, 12));
    expect(first.body.errors).toBeUndefined();
    const overlap = await book('chongqing', token, instrument.id, localTime(10, 11), localTime(10, 13));
    expect(onlyError(overlap.body).extensions?.['code']).toBe('CONFLICT');
    const adjacent = await book('chongqing', token, instrument.id, localTime(10, 12), localTime(10, 13));
    expect(adjacent.body.errors).toBeUndefined();

    const cancelled = await transition('chongqing', 'cancel', token, first.body.data.booking.id);
    expect(cancelled.body.data.result.status).toBe('CANCELLED');
    const again = await book('chongqing', await tokenFor('chen.jing'), instrument.id, localTime(10, 10), localTime(10, 12));
    expect(again.body.errors).toBeUndefined();
  });
});

describe('idempotency', () => {
  it('returns the first booking when a request is repeated with the same key, and creates nothing new', async () => {
    const instrument = bookable('sichuan')[4]!;
    const token = await tokenFor('chen.jing');
    const key = newKey();
    const first = await book('sichuan', token, instrument.id, localTime(11, 9), localTime(11, 11), key);
    const replays = await Promise.all([1, 2, 3].map(() => book('sichuan', token, instrument.id, localTime(11, 9), localTime(11, 11), key)));
    for (const replay of replays) {
      expect(replay.body.errors).toBeUndefined();
      expect(replay.body.data.booking.id).toBe(first.body.data.booking.id);
    }
    expect(await activeBookingsInDb('sichuan', localIdOf(instrument.id), localTime(11, 0), localTime(13, 0))).toBe(1);

    const reused = await book('sichuan', token, instrument.id, localTime(12, 9), localTime(12, 11), key);
    expect(onlyError(reused.body).extensions?.['code']).toBe('CONFLICT');
    expect(onlyError(reused.body).message).toMatch(/idempotencyKey was already used/);
    expect(await activeBookingsInDb('sichuan', localIdOf(instrument.id), localTime(11, 0), localTime(13, 0))).toBe(1);
  });
});

describe('an idempotency key reused with any different argument', () => {
  const instrument = () => bookable('sichuan')[8]!;
  const other = () => bookable('sichuan')[9]!;
  const request = (token: string, key: string, args: { instrumentId: string; start: string; end: string; purpose: string }) =>
    gateway(BOOK('Sichuan'), { token, variables: { ...args, key } });
  /** Active bookings of either instrument on local day `day`. */
  const bookedOn = async (day: number) =>
    (await activeBookingsInDb('sichuan', localIdOf(instrument().id), localTime(day, 0), localTime(day + 1, 0))) +
    (await activeBookingsInDb('sichuan', localIdOf(other().id), localTime(day, 0), localTime(day + 1, 0)));

  it.each([
    ['the purpose', 21, () => ({ purpose: 'Metabolomics profiling of serum samples' }), ['purpose']],
    ['the purpose’s letter case only', 22, () => ({ purpose: 'PROTEIN structure screening run' }), ['purpose']],
    ['the end', 23, (day: number) => ({ end: localTime(day, 11) }), ['end']],
    ['the start', 24, (day: number) => ({ start: localTime(day, 8, 30) }), ['start']],
    ['the instrument', 25, () => ({ instrumentId: other().id }), ['instrumentId']],
    ['everything', 26, (day: number) => ({ instrumentId: other().id, start: localTime(day, 13), end: localTime(day, 14), purpose: 'Another run' }), ['instrumentId', 'start', 'end', 'purpose']],
  ])('refuses a reuse differing in %s with CONFLICT naming the difference, and writes nothing', async (_what, day, change, fields) => {
    const token = await tokenFor('chen.jing');
    const key = newKey();
    const first = { instrumentId: instrument().id, start: localTime(day, 9), end: localTime(day, 10), purpose: 'Protein structure screening run' };
    const made = await request(token, key, first);
    expect(made.body.errors).toBeUndefined();
    expect(await bookedOn(day)).toBe(1);

    const reused = await request(token, key, { ...first, ...change(day) });
    const error = onlyError(reused.body);
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', argument: 'idempotencyKey', differingFields: fields });
    expect(error.message).toMatch(/idempotencyKey was already used for a different booking request/);
    expect(error.message).toContain(`${fields.join(', ')} ${fields.length === 1 ? 'differs' : 'differ'} from the first request`);
    expect(await bookedOn(day)).toBe(1);

    // The first request, repeated exactly (its purpose with other spaces around it), still gets its booking.
    const repeated = await request(token, key, { ...first, purpose: `  ${first.purpose} ` });
    expect(repeated.body.data?.booking.id).toBe(made.body.data.booking.id);
  });

  it('books once when one key is sent at once with two purposes: the winner’s repeats get its booking, the others CONFLICT', async () => {
    const token = await tokenFor('li.wei');
    const key = newKey();
    const slot = { instrumentId: instrument().id, start: localTime(27, 14), end: localTime(27, 15) };
    const purposes = ['Protein structure screening run', 'Crystal growth screening run'];
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => request(token, key, { ...slot, purpose: purposes[i % 2]! })));

    const rows = await activeRows('sichuan', localIdOf(instrument().id), slot.start, slot.end);
    expect(rows).toHaveLength(1);
    answers.forEach((answer, i) => {
      if (purposes[i % 2] === rows[0]!.purpose) {
        expect(answer.body.data?.booking.id).toBe(`sc:booking:${rows[0]!.id}`);
      } else {
        expect(onlyError(answer.body).extensions).toMatchObject({ code: 'CONFLICT', differingFields: ['purpose'] });
      }
    });
  });
});

describe('the workflow', () => {
  let bookingId: string;
  const instrument = () => bookable('sichuan')[5]!;

  beforeAll(async () => {
    const created = await book('sichuan', await tokenFor('chen.jing'), instrument().id, localTime(13, 14), localTime(13, 16));
    bookingId = created.body.data.booking.id;
  });

  it('refuses confirmation by a Chongqing admin, through the gateway and directly at the Sichuan subgraph', async () => {
    const cqAdmin = await tokenFor('cq.admin');
    for (const url of [undefined, testSystem().subgraphUrls.sichuan]) {
      const { body } = await transition('sichuan', 'confirm', cqAdmin, bookingId, url);
      expect(onlyError(body).extensions?.['code']).toBe('FORBIDDEN');
      expect(onlyError(body).message).toMatch(/Only a Sichuan admin/);
    }
  });

  it('refuses confirmation by a researcher, even the requester', async () => {
    const { body } = await transition('sichuan', 'confirm', await tokenFor('chen.jing'), bookingId);
    expect(onlyError(body).extensions?.['code']).toBe('FORBIDDEN');
  });

  it('refuses cancellation by another researcher, directly at the subgraph too', async () => {
    for (const url of [undefined, testSystem().subgraphUrls.sichuan]) {
      const { body } = await transition('sichuan', 'cancel', await tokenFor('li.wei'), bookingId, url);
      expect(onlyError(body).extensions?.['code']).toBe('FORBIDDEN');
    }
  });

  it('refuses completing a booking that has not ended, and any move from a terminal state', async () => {
    const admin = await tokenFor('sc.admin');
    const early = await transition('sichuan', 'complete', admin, bookingId);
    expect(onlyError(early.body).extensions?.['code']).toBe('CONFLICT');

    const rejected = await transition('sichuan', 'reject', admin, bookingId);
    expect(rejected.body.data.result.status).toBe('REJECTED');
    expect(rejected.body.data.result.history.at(-1).note).toBe('Instrument reserved for calibration');
    for (const action of ['confirm', 'cancel', 'reject', 'complete'] as const) {
      const { body } = await transition('sichuan', action, admin, bookingId);
      expect(onlyError(body).extensions?.['code']).toBe('CONFLICT');
    }
    const cancelledThenConfirmed = await book('sichuan', await tokenFor('chen.jing'), instrument().id, localTime(14, 14), localTime(14, 15));
    const id = cancelledThenConfirmed.body.data.booking.id;
    await transition('sichuan', 'cancel', await tokenFor('chen.jing'), id);
    const { body } = await transition('sichuan', 'confirm', admin, id);
    expect(onlyError(body).extensions?.['code']).toBe('CONFLICT');
    expect(onlyError(body).message).toMatch(/A cancelled booking cannot be confirmed/);
  });

  it('completes a confirmed booking once it has ended', async () => {
    // A seeded booking in the past, confirmed, ready to be completed by its province.
    const client = new Client({ connectionString: testSystem().databaseUrls.sichuan });
    await client.connect();
    const { rows } = await client.query("SELECT id FROM bookings WHERE status = 'CONFIRMED' AND ends_at < now() LIMIT 1");
    await client.end();
    expect(rows).toHaveLength(1);
    const id = encodeGlobalId(PROVINCES.sichuan, 'booking', rows[0].id);
    const completed = await transition('sichuan', 'complete', await tokenFor('sc.admin'), id);
    expect(completed.body.errors).toBeUndefined();
    expect(completed.body.data.result.status).toBe('COMPLETED');
  });

  it('lets only Sichuan admins list Sichuan bookings', async () => {
    const query = `{ sichuan { bookings(status: REQUESTED, first: 5) { totalCount edges { node { id status } } } } }`;
    const admin = await gateway(query, { token: await tokenFor('sc.admin') });
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data.sichuan.bookings.edges.every((e: any) => e.node.status === 'REQUESTED')).toBe(true);
    const other = await gateway(query, { token: await tokenFor('cq.admin') });
    expect(onlyError(other.body).extensions?.['code']).toBe('FORBIDDEN');
  });
});

describe('who may book, and the rules of a slot', () => {
  const instrument = () => bookable('chongqing')[6]!;

  it('refuses anonymous callers and partner clients', async () => {
    const anonymous = await gateway(BOOK('Chongqing'), { variables: { instrumentId: instrument().id, start: localTime(15, 10), end: localTime(15, 11), purpose: 'Sample run', key: newKey() } });
    expect(onlyError(anonymous.body).extensions?.['code']).toBe('UNAUTHENTICATED');
    const client = await gateway(`mutation { issueClientToken(clientId: "demo-partner", clientSecret: "shuangcheng-demo-secret") { token } }`);
    const partner = await book('chongqing', client.body.data.issueClientToken.token, instrument().id, localTime(15, 10), localTime(15, 11));
    expect(onlyError(partner.body).extensions?.['code']).toBe('FORBIDDEN');
  });

  it.each([
    ['a start in the past', -1, 10, -1, 11, 'BAD_USER_INPUT', /in the future/],
    ['end before start', 15, 11, 15, 10, 'BAD_USER_INPUT', /after start/],
    ['a slot outside opening hours', 15, 5, 15, 6, 'BAD_USER_INPUT', /open \d\d:00–\d\d:00/],
    ['a slot not on a half hour', 15, 10.25, 15, 11, 'BAD_USER_INPUT', /whole or half hour/],
    ['a booking shorter than the minimum', 15, 10, 15, 10.01, 'BAD_USER_INPUT', /whole or half hour|lasts/],
    ['a booking longer than the maximum', 15, 8, 15, 17.5, 'BAD_USER_INPUT', /lasts 30–480 minutes/],
    ['a slot beyond the booking horizon', 400, 10, 400, 11, 'BAD_USER_INPUT', /at most 180 days ahead/],
  ])('refuses %s, writing nothing', async (_, d1, h1, d2, h2, code, message) => {
    const before = await activeBookingsInDb('chongqing', localIdOf(instrument().id));
    const toTime = (days: number, hours: number) => localTime(days, Math.floor(hours), Math.round((hours % 1) * 60));
    const { body } = await book('chongqing', await tokenFor('li.wei'), instrument().id, toTime(d1, h1), toTime(d2, h2));
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe(code);
    expect(error.message).toMatch(message);
    expect(await activeBookingsInDb('chongqing', localIdOf(instrument().id))).toBe(before);
  });

  it('refuses instruments under maintenance or not shared, and ids of the other province', async () => {
    const token = await tokenFor('li.wei');
    const maintenance = DEMO_SEEDS.chongqing.instruments.find((i) => i.status === 'MAINTENANCE')!;
    const id = encodeGlobalId(PROVINCES.chongqing, 'instrument', seededId('chongqing', 'instrument', maintenance.code));
    const refused = await book('chongqing', token, id, localTime(15, 10), localTime(15, 11));
    expect(onlyError(refused.body).extensions?.['code']).toBe('CONFLICT');
    expect(onlyError(refused.body).message).toMatch(/under maintenance/);

    const foreign = await book('chongqing', token, bookable('sichuan')[0]!.id, localTime(15, 10), localTime(15, 11));
    expect(onlyError(foreign.body).extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(onlyError(foreign.body).message).toMatch(/belongs to Sichuan/);
  });

  it('refuses an empty purpose and a malformed idempotency key', async () => {
    const token = await tokenFor('li.wei');
    const { body } = await gateway(BOOK('Chongqing'), {
      token,
      variables: { instrumentId: instrument().id, start: localTime(15, 10), end: localTime(15, 11), purpose: '  ', key: 'x' },
    });
    const error = onlyError(body);
    expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/booking.purpose/);
    expect(error.message).toMatch(/booking.idempotencyKey/);
  });
});

describe('who acted on a booking', () => {
  const historyQuery = (userFields: string) =>
    `query H($id: ID!) { sichuan { booking(id: $id) { history { status actorName actor { ${userFields} } } } } }`;
  const HISTORY = historyQuery('id username roles displayName');
  /** A Sichuan booking of Li Wei's, confirmed by the Sichuan admin: its id. */
  async function confirmedBooking(day: number): Promise<string> {
    const requested = await book('sichuan', await tokenFor('li.wei'), bookable('sichuan')[7]!.id, localTime(day, 10), localTime(day, 11));
    const { id } = requested.body.data.booking;
    expect((await transition('sichuan', 'confirm', await tokenFor('sc.admin'), id)).body.errors).toBeUndefined();
    return id;
  }
  const liWei = { id: seededUserId('li.wei'), username: 'li.wei', roles: ['RESEARCHER'], displayName: 'Li Wei' };

  it('shows the researcher the staff member by display name only, through the gateway and at the province subgraph', async () => {
    const id = await confirmedBooking(18);
    const token = await tokenFor('li.wei');
    const history = (own: object) => [
      { status: 'REQUESTED', actorName: 'Li Wei', actor: own },
      { status: 'CONFIRMED', actorName: 'Sichuan Registry Admin', actor: null },
    ];
    expect((await gateway(HISTORY, { token, variables: { id } })).body).toEqual({ data: { sichuan: { booking: { history: history(liWei) } } } });
    // The province knows a User by its id alone: the account it hands out is the whole of what the gateway would complete.
    const direct = await graphql(testSystem().subgraphUrls.sichuan, historyQuery('id'), { token, variables: { id } });
    expect(direct.body).toEqual({ data: { sichuan: { booking: { history: history({ id: liWei.id }) } } } });
  });

  it('shows a Sichuan admin the staff member’s account as well', async () => {
    const id = await confirmedBooking(19);
    const { body } = await gateway(HISTORY, { token: await tokenFor('sc.admin'), variables: { id } });
    expect(body).toEqual({
      data: {
        sichuan: {
          booking: {
            history: [
              { status: 'REQUESTED', actorName: 'Li Wei', actor: liWei },
              {
                status: 'CONFIRMED',
                actorName: 'Sichuan Registry Admin',
                actor: { id: seededUserId('sc.admin'), username: 'sc.admin', roles: ['PROVINCE_ADMIN'], displayName: 'Sichuan Registry Admin' },
              },
            ],
          },
        },
      },
    });
  });
});

describe('availability', () => {
  it('lists free slots within opening hours, leaving out booked periods', async () => {
    const instrument = bookable('sichuan')[6]!;
    const token = await tokenFor('li.wei');
    await book('sichuan', token, instrument.id, localTime(16, 10), localTime(16, 12));
    const { body } = await gateway(`query A($id: ID!, $from: DateTime!, $to: DateTime!) { sichuan { instrument(id: $id) { availability(from: $from, to: $to) { start end } } } }`, {
      variables: { id: instrument.id, from: localTime(16, 0), to: localTime(17, 0) },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.sichuan.instrument.availability).toEqual([
      { start: localTime(16, instrument.openFromHour), end: localTime(16, 10) },
      { start: localTime(16, 12), end: localTime(16, instrument.openToHour) },
    ]);
  });

  it('refuses a range longer than 31 days', async () => {
    const { body } = await gateway(`query A($id: ID!, $from: DateTime!, $to: DateTime!) { sichuan { instrument(id: $id) { availability(from: $from, to: $to) { start } } } }`, {
      variables: { id: bookable('sichuan')[6]!.id, from: localTime(1, 0), to: localTime(40, 0) },
    });
    expect(onlyError(body).extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});
