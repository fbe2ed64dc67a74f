/**
 * @testSystem in-process: nothing here needs a port or a process of its own.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { seededUserId } from '../../shared/src';
import { DEMO_HOSPITAL_CLIENT } from '../../subgraphs/platform/src';
import { clientToken } from '../support/callers';
import { SlotAllocator, book, closePools, createInstrument, sql } from '../support/registryFixtures';
import { gateway, onlyError, testSystem, tokenFor } from '../support/system';
import { until } from '../support/until';

/*
 * Each province's access log: every read of its private data and every write, in its own database, for its own
 * admins, append-only for its own service role; the public catalogue only counted.
 */

afterAll(closePools);

const ENTRIES = `query Log($filter: AccessLogFilter) { sichuan { accessLog(filter: $filter, first: 50) {
  edges { node { kind requestId actorKind actorId actorName clientId operation operationName entityType entityIds } }
  pageInfo { hasNextPage }
} } }`;

/** Sends one operation with a request id of the test's own, through the gateway, and answers that id. */
async function tracked(query: string, options: { token?: string; variables?: Record<string, unknown> } = {}) {
  const requestId = `access-log-${randomUUID()}`;
  const response = await gateway(query, { ...options, headers: { 'x-request-id': requestId } });
  expect(response.body.errors).toBeUndefined();
  return { requestId, data: response.body.data };
}

async function entriesOf(requestId: string) {
  const { body } = await gateway(ENTRIES, { token: await tokenFor('sc.admin'), variables: { filter: { requestId } } });
  expect(body.errors).toBeUndefined();
  return body.data.sichuan.accessLog.edges.map((edge: { node: unknown }) => edge.node);
}

