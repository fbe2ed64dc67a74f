/**
 * @testSystem in-process: stats and the evaluation read one province's database through the gateway.
 *
 * Utilisation counts actual use only (check-in to check-out), never booked hours, and the dashboard's stats agree
 * with the evaluation's effective machine hours. The expected figures are worked out by hand below from the times
 * written, not from the implementation.
 */
import { randomUUID } from 'node:crypto';
import { ADMIN_OF, SlotAllocator, book, closePools, confirm, createInstrument, localIdOf, sql } from '../support/registryFixtures';
import { evaluationInstruments } from '../support/evaluationPages';
import { gateway, tokenFor } from '../support/system';

afterAll(closePools);

/** A category of this file alone, so its utilisation row holds only the bookings below. */
const CATEGORY = `UTIL_${randomUUID().slice(0, 8).toUpperCase()}`;
const at = (local: string) => `${local}+08:00`;

describe('utilisation from actual use', () => {
  let instrumentId: string;

  beforeAll(async () => {
    await sql('sichuan', 'INSERT INTO instrument_categories (code, name_en, name_zh) VALUES ($1, $2, $3)', [CATEGORY, 'Utilisation test', '利用率测试']);
    instrumentId = await createInstrument('sichuan', { category: CATEGORY });
    const token = await tokenFor('li.wei');
    const slots = new SlotAllocator(60);
    // Three bookings, moved to March 2021 (before any seeded history) with their booked and actual times.
    const bookings: [string, string, string | null, string | null, string][] = [
      // Booked 4 h, used 09:30–12:00: 2.5 h on 1 March.
      ['2021-03-01T09:00:00', '2021-03-01T13:00:00', '2021-03-01T09:30:00', '2021-03-01T12:00:00', 'COMPLETED'],
      // Booked 4 h, nobody came: 0 h.
      ['2021-03-01T14:00:00', '2021-03-01T18:00:00', null, null, 'CONFIRMED'],
      // Booked 4 h over midnight, used 22:30–01:30: 1.5 h on 1 March, 1.5 h on 2 March.
      ['2021-03-01T22:00:00', '2021-03-02T02:00:00', '2021-03-01T22:30:00', '2021-03-02T01:30:00', 'COMPLETED'],
    ];
    for (const [start, end, actualStart, actualEnd, status] of bookings) {
      const id = await book('sichuan', token, instrumentId, slots.take());
      await confirm('sichuan', id);
      await sql('sichuan', `UPDATE bookings SET starts_at = $2, ends_at = $3, actual_start = $4, actual_end = $5, status = $6 WHERE id = $1`, [
        localIdOf(id), at(start), at(end), actualStart && at(actualStart), actualEnd && at(actualEnd), status,
      ]);
    }
  });

  async function figures(from: string, to: string) {
    const { body } = await gateway(`query($from: DateTime!, $to: DateTime!) { sichuan {
        stats(from: $from, to: $to) { utilisationByCategory { category bookedHours usedHours openHours utilisation } bookingsPerDay { day bookedHours usedHours } }
      } }`, {
      token: await tokenFor(ADMIN_OF.sichuan), variables: { from: at(from), to: at(to) },
    });
    expect(body.errors).toBeUndefined();
    const { stats } = body.data.sichuan;
    const { rows } = await evaluationInstruments('sichuan', { from: at(from), to: at(to) }, 'instrumentId figures { effectiveHours }');
    return {
      category: stats.utilisationByCategory.find((row: { category: string }) => row.category === CATEGORY),
      days: stats.bookingsPerDay,
      effectiveHours: rows.find((row) => row['instrumentId'] === instrumentId)?.['figures'].effectiveHours,
    };
  }

  it('counts checked-in to checked-out hours over opening hours, and agrees with the evaluation, over whole days', async () => {
    const { category, days, effectiveHours } = await figures('2021-03-01T00:00:00', '2021-03-03T00:00:00');
    // Used 2.5 + 1.5 + 1.5 = 5.5 h of 12 h booked; open 24 h a day for 2 days = 48 h; 5.5 / 48 = 0.114583…
    expect(category).toEqual({ category: CATEGORY, bookedHours: 12, usedHours: 5.5, openHours: 48, utilisation: 0.1146 });
    expect(days).toEqual([
      { day: '2021-03-01', bookedHours: 10, usedHours: 4 },
      { day: '2021-03-02', bookedHours: 2, usedHours: 1.5 },
    ]);
    expect(effectiveHours).toBe(5.5);
  });

  it('clips actual use to a period that starts and ends inside a day', async () => {
    // 11:00 on 1 March to 01:00 on 2 March: 12:00 − 11:00 = 1 h, and 01:00 − 22:30 = 2.5 h: 3.5 h; open 14 h.
    const { category, effectiveHours } = await figures('2021-03-01T11:00:00', '2021-03-02T01:00:00');
    expect(category).toMatchObject({ usedHours: 3.5, openHours: 14, utilisation: 0.25 });
    expect(effectiveHours).toBe(3.5);
  });
});
