import { Client } from 'pg';
import { PROVINCES, seededUserId, type ProvinceKey, type RunningService } from '../../shared/src';
import { DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON } from '../../subgraphs/province/src';
import { startOwnProvince } from '../support/ownServices';
import { until } from '../support/until';
import { ADMIN_OF, SlotAllocator, closePools, createInstrument, localIdOf, newKey, sql } from '../support/registryFixtures';
import { gateway, graphql, onlyError, testSystem, tokenFor } from '../support/system';

/*
 * Issue #17 (6): one person's open bookings in a province are capped
 * (MAX_OPEN_BOOKINGS_PER_PERSON; this file's system runs with the default),
 * so nobody can hold hundreds of requested slots that the exclusion
 * constraint then denies everyone else. Open: requested, or confirmed and
 * not yet ended. Each (person, province) pair below is used by one test only.
 */

const CAP = DEFAULT_MAX_OPEN_BOOKINGS_PER_PERSON;

const BOOK = (P: string) => `mutation($i: ID!, $s: DateTime!, $e: DateTime!, $p: String!, $k: String!) {
  booking: book${P}Instrument(instrumentId: $i, start: $s, end: $e, purpose: $p, idempotencyKey: $k) { id status }
}`;

type Person = 'li.wei' | 'chen.jing';

async function book(province: ProvinceKey, who: Person, instrumentId: string, slot: { start: string; end: string }, key = newKey(), url?: string) {
  const variables = { i: instrumentId, s: slot.start, e: slot.end, p: 'Open booking cap check', k: key };
  const query = BOOK(PROVINCES[province].typePrefix);
  const token = await tokenFor(who);
  return url ? graphql(url, query, { token, variables }) : gateway(query, { token, variables });
}

/** Books `count` distinct slots, one after the other, asserting each is accepted; returns their ids. */
async function fill(province: ProvinceKey, who: Person, instrumentId: string, slots: SlotAllocator, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const { body } = await book(province, who, instrumentId, slots.take());
    expect(body.errors).toBeUndefined();
    ids.push(body.data.booking.id);
  }
  return ids;
}

async function openInDb(province: ProvinceKey, instrumentId: string): Promise<number> {
  const rows = await sql(province, "SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1 AND status IN ('REQUESTED', 'CONFIRMED') AND ends_at > now()", [localIdOf(instrumentId)]);
  return rows[0]!['n'];
}

async function act(province: ProvinceKey, action: 'cancel' | 'reject', bookingId: string, as: string) {
  const P = PROVINCES[province].typePrefix;
  const reason = action === 'reject' ? ', reason: "Make room"' : '';
  const { body } = await gateway(`mutation($id: ID!) { result: ${action}${P}Booking(bookingId: $id${reason}) { status } }`, {
    token: await tokenFor(as),
    variables: { id: bookingId },
  });
  expect(body.errors).toBeUndefined();
}

function expectCapRefusal(body: Parameters<typeof onlyError>[0], province: ProvinceKey, open = CAP) {
  const error = onlyError(body);
  expect(error.extensions).toMatchObject({ code: 'CONFLICT', reason: 'OPEN_BOOKING_LIMIT', limit: CAP, open });
  expect(error.message).toContain(`You already have ${open} open ${PROVINCES[province].nameEn} bookings`);
  expect(error.message).toContain(`at most ${CAP}`);
  expect(error.message).toMatch(/Cancel one you no longer need, or wait until one has ended/);
}

afterAll(() => closePools());

