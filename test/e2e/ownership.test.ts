/**
 * @testSystem in-process: nothing here needs a port or a process of its own.
 */
import { Client } from 'pg';
import { PROVINCES, encodeGlobalId, seededUserId } from '../../shared/src';
import { DEMO_SEEDS, seededId } from '../support/demoData';
import { testSystem } from '../support/system';

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const databaseNameOf = (url: string) => new URL(url).pathname.slice(1);

const databaseUrlAs = (url: string, database: string) => {
  const copy = new URL(url);
  copy.pathname = `/${database}`;
  return copy.toString();
};

describe('each province owns its data physically', () => {
  it.each(['sichuan', 'chongqing'] as const)('the %s database holds only its own rows', async (province) => {
    const partner = PROVINCES[province].partner;
    const own = DEMO_SEEDS[province];
    await withClient(testSystem().databaseUrls[province], async (db) => {
      // Exactly its own seeded instruments, none of the partner's.
      const instruments = await db.query<{ id: string }>('SELECT id FROM instruments');
      expect(instruments.rows.map((row) => row.id).sort()).toEqual(own.instruments.map((i) => seededId(province, 'instrument', i.code)).sort());

      // Joint labs keep only the partner's global ids, never the partner's rows.
      const links = await db.query<{ partner_instrument_id: string }>('SELECT partner_instrument_id FROM lab_partner_instruments');
      const partnerGlobalIds = own.labs.flatMap((lab) => lab.partnerInstrumentCodes)
        .map((code) => encodeGlobalId(PROVINCES[partner], 'instrument', seededId(partner, 'instrument', code)));
      expect(partnerGlobalIds.length).toBeGreaterThan(0);
      expect(links.rows.map((row) => row.partner_instrument_id).sort()).toEqual(partnerGlobalIds.sort());

      // Exactly its own seeded cards, each numbered by this province.
      const cards = await db.query<{ card_number: string }>('SELECT card_number FROM talent_cards');
      const numbers = cards.rows.map((c) => c.card_number);
      expect(numbers.sort()).toEqual(own.talentCards.map((c) => c.cardNumber).sort());
      expect(numbers.every((number) => number.startsWith(`${PROVINCES[province].cardNumberPrefix}-`))).toBe(true);

      // No identity data in a province: people are referred to by platform id only.
      const tables = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows.map((t) => t.table_name)).not.toContain('users');
    });
  });

  it.each([
    ['sichuan', 'chongqing'],
    ['chongqing', 'sichuan'],
    ['sichuan', 'platform'],
    ['platform', 'sichuan'],
  ] as const)("the %s role cannot even connect to %s's database", async (role, other) => {
    const { databaseUrls } = testSystem();
    const url = databaseUrlAs(databaseUrls[role], databaseNameOf(databaseUrls[other]));
    const client = new Client({ connectionString: url });
    await expect(client.connect()).rejects.toMatchObject({ code: '42501' });
    await client.end().catch(() => undefined);
  });

  it('keeps people in the platform database only, with hashed passwords', async () => {
    await withClient(testSystem().databaseUrls.platform, async (db) => {
      const users = await db.query<{ id: string; username: string; password_hash: string }>('SELECT id, username, password_hash FROM users');
      const liWei = users.rows.find((u) => u.username === 'li.wei')!;
      expect(liWei.id).toBe(seededUserId('li.wei'));
      expect(liWei.password_hash).toMatch(/^scrypt\$/);
      expect(users.rows.some((u) => u.password_hash.includes('shuangcheng-demo'))).toBe(false);
    });
  });

  it('runs each service under its own role, which owns only its own database', async () => {
    const { databaseUrls, postgresAdminUrl } = testSystem();
    await withClient(postgresAdminUrl, async (admin) => {
      const owners = await admin.query<{ datname: string; owner: string }>(
        'SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ANY($1) ORDER BY owner',
        [Object.values(databaseUrls).map(databaseNameOf)],
      );
      expect(owners.rows).toEqual([
        { datname: databaseNameOf(databaseUrls.chongqing), owner: 'chongqing_svc' },
        { datname: databaseNameOf(databaseUrls.platform), owner: 'platform_svc' },
        { datname: databaseNameOf(databaseUrls.sichuan), owner: 'sichuan_svc' },
      ]);
      const superusers = await admin.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE '%_svc' AND rolsuper");
      expect(superusers.rows).toEqual([]);
    });
  });
});
