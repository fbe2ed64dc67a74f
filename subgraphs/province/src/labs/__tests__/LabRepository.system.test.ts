import type { DataSource } from 'typeorm';
import { PROVINCES } from '../../../../../shared/src';
import { testSystem } from '../../../../../test/support';
import { createProvinceDataSource } from '../../provinceDataSource';
import { LabEntity } from '../LabEntity';
import { LabRepository } from '../LabRepository';

let dataSource: DataSource;
let labs: LabRepository;

beforeAll(async () => {
  // The file's own database exists once the system set-up (setupFileSystem.ts) has run.
  dataSource = createProvinceDataSource(PROVINCES.sichuan, testSystem().databaseUrls.sichuan, 1);
  await dataSource.initialize();
  labs = new LabRepository(dataSource.manager);
});
afterAll(() => dataSource.destroy());

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('LabRepository prepared reads', () => {
  it('read labs by id with every column as TypeORM hydrates them, null where unknown', async () => {
    const viaTypeorm = await dataSource.getRepository(LabEntity).find({ order: { id: 'ASC' } });
    expect(viaTypeorm.some((lab) => lab.jointlyBuilt)).toBe(true);
    const read = await labs.findByIds([...viaTypeorm.map((lab) => lab.id), UNKNOWN]);
    expect(read.at(-1)).toBeNull();
    expect(read.slice(0, -1).map((lab) => ({ ...lab }))).toEqual(viaTypeorm.map((lab) => ({ ...lab })));
  });

  it("read each joint lab's partner instruments in their stored order", async () => {
    const links = (await dataSource.query('SELECT lab_id, partner_instrument_id FROM lab_partner_instruments ORDER BY lab_id, position')) as {
      lab_id: string; partner_instrument_id: string;
    }[];
    const labIds = [...new Set(links.map((link) => link.lab_id))];
    expect(labIds.length).toBeGreaterThan(0);
    const expected = labIds.map((id) => links.filter((link) => link.lab_id === id).map((link) => link.partner_instrument_id));
    expect(await labs.partnerInstrumentIds([...labIds, UNKNOWN])).toEqual([...expected, []]);
  });
});