describe('the access log', () => {
  it('shows a province admin exactly the reads a request made: who, what, the request id, in one line per type', async () => {
    const instrumentId = await createInstrument('sichuan');
    const slots = new SlotAllocator(40);
    const researcher = await tokenFor('li.wei');
    const bookings = [await book('sichuan', researcher, instrumentId, slots.take()), await book('sichuan', researcher, instrumentId, slots.take())];

    const { requestId } = await tracked('query MyBookings { me { sichuanBookings { id status instrument { name } } } }', { token: researcher });
    const mine = (await sql('sichuan', 'SELECT id FROM bookings WHERE user_id = $1', [seededUserId('li.wei')])).map((row) => `sc:booking:${row['id']}`);
    expect(mine).toEqual(expect.arrayContaining(bookings));

    const entries = await entriesOf(requestId);
    expect(entries).toEqual([{
      kind: 'READ', requestId, actorKind: 'USER', actorId: seededUserId('li.wei'), actorName: 'Li Wei', clientId: null,
      operation: '_entities', operationName: expect.stringMatching(/^MyBookings/), entityType: 'SichuanBooking', entityIds: expect.any(Array),
    }]);
    // Every booking the answer held, and nothing else: the public instrument is not logged.
    expect([...entries[0].entityIds].sort()).toEqual([...mine].sort());
  });

  it('names the partner client that checked a card, and logs nothing for a card number the issuer refused to answer', async () => {
    const hospital = await clientToken(DEMO_HOSPITAL_CLIENT.clientId, DEMO_HOSPITAL_CLIENT.clientSecret);
    const { requestId } = await tracked('query Check($n: String!) { verifyTalentCard(cardNumber: $n) { valid holderName } }', {
      token: hospital, variables: { n: 'TF-2024-000128' },
    });
    expect(await entriesOf(requestId)).toEqual([expect.objectContaining({
      kind: 'READ', actorKind: 'CLIENT', actorId: 'client:demo-hospital', clientId: 'demo-hospital',
      entityType: 'SichuanCardVerification', entityIds: ['TF-2024-000128'],
    })]);

    // A researcher may not read another person's card: refused, so nothing was read.
    const refused = await gateway('query { sichuan { talentCard(cardNumber: "TF-2023-000041") { holderName } } }', {
      token: await tokenFor('li.wei'), headers: { 'x-request-id': `access-log-refused-${randomUUID()}` },
    });
    expect(onlyError(refused.body).extensions?.['code']).toBe('FORBIDDEN');
    expect(await entriesOf(refused.headers.get('x-request-id')!)).toEqual([]);
  });

  it('records writes with the records they named, and the audit log\'s own reads', async () => {
    const instrumentId = await createInstrument('sichuan');
    const bookingId = await book('sichuan', await tokenFor('chen.jing'), instrumentId, new SlotAllocator(45).take());
    const confirmed = await tracked('mutation Confirm($id: ID!) { confirmSichuanBooking(bookingId: $id) { id } }', {
      token: await tokenFor('sc.admin'), variables: { id: bookingId },
    });
    expect(await entriesOf(confirmed.requestId)).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'WRITE', operation: 'confirmSichuanBooking', entityType: 'SichuanBooking', entityIds: [bookingId], actorName: 'Sichuan Registry Admin' }),
      expect.objectContaining({ kind: 'READ', operation: 'confirmSichuanBooking', entityType: 'SichuanBooking', entityIds: [bookingId] }),
    ]));

    const audit = await tracked('query Audit($id: ID) { sichuan { auditLog(entityId: $id, first: 5) { edges { node { id action } } } } }', {
      token: await tokenFor('sc.admin'), variables: { id: bookingId },
    });
    const auditIds = audit.data.sichuan.auditLog.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(auditIds.length).toBeGreaterThan(0);
    expect(await entriesOf(audit.requestId)).toEqual([expect.objectContaining({ kind: 'READ', entityType: 'AuditEntry', entityIds: auditIds })]);
  });

  it('filters by client and record, pages, and exports CSV', async () => {
    const hospital = await clientToken(DEMO_HOSPITAL_CLIENT.clientId, DEMO_HOSPITAL_CLIENT.clientSecret);
    await tracked('query { verifyTalentCard(cardNumber: "TF-2023-000087") { valid } }', { token: hospital });
    const admin = await tokenFor('sc.admin');
    const byClient = await gateway(ENTRIES, { token: admin, variables: { filter: { clientId: 'demo-hospital', entityId: 'TF-2023-000087' } } });
    const nodes = byClient.body.data.sichuan.accessLog.edges.map((edge: { node: { clientId: string; entityIds: string[] } }) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(node).toMatchObject({ clientId: 'demo-hospital', entityIds: expect.arrayContaining(['TF-2023-000087']) });

    const csv = await gateway('query Export($f: AccessLogFilter) { sichuan { accessLogCsv(filter: $f) } }', { token: admin, variables: { f: { clientId: 'demo-hospital' } } });
    const lines = (csv.body.data.sichuan.accessLogCsv as string).trim().split('\n');
    expect(lines[0]).toBe('id,at,kind,requestId,actorKind,actorId,actorName,clientId,operation,operationName,entityType,entityIds');
    expect(lines.slice(1).every((line) => line.includes(',demo-hospital,'))).toBe(true);
    expect(lines.some((line) => line.includes('TF-2023-000087'))).toBe(true);

    const bad = await gateway(ENTRIES, { token: admin, variables: { filter: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' } } });
    expect(onlyError(bad.body)).toMatchObject({ message: expect.stringContaining('filter.to: from must be before to'), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('is read by its own admins only: not the other province\'s admin, researchers or partner clients', async () => {
    const callers = [await tokenFor('cq.admin'), await tokenFor('li.wei'), await tokenFor('platform.admin'), await clientToken(DEMO_HOSPITAL_CLIENT.clientId, DEMO_HOSPITAL_CLIENT.clientSecret)];
    for (const token of callers) {
      for (const field of ['accessLog(first: 1) { edges { node { id } } }', 'accessLogCsv', 'catalogueReads { reader }']) {
        const { body } = await gateway(`query { sichuan { ${field} } }`, { token });
        expect(onlyError(body).extensions?.['code']).toBe('FORBIDDEN');
      }
    }
  });

  it('cannot be changed, emptied or removed row by row by the province\'s own service role', async () => {
    const db = new Client({ connectionString: testSystem().databaseUrls.sichuan });
    await db.connect();
    try {
      const { rows } = await db.query<{ role: string }>('SELECT current_user AS role');
      expect(rows[0]!.role).toBe('sichuan_svc');
      await db.query(`INSERT INTO access_log (request_id, kind, actor_kind, operation, entity_type, entity_ids) VALUES ('append-check', 'read', 'anonymous', 'test', 'Test', '{}')`);
      for (const statement of [
        "UPDATE access_log SET actor_name = 'someone else'",
        "DELETE FROM access_log WHERE request_id = 'append-check'",
        'TRUNCATE access_log',
      ]) {
        await expect(db.query(statement)).rejects.toThrow(/permission denied/);
      }
      // Nor by granting itself the privileges back: the triggers refuse the statements whoever holds them.
      await db.query('GRANT UPDATE, DELETE ON access_log TO sichuan_svc');
      await expect(db.query("DELETE FROM access_log WHERE request_id = 'append-check'")).rejects.toThrow(/append-only/);
      await db.query('REVOKE UPDATE, DELETE ON access_log FROM sichuan_svc');
      const kept = await db.query("SELECT count(*)::int AS n FROM access_log WHERE request_id = 'append-check'");
      expect(kept.rows[0].n).toBe(1);
    } finally {
      await db.end();
    }
  });
});

describe('public catalogue reads', () => {
  it('are counted per reader and day, not logged row by row', async () => {
    const before = async (reader: string) =>
      Number((await sql('sichuan', 'SELECT coalesce(sum(requests), 0)::int AS n FROM catalogue_reads WHERE reader = $1', [reader]))[0]!['n']);
    const hospital = await clientToken(DEMO_HOSPITAL_CLIENT.clientId, DEMO_HOSPITAL_CLIENT.clientSecret);
    const counted = await before('demo-hospital');
    const { requestId } = await tracked('query Catalogue { sichuan { instruments(first: 5) { edges { node { id name } } } } }', { token: hospital });
    expect(await entriesOf(requestId)).toEqual([]);
    await until('the catalogue read to be counted for demo-hospital', async () => (await before('demo-hospital')) > counted, 20_000);
    const { body } = await gateway('query { sichuan { catalogueReads { day reader requests records } } }', { token: await tokenFor('sc.admin') });
    expect(body.data.sichuan.catalogueReads).toEqual(expect.arrayContaining([expect.objectContaining({ reader: 'demo-hospital', records: expect.any(Number) })]));
  }, 30_000);
});
