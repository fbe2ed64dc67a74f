/**
 * @testSystem in-process: only the file's own Sichuan database is used.
 *
 * entityInsert (shared/src/db/entityInsert.ts) writes rows as TypeORM's insert would: what TypeORM reads back is what
 * was given, transformers, jsonb and arrays included, and the columns left out take their database defaults.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { entityInsert, PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { AccessLogEntryEntity } from '../../accessLog/AccessLogEntryEntity';
import type { NewAccessEntry } from '../../accessLog/AccessLogRepository';
import { AuditEntryEntity } from '../../audit/AuditEntryEntity';
import { BookingEntity } from '../../bookings/BookingEntity';
import { NEW_BOOKING_COLUMNS, type NewBooking } from '../../bookings/BookingRepository';
import { InstrumentEntity } from '../../instruments/InstrumentEntity';
import { createProvinceDataSource } from '../../provinceDataSource';
import { TalentCardEntity } from '../../talentCards/TalentCardEntity';

let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createProvinceDataSource(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, 2);
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

const ACCESS_COLUMNS = [
  'requestId', 'kind', 'actorKind', 'actorId', 'actorName', 'clientId', 'operation', 'operationName', 'entityType', 'entityIds',
] as const;

function accessLine(requestId: string, index: number): NewAccessEntry {
  return {
    requestId, kind: index % 2 ? 'write' : 'read', actorKind: 'user', actorId: `user-${index}`, actorName: index % 3 ? `名字 ${index}` : null,
    clientId: null, operation: 'sichuan', operationName: null, entityType: 'SichuanBooking', entityIds: [`sc:booking:${index}`, `quote'd "${index}"`, ''],
  };
}

async function aBooking(): Promise<NewBooking> {
  const [instrument] = await dataSource.getRepository(InstrumentEntity).find({ where: { status: 'IN_SERVICE' }, take: 1, order: { id: 'ASC' } });
  // Far in the future, an hour of its own: no other booking overlaps it.
  const start = new Date(Date.UTC(2091, 0, 1) + Math.floor(Math.random() * 100_000) * 3_600_000);
  return {
    id: randomUUID(), instrumentId: instrument!.id, userId: randomUUID(), startsAt: start, endsAt: new Date(start.getTime() + 3_600_000),
    status: 'REQUESTED', purpose: 'Powder diffraction of a sample', idempotencyKey: `key-${randomUUID()}`, selfOperated: false,
    requesterCategory: null, requesterInstitution: '四川大学', channel: 'PARTNER_CLIENT', channelClientId: 'lab-portal', priceCategory: 'OTHER_PROVINCE_ACADEMIC',
    priceOfferingId: null, priceLines: [{ band: 'STANDARD', quantity: '1.5', unitFen: 8_230, amountFen: 12_345 }], priceTotalFen: 9_007_199_254_740,
  };
}

describe('entityInsert', () => {
  it('writes what TypeORM reads back: jsonb, a bigint through its transformer, inherited columns, defaults for the rest', async () => {
    const booking = await aBooking();
    await entityInsert(dataSource.manager, BookingEntity, NEW_BOOKING_COLUMNS).insert([booking]);
    const found = await dataSource.getRepository(BookingEntity).findOneByOrFail({ id: booking.id });
    expect(found).toEqual({
      ...booking, actualStart: null, actualEnd: null, lateCancellation: false, createdAt: expect.any(Date), updatedAt: expect.any(Date),
    });
    expect(Math.abs(found.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('writes many rows in statements of at most 100, in the order given, arrays and quotes intact', async () => {
    const requestId = `insert-${randomUUID()}`;
    const lines = Array.from({ length: 250 }, (_, index) => accessLine(requestId, index));
    const statements: string[] = [];
    const query = dataSource.manager.query.bind(dataSource.manager);
    const manager = Object.assign(Object.create(dataSource.manager) as typeof dataSource.manager, {
      query: (text: string, values?: unknown[]) => (statements.push(text), query(text, values)),
    });
    await entityInsert(manager, AccessLogEntryEntity, ACCESS_COLUMNS).insert(lines);

    expect(statements.map((text) => text.split('), (').length)).toEqual([100, 100, 50]);
    const written = await dataSource.getRepository(AccessLogEntryEntity).find({ where: { requestId }, order: { id: 'ASC' } });
    expect(written.map(({ id: _id, at: _at, ...line }) => line)).toEqual(lines);
  });

  it('serialises a jsonb object, and stores null as SQL null', async () => {
    const actions = [`test.${randomUUID()}`, `test.${randomUUID()}`];
    const insert = entityInsert(dataSource.manager, AuditEntryEntity, ['actorId', 'actorName', 'action', 'entityType', 'entityId', 'details']);
    await insert.insert([
      { actorId: 'u1', actorName: 'Li Wei', action: actions[0]!, entityType: 'booking', entityId: null, details: { nested: { list: [1, 'two'] }, yuan: '12.30' } },
      { actorId: 'u1', actorName: 'Li Wei', action: actions[1]!, entityType: 'booking', entityId: 'sc:booking:1', details: null },
    ]);
    const rows: { action: string; details: unknown; isNull: boolean }[] = await dataSource.query(
      'SELECT action, details, details IS NULL AS "isNull" FROM audit_log WHERE action = ANY ($1) ORDER BY id', [actions],
    );
    expect(rows).toEqual([
      { action: actions[0], details: { nested: { list: [1, 'two'] }, yuan: '12.30' }, isNull: false },
      { action: actions[1], details: null, isNull: true },
    ]);
  });

  it('refuses a property given as undefined, and writes none of the rows', async () => {
    const requestId = `undefined-${randomUUID()}`;
    const lines = [accessLine(requestId, 1), { ...accessLine(requestId, 2), operationName: undefined as unknown as null }];
    await expect(entityInsert(dataSource.manager, AccessLogEntryEntity, ACCESS_COLUMNS).insert(lines))
      .rejects.toThrow('AccessLogEntryEntity.operationName is undefined');
    expect(await dataSource.getRepository(AccessLogEntryEntity).countBy({ requestId })).toBe(0);
  });

  it('writes nothing when its transaction rolls back', async () => {
    const booking = await aBooking();
    await expect(dataSource.transaction(async (manager) => {
      await entityInsert(manager, BookingEntity, NEW_BOOKING_COLUMNS).insert([booking]);
      expect(await manager.getRepository(BookingEntity).countBy({ id: booking.id })).toBe(1);
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await dataSource.getRepository(BookingEntity).countBy({ id: booking.id })).toBe(0);
  });

  it('gives its statement for one that does more with the rows, its parameters first, and only for 1 to 100 rows', async () => {
    const requestId = `statement-${randomUUID()}`;
    const insert = entityInsert(dataSource.manager, AccessLogEntryEntity, ACCESS_COLUMNS);
    const { text, values } = insert.statement([accessLine(requestId, 1), accessLine(requestId, 2)]);
    expect(values).toHaveLength(2 * ACCESS_COLUMNS.length);
    const [{ written }] = await dataSource.query(
      `WITH inserted AS (${text} RETURNING entity_ids) SELECT count(*)::int + $${values.length + 1} AS written FROM inserted`, [...values, 100],
    );
    expect(written).toBe(102);
    const stored = await dataSource.getRepository(AccessLogEntryEntity).find({ where: { requestId }, order: { actorId: 'ASC' } });
    expect(stored.map((entry) => entry.entityIds)).toEqual([accessLine(requestId, 1).entityIds, accessLine(requestId, 2).entityIds]);
    expect(() => insert.statement([])).toThrow('1 to 100 rows, not 0');
    expect(() => insert.statement(Array.from({ length: 101 }, (_, index) => accessLine(requestId, index)))).toThrow('1 to 100 rows, not 101');
  });

  it('refuses, when made, a property that is no column and a column type it does not convert', () => {
    expect(() => entityInsert(dataSource.manager, BookingEntity, ['nope' as 'id'])).toThrow('BookingEntity has no column nope');
    expect(() => entityInsert(dataSource.manager, TalentCardEntity, ['id', 'validUntil'])).toThrow('TalentCardEntity.validUntil is of type date');
  });
});
