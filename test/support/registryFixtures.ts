import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PROVINCES, type ProvinceKey } from '../../shared/src';
import { gateway, testSystem, tokenFor } from './system';
import { createUser } from './throwawayIdentities';

/**
 * Fresh registry records for tests that must not touch seeded or shared rows,
 * made through the API as the province's own admin, plus plain SQL on the
 * province's database to read what was (not) written.
 */

export const ADMIN_OF: Readonly<Record<ProvinceKey, string>> = { sichuan: 'sc.admin', chongqing: 'cq.admin' };

const pools = new Map<string, Pool>();

/** One small pool per database per test file; close with `closePools` in afterAll. */
export function pool(owner: ProvinceKey | 'platform'): Pool {
  let found = pools.get(owner);
  if (!found) {
    found = new Pool({ connectionString: testSystem().databaseUrls[owner], max: 2 });
    pools.set(owner, found);
  }
  return found;
}

export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end()));
}

export async function sql<T extends Record<string, unknown> = Record<string, any>>(owner: ProvinceKey | 'platform', text: string, params: unknown[] = []): Promise<T[]> {
  return (await pool(owner).query<T>(text, params)).rows;
}

/** The local UUID of a global id (`sc:instrument:<uuid>` → `<uuid>`). */
export const localIdOf = (globalId: string): string => globalId.split(':')[2]!;