describe('the cap on one person’s open bookings', () => {
  it('refuses the request beyond the cap in that province only, naming the cap, the count and what to do, through the gateway and at the subgraph', async () => {
    const instrumentId = await createInstrument('sichuan');
    const slots = new SlotAllocator(40);
    await fill('sichuan', 'li.wei', instrumentId, slots, CAP);

    for (const url of [undefined, testSystem().subgraphUrls.sichuan]) {
      const { status, body } = await book('sichuan', 'li.wei', instrumentId, slots.take(), newKey(), url);
      expect(status).toBe(200);
      expectCapRefusal(body, 'sichuan');
    }
    expect(await openInDb('sichuan', instrumentId)).toBe(CAP);

    // Each province counts its own: at the cap in Sichuan, she may still book in Chongqing.
    const inChongqing = await book('chongqing', 'li.wei', await createInstrument('chongqing'), new SlotAllocator(40).take());
    expect(inChongqing.body.errors).toBeUndefined();
  });

  it('lets only the cap through of many requests sent at once by one person', async () => {
    const instrumentId = await createInstrument('chongqing');
    const slots = new SlotAllocator(50);
    // Fifteen requests at once race for the last five places. (All sixty at once queue on one person's lock, which
    // on a busy machine can outlast the gateway's subgraph timeout: that would measure the machine, not the cap.)
    const placesLeft = 5;
    await fill('chongqing', 'chen.jing', instrumentId, slots, CAP - placesLeft);
    const requests = Array.from({ length: placesLeft + 10 }, () => slots.take());
    const answers = await Promise.all(requests.map((slot) => book('chongqing', 'chen.jing', instrumentId, slot)));

    const accepted = answers.filter((answer) => answer.body.data?.booking);
    const refused = answers.filter((answer) => answer.body.errors);
    expect({ accepted: accepted.length, refused: refused.length }).toEqual({ accepted: placesLeft, refused: 10 });
    for (const answer of refused) expectCapRefusal(answer.body, 'chongqing');
    expect(await openInDb('chongqing', instrumentId)).toBe(CAP);
  });

  it('still answers a repeated request at the cap, and frees a place when a booking is cancelled, rejected or has ended', async () => {
    const instrumentId = await createInstrument('sichuan');
    const slots = new SlotAllocator(60);
    const firstSlot = slots.take();
    const firstKey = newKey();
    const first = await book('sichuan', 'chen.jing', instrumentId, firstSlot, firstKey);
    const ids = [first.body.data.booking.id as string, ...(await fill('sichuan', 'chen.jing', instrumentId, slots, CAP - 1))];
    expectCapRefusal((await book('sichuan', 'chen.jing', instrumentId, slots.take())).body, 'sichuan');

    // A retry of a request already made is no new booking: it gets its booking, cap or not.
    const repeated = await book('sichuan', 'chen.jing', instrumentId, firstSlot, firstKey);
    expect(repeated.body.errors).toBeUndefined();
    expect(repeated.body.data.booking.id).toBe(ids[0]);

    const freedBy = {
      cancelling: () => act('sichuan', 'cancel', ids[1]!, 'chen.jing'),
      rejecting: () => act('sichuan', 'reject', ids[2]!, ADMIN_OF.sichuan),
      'its end passing': () => sql('sichuan', "UPDATE bookings SET starts_at = starts_at - interval '400 days', ends_at = ends_at - interval '400 days' WHERE id = $1", [localIdOf(ids[3]!)]),
    };
    for (const [how, free] of Object.entries(freedBy)) {
      await free();
      const again = await book('sichuan', 'chen.jing', instrumentId, slots.take());
      expect({ how, errors: again.body.errors }).toEqual({ how, errors: undefined });
      expectCapRefusal((await book('sichuan', 'chen.jing', instrumentId, slots.take())).body, 'sichuan');
    }
  });
});

// li.wei holds one open booking in Chongqing (the first test): far below the cap the file's own subgraph keeps.
describe('without a cap (MAX_OPEN_BOOKINGS_PER_PERSON=0)', () => {
  let uncapped: RunningService;
  /** A session of the test's own on Chongqing's database, holding the lock a cap queues li.wei's requests on. */
  let holder: Client;
  const personLock = "SELECT pg_advisory_lock(hashtextextended('bookings.requester:' || $1, 0))";
  const waitingForAdvisoryLocks = async () =>
    (await sql('chongqing', "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0]!['n'] as number;

  beforeAll(async () => {
    uncapped = await startOwnProvince('chongqing-uncapped', 'chongqing', { MAX_OPEN_BOOKINGS_PER_PERSON: '0' });
    holder = new Client({ connectionString: testSystem().databaseUrls.chongqing });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await uncapped?.close();
  });

  it('queues no request behind the person’s other ones: only a cap needs that', async () => {
    const instrumentId = await createInstrument('chongqing');
    const slots = new SlotAllocator(80);
    await holder.query(personLock, [seededUserId('li.wei')]);
    try {
      // Uncapped, the request books while the person's lock is held elsewhere.
      const uncappedAnswer = await book('chongqing', 'li.wei', instrumentId, slots.take(), newKey(), uncapped.url);
      expect(uncappedAnswer.body.errors).toBeUndefined();
      // Capped (the file's own subgraph), the same request waits for it.
      const capped = book('chongqing', 'li.wei', instrumentId, slots.take(), newKey(), testSystem().subgraphUrls.chongqing);
      await until('the capped request waiting for the person’s lock', async () => (await waitingForAdvisoryLocks()) === 1);
      await holder.query("SELECT pg_advisory_unlock(hashtextextended('bookings.requester:' || $1, 0))", [seededUserId('li.wei')]);
      expect((await capped).body.errors).toBeUndefined();
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
    }
    expect(await openInDb('chongqing', instrumentId)).toBe(2);
  });

  it('still books once for one key sent many times at once, and answers every repeat with that booking', async () => {
    const instrumentId = await createInstrument('chongqing');
    const slot = new SlotAllocator(90).take();
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 8 }, () => book('chongqing', 'li.wei', instrumentId, slot, key, uncapped.url)));
    const ids = new Set(answers.map((answer) => answer.body.data?.booking?.id));
    expect(answers.map((answer) => answer.body.errors)).toEqual(Array(8).fill(undefined));
    expect(ids.size).toBe(1);
    expect(await openInDb('chongqing', instrumentId)).toBe(1);
  });
});
