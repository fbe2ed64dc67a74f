import { seededDatabase, undoThrough } from './seededDatabase';

describe('AddBookingEventActorNames', () => {
  // A database of its own, taken back to before this migration to write history as it was written then.
  const database = seededDatabase('actor_names');
  let dataSource: ReturnType<typeof database>;
  beforeAll(() => {
    dataSource = database();
  });

  const columns = async () =>
    ((await dataSource.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'booking_events'`)) as { column_name: string }[])
      .map((row) => row.column_name)
      .sort();

  /** Undoes migrations, the latest first, down to and including this one. */
  const undoThroughThisMigration = async () => {
    for (;;) {
      const [last] = (await dataSource.query('SELECT name FROM registry_migrations ORDER BY id DESC LIMIT 1')) as { name: string }[];
      await dataSource.undoLastMigration();
      if (last!.name === 'AddBookingEventActorNames1796100000000') return;
    }
  };

  it('names earlier events from their audit entries, says when none recorded a name, and goes down and up again', async () => {
    await undoThrough(dataSource, 'AddBookingEventActorNames1796100000000');
    expect(await columns()).not.toContain('actor_name');

    // As the service wrote a change before: the event and its audit entry in one transaction, so at the same time.
    const [booking] = (await dataSource.query(`SELECT id FROM bookings WHERE status = 'REQUESTED' ORDER BY id LIMIT 1`)) as { id: string }[];
    const admin = 'd1b5a0a4-2f7e-4c55-9d0f-8a1f3c2b4e61';
    await dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO booking_events (booking_id, status, actor_id, note) VALUES ($1, 'CONFIRMED', $2, NULL)`, [booking!.id, admin]);
      await manager.query(
        `INSERT INTO audit_log (actor_id, actor_name, action, entity_type, entity_id) VALUES ($1, 'Duty Officer Wang', 'booking.confirmed', 'booking', $2)`,
        [admin, `sc:booking:${booking!.id}`],
      );
      // Another booking's entry by the same admin at the same time: it must not name this event.
      await manager.query(
        `INSERT INTO audit_log (actor_id, actor_name, action, entity_type, entity_id) VALUES ($1, 'Someone Else', 'booking.confirmed', 'booking', 'sc:booking:00000000-0000-4000-8000-000000000000')`,
        [admin],
      );
    });

    await dataSource.runMigrations();
    const names = async (where: string, params: unknown[]) =>
      ((await dataSource.query(`SELECT DISTINCT actor_name FROM booking_events WHERE ${where}`, params)) as { actor_name: string }[]).map((row) => row.actor_name);
    expect(await names('booking_id = $1 AND actor_id = $2', [booking!.id, admin])).toEqual(['Duty Officer Wang']);
    // The seeded history never had audit entries.
    expect(await names('actor_id <> $1', [admin])).toEqual(['(name not recorded)']);
    await expect(dataSource.query(`INSERT INTO booking_events (booking_id, status, actor_id) VALUES ($1, 'CANCELLED', $2)`, [booking!.id, admin])).rejects.toThrow(
      /actor_name/,
    );
  }, 120_000);
});
