import { randomUUID } from 'node:crypto';
import { maskCardNumber } from '../../talentCards/talentCardRules';
import { seededDatabase, undoThrough } from './seededDatabase';

describe('MaskCardNumbersInEvents', () => {
  // A database of its own, taken back to before this migration, holding card events as they were written then.
  const database = seededDatabase('mask_card_events');
  let dataSource: ReturnType<typeof database>;
  beforeAll(() => {
    dataSource = database();
  });

  const stateOf = async (id: string) => ((await dataSource.query('SELECT state FROM events WHERE id = $1', [id])) as { state: Record<string, unknown> }[])[0]!.state;
  async function event(type: string, entityId: string, state: Record<string, unknown>): Promise<string> {
    const id = randomUUID();
    await dataSource.query(`INSERT INTO events (sequence, id, type, entity_type, entity_id, occurred_at, state)
      VALUES (nextval('event_sequence'), $1, $2, $3, $4, now(), $5)`, [id, type, type.split('.')[0]!.toLowerCase(), entityId, state]);
    return id;
  }

  it('masks the number in every talent-card event written before, leaves other events alone, and down puts the number back', async () => {
    await undoThrough(dataSource, 'MaskCardNumbersInEvents1796430000000');
    const [card] = (await dataSource.query('SELECT id, card_number FROM talent_cards ORDER BY card_number LIMIT 1')) as { id: string; card_number: string }[];
    const old = { cardNumber: card!.card_number, tier: 'B', status: 'REVOKED', validUntil: '2027-06-30' };
    const revoked = await event('talentCard.revoked', `sc:talentcard:${card!.id}`, old);
    const booking = { status: 'CONFIRMED', instrumentId: 'sc:instrument:1', cardNumber: 'not a card event' };
    const other = await event('booking.confirmed', `sc:booking:${randomUUID()}`, booking);

    await dataSource.runMigrations();
    const masked = await stateOf(revoked);
    expect(masked).toEqual({ maskedCardNumber: maskCardNumber(card!.card_number), tier: 'B', status: 'REVOKED', validUntil: '2027-06-30' });
    expect(JSON.stringify(masked)).not.toContain(card!.card_number);
    expect(await stateOf(other)).toEqual(booking);

    await undoThrough(dataSource, 'MaskCardNumbersInEvents1796430000000');
    expect(await stateOf(revoked)).toEqual(old);
    await dataSource.runMigrations();
  }, 120_000);
});