/** Throws with the errors when an API call that sets up a test fails. */
function dataOf<T>(what: string, body: { data?: T | null; errors?: unknown[] }): T {
  if (body.errors || !body.data) throw new Error(`${what} failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** An instrument open around the clock, bookable 30–1440 minutes, so every test slot fits. */
export async function createInstrument(province: ProvinceKey, overrides: Record<string, unknown> = {}): Promise<string> {
  const P = PROVINCES[province].typePrefix;
  const code = randomUUID().slice(0, 8).toUpperCase();
  const input = {
    assetCode: `T-${code}`,
    name: `Test fixture instrument ${code}`,
    nameZh: `测试仪器 ${code}`,
    category: 'NMR',
    institution: 'Test Institute',
    hourlyFee: 100,
    services: ['TESTING'],
    openFromHour: 0,
    openToHour: 24,
    minBookingMinutes: 30,
    maxBookingMinutes: 1440,
    ...overrides,
  };
  const { body } = await gateway(`mutation($input: InstrumentInput!) { created: create${P}Instrument(input: $input) { id } }`, {
    token: await tokenFor(ADMIN_OF[province]),
    variables: { input },
  });
  return dataOf<{ created: { id: string } }>('creating a fixture instrument', body).created.id;
}

export async function createLab(province: ProvinceKey, overrides: Record<string, unknown> = {}): Promise<string> {
  const P = PROVINCES[province].typePrefix;
  const code = randomUUID().slice(0, 8);
  const input = { name: `Test fixture lab ${code}`, nameZh: `测试实验室 ${code}`, institution: 'Test Institute', city: 'Test City', level: 'PROVINCIAL', ...overrides };
  const { body } = await gateway(`mutation($input: LabInput!) { created: create${P}Lab(input: $input) { id } }`, {
    token: await tokenFor(ADMIN_OF[province]),
    variables: { input },
  });
  return dataOf<{ created: { id: string } }>('creating a fixture lab', body).created.id;
}

/** A fresh card held by a platform account made for it, so no demo account sees it as theirs. */
export async function issueCard(province: ProvinceKey, overrides: Record<string, unknown> = {}): Promise<{ id: string; cardNumber: string }> {
  const P = PROVINCES[province].typePrefix;
  const input = {
    holderName: `Test Holder ${randomUUID().slice(0, 8)}`,
    holderUserId: (await createUser('card.holder')).id,
    tier: 'B',
    validUntil: new Date(Date.now() + 730 * 86_400_000).toISOString(),
    ...overrides,
  };
  const { body } = await gateway(`mutation($input: IssueTalentCardInput!) { card: issue${P}TalentCard(input: $input) { id cardNumber } }`, {
    token: await tokenFor(ADMIN_OF[province]),
    variables: { input },
  });
  return dataOf<{ card: { id: string; cardNumber: string } }>('issuing a fixture card', body).card;
}

/** `hour`:`minute` local time (UTC+8) `days` days from today, as an ISO instant. */
export function localTime(days: number, hour: number, minute = 0): string {
  const now = new Date();
  const localMidnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 8 * 3_600_000;
  return new Date(localMidnight + days * 86_400_000 + (hour * 60 + minute) * 60_000).toISOString();
}

/**
 * Hands out distinct half-hour slots from `firstDay` days ahead, 00:30–23:30
 * local time: on an instrument only this allocator books, no two collide.
 */
export class SlotAllocator {
  private next = 0;
  constructor(private readonly firstDay: number) {}

  take(): { start: string; end: string } {
    const index = this.next++;
    const day = this.firstDay + Math.floor(index / 46);
    const minutes = 30 + (index % 46) * 30;
    return { start: localTime(day, 0, minutes), end: localTime(day, 0, minutes + 30) };
  }
}

export const newKey = () => `test-${randomUUID()}`;

/** Requests a booking through the gateway; returns its global id. */
export async function book(
  province: ProvinceKey,
  token: string,
  instrumentId: string,
  slot: { start: string; end: string },
  purpose = 'Test fixture booking run',
): Promise<string> {
  const P = PROVINCES[province].typePrefix;
  const { body } = await gateway(
    `mutation($i: ID!, $s: DateTime!, $e: DateTime!, $p: String!, $k: String!) { booking: book${P}Instrument(instrumentId: $i, start: $s, end: $e, purpose: $p, idempotencyKey: $k) { id } }`,
    { token, variables: { i: instrumentId, s: slot.start, e: slot.end, p: purpose, k: newKey() } },
  );
  return dataOf<{ booking: { id: string } }>('booking a fixture slot', body).booking.id;
}

export async function confirm(province: ProvinceKey, bookingId: string): Promise<void> {
  const P = PROVINCES[province].typePrefix;
  const { body } = await gateway(`mutation($id: ID!) { confirm${P}Booking(bookingId: $id) { id } }`, {
    token: await tokenFor(ADMIN_OF[province]),
    variables: { id: bookingId },
  });
  dataOf('confirming a fixture booking', body);
}

/**
 * A confirmed booking that has ended, ready to be completed. The API only
 * books the future, so a confirmed future booking is moved back a year in
 * the province's database (slots stay distinct, so no overlap arises).
 */
export async function endedConfirmedBooking(province: ProvinceKey, requesterToken: string, instrumentId: string, slot: { start: string; end: string }): Promise<string> {
  const id = await book(province, requesterToken, instrumentId, slot);
  await confirm(province, id);
  await sql(province, "UPDATE bookings SET starts_at = starts_at - interval '400 days', ends_at = ends_at - interval '400 days' WHERE id = $1", [localIdOf(id)]);
  return id;
}

/** A row as JSON text (null when there is none): what a refused write must leave as it was. */
export async function rowState(province: ProvinceKey, table: 'bookings' | 'instruments' | 'labs' | 'talent_cards', localId: string): Promise<string | null> {
  const [row] = await sql<{ row: string }>(province, `SELECT row_to_json(t)::text AS row FROM ${table} t WHERE id = $1`, [localId]);
  return row?.row ?? null;
}

export async function auditCount(province: ProvinceKey, entityId: string): Promise<number> {
  const [row] = await sql<{ n: number }>(province, 'SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1', [entityId]);
  return row!.n;
}

/** Tables a hostile or refused request must not write to. */
export const GUARDED_TABLES = ['bookings', 'booking_events', 'instruments', 'labs', 'talent_cards', 'audit_log', 'recognition_catalog'] as const;

/** Rows of each guarded table whose text contains `marker` (a unique string the request carried). */
export async function rowsMarked(province: ProvinceKey, marker: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of GUARDED_TABLES) {
    const [row] = await sql<{ n: number }>(province, `SELECT count(*)::int AS n FROM ${table} t WHERE strpos(t::text, $1) > 0`, [marker]);
    counts[table] = row!.n;
  }
  return counts;
}
